package com.cabalmail.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cabalmail.alert.decode.AlertBatch;
import com.cabalmail.alert.decode.WebhookFormat;
import com.cabalmail.alert.testkit.CapturedLogs;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One credential, or none: a request whose credential headers disagree is answered 401 naming
 * the ambiguity, whether one of them is right or not, over the local server (real HTTP, with
 * each header on its own line) and in Function URL events (repeated headers comma-joined) and
 * API Gateway 1.0 events. Nothing sent is echoed or logged.
 */
class OneCredentialTest {

  private static final String WRONG = "wrong-guess-4711";

  private final List<byte[]> decoded = new ArrayList<>();

  @BeforeEach
  void clearLogs() {
    CapturedLogs.clear();
  }

  private Sink sink() {
    return SinkTest.sink(SinkTest.sending("p"), SinkTest.sending("n"), (body, type, format) -> {
      decoded.add(body);
      return new AlertBatch(WebhookFormat.DIRECT, List.of(SinkTest.critical("x")), 0);
    });
  }

  /** Posts {@code {}} with {@code headers}, each its own header line, and reads the answer. */
  private static String post(int port, String... headers) throws Exception {
    StringBuilder request = new StringBuilder("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Content-Type: application/json\r\nContent-Length: 2\r\n");
    for (String header : headers) {
      request.append(header).append("\r\n");
    }
    request.append("\r\n{}");
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(20_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private void assertAmbiguous(String answer) {
    assertTrue(answer.startsWith("HTTP/1.1 401 "), answer);
    assertTrue(answer.contains("ambiguous credentials"), answer);
    assertNothingEchoed(answer);
    assertTrue(decoded.isEmpty(), "the body was decoded");
  }

  private static void assertNothingEchoed(String answer) {
    for (String value : List.of(SinkTest.SECRET, SinkTest.PREVIOUS, WRONG)) {
      assertFalse(answer.contains(value), answer);
      assertFalse(CapturedLogs.text().contains(value), CapturedLogs.text());
    }
  }

  @Test
  void twoXAlertSecretHeadersAWrongThenTheRightOneAre401() throws Exception {
    assertEachAmbiguous("X-Alert-Secret: " + WRONG, "X-Alert-Secret: " + SinkTest.SECRET,
        "X-Alert-Secret: " + SinkTest.SECRET, "x-alert-secret: " + WRONG);
  }

  @Test
  void xAlertSecretAndABearerThatDifferAre401EvenWhenBothAreAccepted() throws Exception {
    // The current and the previous secret are both accepted, but not together.
    assertEachAmbiguous("X-Alert-Secret: " + SinkTest.SECRET, "Authorization: Bearer " + WRONG,
        "X-Alert-Secret: " + SinkTest.SECRET, "Authorization: Bearer " + SinkTest.PREVIOUS,
        "Authorization: Bearer " + SinkTest.SECRET, "Authorization: Bearer " + WRONG);
  }

  /** Each pair of header lines, sent to the served sink in one request, is ambiguous. */
  private void assertEachAmbiguous(String... headerPairs) throws Exception {
    try (LocalServer server = LocalServer.start(sink(), 0)) {
      for (int i = 0; i < headerPairs.length; i += 2) {
        assertAmbiguous(post(server.port(), headerPairs[i], headerPairs[i + 1]));
      }
    }
  }

  @Test
  void oneSecretSentTwiceOrBesideAProxysBasicCredentialsIsOneCredential() throws Exception {
    try (LocalServer server = LocalServer.start(sink(), 0)) {
      assertTrue(post(server.port(), "X-Alert-Secret: " + SinkTest.SECRET,
          "Authorization: Bearer " + SinkTest.SECRET).startsWith("HTTP/1.1 204 "));
      assertTrue(post(server.port(), "X-Alert-Secret: " + SinkTest.SECRET,
          "X-Alert-Secret: " + SinkTest.SECRET).startsWith("HTTP/1.1 204 "));
      assertTrue(post(server.port(), "Authorization: Basic cHJveHk6cGFzcw==",
          "Authorization: Bearer " + SinkTest.SECRET).startsWith("HTTP/1.1 204 "));
      String wrong = post(server.port(), "X-Alert-Secret: " + WRONG);
      assertTrue(wrong.startsWith("HTTP/1.1 401 "), wrong);
      assertFalse(wrong.contains("ambiguous"), wrong);
    }
  }

  private Map<String, Object> invoke(FunctionUrlEvent event) throws Exception {
    return event.text("{}").header("content-type", "application/json")
        .sendTo(new SinkHandler(sink()));
  }

  private void assertAmbiguous(Map<String, Object> response) {
    assertEquals(401, response.get("statusCode"), String.valueOf(response));
    String body = String.valueOf(response.get("body"));
    assertTrue(body.contains("ambiguous credentials"), body);
    assertNothingEchoed(body);
    assertTrue(decoded.isEmpty(), "the body was decoded");
  }

  @Test
  void aFunctionUrlEventWithTwoXAlertSecretHeadersCommaJoinedIs401() throws Exception {
    // A Function URL joins repeated headers with commas (PROTOCOLS.md section 9).
    assertAmbiguous(invoke(FunctionUrlEvent.post("/").secret(WRONG + "," + SinkTest.SECRET)));
    assertAmbiguous(invoke(FunctionUrlEvent.post("/").secret(SinkTest.SECRET + ", " + WRONG)));
    assertEquals(204, invoke(FunctionUrlEvent.post("/")
        .secret(SinkTest.SECRET + "," + SinkTest.SECRET)).get("statusCode"));
  }

  @Test
  void aFunctionUrlEventWithXAlertSecretAndADifferentBearerIs401() throws Exception {
    assertAmbiguous(invoke(FunctionUrlEvent.post("/").secret(SinkTest.SECRET)
        .header("authorization", "Bearer " + WRONG)));
    assertAmbiguous(invoke(FunctionUrlEvent.post("/")
        .header("authorization", "Bearer " + SinkTest.SECRET + ",Bearer " + WRONG)));
    assertEquals(204, invoke(FunctionUrlEvent.post("/").secret(SinkTest.SECRET)
        .header("authorization", "Bearer " + SinkTest.SECRET)).get("statusCode"));
  }

  @Test
  void anApiGatewayEventWithTwoDifferentXAlertSecretValuesIs401() throws Exception {
    byte[] event = new ApiGatewayV1Event("POST", "/", Map.of("X-Alert-Secret", SinkTest.SECRET),
        Map.of("X-Alert-Secret", List.of(WRONG, SinkTest.SECRET)), "{}").bytes();
    assertAmbiguous(SinkHandlerEventsTest.invoke(new SinkHandler(sink()), event));
  }
}
