package com.cabalmail.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cabalmail.alert.AlertRouter;
import com.cabalmail.alert.decode.AlertBatch;
import com.cabalmail.alert.decode.WebhookFormat;
import com.cabalmail.alert.testkit.CapturedLogs;
import com.cabalmail.http.Secret;
import com.cabalmail.http.Ticker;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 16, point 2: a caller without the secret costs a streaming read of the event's headers
 * and nothing else, and a flood of them writes a bounded number of log lines.
 */
class UnauthenticatedWorkTest {

  static final String SECRET = SinkHandlerEventsTest.SAMPLE_SECRET;

  /** Time that moves only when a test says so (the kit's ManualTicker adds real time). */
  static final class StoppedTicker implements Ticker {
    private final AtomicLong nanos = new AtomicLong();

    @Override
    public long nanoTime() {
      return nanos.get();
    }

    @Override
    public void sleep(Duration duration) {
      nanos.addAndGet(duration.toNanos());
    }
  }

  private final StoppedTicker ticker = new StoppedTicker();
  private final List<byte[]> decoded = new ArrayList<>();

  @BeforeEach
  void clearLogs() {
    CapturedLogs.clear();
  }

  private SinkHandler handler() {
    Sink.BodyDecoder decoder = (body, type, format) -> {
      decoded.add(body);
      return new AlertBatch(WebhookFormat.DIRECT, List.of(SinkTest.critical("x")), 0);
    };
    AlertRouter router = AlertRouter.builder().routes(SinkTest.table())
        .transport("pushover", SinkTest.sending("p")).transport("ntfy", SinkTest.sending("n"))
        .deadline(Duration.ofSeconds(2)).build();
    return new SinkHandler(new Sink(new SecretCheck(Secret.of(SECRET), Optional.empty()),
        decoder, router, 1 << 20, new UnauthorizedLog(ticker)));
  }

  /** An event whose body is {@code body} marked base64, sent with {@code headers}. */
  static byte[] event(Map<String, String> headers, String body) {
    // The body first: the check must skip it, unread, to reach the headers.
    return FunctionUrlEvent.post("/").header("content-type", "application/json").headers(headers)
        .markedBase64(body).requestId("req-" + body.length()).bodyFirst().bytes();
  }

  @Test
  void aBodyIsNeverDecodedForACallerWithoutTheSecret() throws IOException {
    // Not base64 at all: decoding it would answer 400, so a 401 shows it was never decoded.
    String notBase64 = "!!!! not base64 !!!!".repeat(1000);
    SinkHandler handler = handler();
    for (Map<String, String> headers : List.of(Map.<String, String>of(),
        Map.of("x-alert-secret", "wrong"), Map.of("authorization", "Bearer wrong"))) {
      Map<String, Object> response = SinkHandlerEventsTest.invoke(handler,
          event(headers, notBase64));
      assertEquals(401, response.get("statusCode"), headers.toString());
    }
    assertTrue(decoded.isEmpty());
    Map<String, Object> withSecret = SinkHandlerEventsTest.invoke(handler,
        event(Map.of("x-alert-secret", SECRET), notBase64));
    assertEquals(400, withSecret.get("statusCode"), "with the secret, the body is decoded");
  }

  @Test
  void theSecretInEitherHeaderLetsTheBodyThrough() throws IOException {
    SinkHandler handler = handler();
    String body = java.util.Base64.getEncoder().encodeToString("{}".getBytes());
    assertEquals(204, SinkHandlerEventsTest.invoke(handler,
        event(Map.of("X-Alert-Secret", SECRET), body)).get("statusCode"));
    assertEquals(204, SinkHandlerEventsTest.invoke(handler,
        event(Map.of("authorization", "Bearer " + SECRET), body)).get("statusCode"));
    assertEquals(2, decoded.size());
  }

  @Test
  void healthAndWrongMethodsAnswerAsBeforeWithoutTheSecret() throws IOException {
    assertEquals(200, FunctionUrlEvent.get("/health").sendTo(handler()).get("statusCode"));
  }

  @Test
  void aFloodOf401sWritesOneLineThenOneSummaryAMinute() throws IOException {
    SinkHandler handler = handler();
    byte[] event = event(Map.of("x-alert-secret", "guess"), "e30=");
    for (int i = 0; i < 1000; i++) {
      assertEquals(401, SinkHandlerEventsTest.invoke(handler, event).get("statusCode"));
    }
    assertEquals(1, lines401().size(), lines401().toString());
    assertTrue(lines401().get(0).contains("further 401s are counted"), lines401().toString());

    ticker.sleep(Duration.ofSeconds(59));
    SinkHandlerEventsTest.invoke(handler, event);
    assertEquals(1, lines401().size(), "no summary before a minute has passed: " + lines401());

    ticker.sleep(Duration.ofSeconds(1));
    SinkHandlerEventsTest.invoke(handler, event);
    assertEquals(2, lines401().size());
    assertTrue(lines401().get(1).contains("1001 more requests answered 401 in the last 60 s"),
        lines401().toString());

    ticker.sleep(Duration.ofSeconds(30));
    SinkHandlerEventsTest.invoke(handler, event);
    ticker.sleep(Duration.ofSeconds(30));
    SinkHandlerEventsTest.invoke(handler, event);
    assertEquals(3, lines401().size());
    assertTrue(lines401().get(2).contains("2 more requests answered 401 in the last 60 s"),
        lines401().toString());
    assertFalse(CapturedLogs.text().contains("guess"), "what was sent is never logged");
  }

  private static List<String> lines401() {
    return CapturedLogs.lines().stream().filter(l -> l.contains("401"))
        .collect(Collectors.toList());
  }
}
