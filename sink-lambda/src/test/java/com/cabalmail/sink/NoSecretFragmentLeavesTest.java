package com.cabalmail.sink;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.cabalmail.alert.testkit.CapturedLogs;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 16, point 1: Pushover and ntfy behind a middlebox that answers with the request echoed
 * back (the form with the token and user key, the {@code Authorization} header with the ntfy
 * token), after a prefix of every length, so that each cut the sink and the transports make
 * falls at every offset of every secret. No 8-character piece of any secret may reach the
 * answer body, a log line or an outcome detail.
 */
class NoSecretFragmentLeavesTest {

  static final String SECRET = "shared-secret-0123456789abcdef";
  static final int PIECE = 8;
  static final List<String> SECRETS = List.of(ProviderStubs.PUSHOVER_TOKEN,
      ProviderStubs.PUSHOVER_USER, ProviderStubs.NTFY_TOKEN, SECRET);

  @RegisterExtension
  final ProviderStubs stubs = new ProviderStubs();

  @BeforeEach
  void clearLogs() {
    CapturedLogs.clear();
  }

  /** What the pushover and ntfy middleboxes answer, given the echo's prefix. */
  private interface Echo {
    void answer(String prefix);
  }

  @Test
  void echoedCredentialsAreScrubbedBeforeEveryCut() throws IOException {
    SinkHandler handler = handler("150ms");
    List<String> answers = new ArrayList<>();
    // The longest cut is ntfy's 300-byte error text behind "Bearer "; go past it.
    for (int length = 0; length <= 345; length++) {
      String prefix = "x".repeat(length);
      for (Echo echo : List.<Echo>of(
          p -> answer(pushoverText(400, p), ntfyError(400, p)),
          p -> answer(pushoverErrors(400, p), ntfyId(p)),
          p -> answer(pushoverRequestId(p), ntfyError(400, p)),
          p -> answer(pushoverErrors(500, p), ntfyError(403, p)))) {
        echo.answer(prefix);
        answers.add(send(handler));
      }
    }
    // 5xx from ntfy is retried: one run over the window where its cut meets the token.
    for (int length = 250; length <= 300; length++) {
      String prefix = "x".repeat(length);
      answer(pushoverText(502, prefix), ntfyError(500, prefix));
      answers.add(send(handler));
    }
    String logs = CapturedLogs.text();
    assertTrue(answers.stream().anyMatch(a -> a.contains("<redacted>")),
        "the echo reached the answers, scrubbed");
    for (String answer : answers) {
      assertNoPiece(answer, "answer body");
    }
    assertNoPiece(logs, "logs");
  }

  @Test
  void theStandInsReallyEchoTheCredentials() throws IOException {
    // Guards the test above: without scrubbing, the echo would carry each secret.
    answer(pushoverText(400, ""), ntfyError(400, ""));
    send(handler("2s")); // warms the JVM's HTTP stack
    answer(pushoverText(400, ""), ntfyError(400, ""));
    send(handler("2s"));
    String echoedForm = stubs.pushover.getAllServeEvents().get(0).getResponse().getBodyAsString();
    String echoedHeader = stubs.ntfy.getAllServeEvents().get(0).getResponse().getBodyAsString();
    assertTrue(echoedForm.contains(ProviderStubs.PUSHOVER_TOKEN), echoedForm);
    assertTrue(echoedForm.contains(ProviderStubs.PUSHOVER_USER), echoedForm);
    assertTrue(echoedHeader.contains(ProviderStubs.NTFY_TOKEN), echoedHeader);
  }

  private SinkHandler handler(String transportTimeout) {
    Map<String, String> env = new HashMap<>(stubs.settings());
    env.put("ALERT_SECRET", SECRET);
    env.put("ALERT_TRANSPORT_TIMEOUT", transportTimeout);
    env.put("ALERT_DEADLINE", "2s");
    // Without the delivery ledger: the same alert is sent on every try, each echoed back.
    env.put("ALERT_LEDGER", "none");
    return new SinkHandler(
        SinkSetup.create(env, SinkSetup.SSM, getClass().getClassLoader(), null));
  }

  private void answer(ResponseDefinitionBuilder pushover, ResponseDefinitionBuilder ntfy) {
    stubs.pushover.resetAll();
    stubs.ntfy.resetAll();
    stubs.pushover.stubFor(any(anyUrl()).willReturn(pushover));
    stubs.ntfy.stubFor(any(anyUrl()).willReturn(ntfy));
  }

  private String send(SinkHandler handler) throws IOException {
    Map<String, Object> response = FunctionUrlEvent.post("/")
        .header("authorization", "Bearer " + SECRET).header("content-type", "application/json")
        .text("{\"severity\": \"critical\", \"source\": \"kuma/echo\", \"summary\": \"IMAP down\"}")
        .sendTo(handler);
    int status = ((Number) response.get("statusCode")).intValue();
    assertTrue(status == 207 || status == 502, "status " + status);
    return (String) response.get("body");
  }

  private static ResponseDefinitionBuilder templated(int status, String type, String body) {
    return aResponse().withStatus(status).withHeader("Content-Type", type).withBody(body)
        .withTransformers("response-template");
  }

  /** A middlebox's page: the form as sent, after the prefix. */
  private static ResponseDefinitionBuilder pushoverText(int status, String prefix) {
    return templated(status, "text/html", prefix + "{{{request.body}}}");
  }

  /** Pushover's JSON shape, its error text the form as sent. */
  private static ResponseDefinitionBuilder pushoverErrors(int status, String prefix) {
    return templated(status, "application/json",
        "{\"status\":0,\"errors\":[\"" + prefix + "{{{request.body}}}\"]}");
  }

  /** Pushover's success, its request id the form as sent. */
  private static ResponseDefinitionBuilder pushoverRequestId(String prefix) {
    return templated(200, "application/json",
        "{\"status\":1,\"request\":\"" + prefix + "{{{request.body}}}\"}");
  }

  /** ntfy's error JSON, its text the Authorization header as sent. */
  private static ResponseDefinitionBuilder ntfyError(int status, String prefix) {
    return templated(status, "application/json", "{\"code\":" + status + "01,\"http\":" + status
        + ",\"error\":\"" + prefix + "{{{request.headers.Authorization}}}\"}");
  }

  /** ntfy's success, its message id the Authorization header as sent. */
  private static ResponseDefinitionBuilder ntfyId(String prefix) {
    return templated(200, "application/json",
        "{\"id\":\"" + prefix + "{{{request.headers.Authorization}}}\",\"event\":\"message\"}");
  }

  private static void assertNoPiece(String text, String where) {
    for (String secret : SECRETS) {
      for (int i = 0; i + PIECE <= secret.length(); i++) {
        String piece = secret.substring(i, i + PIECE);
        int at = text.indexOf(piece);
        if (at >= 0) {
          fail("the " + where + " carries '" + piece + "' of a secret: ..."
              + text.substring(Math.max(0, at - 60), Math.min(text.length(), at + 60)) + "...");
        }
      }
    }
  }
}
