package com.cabalmail.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cabalmail.alert.Alert;
import com.cabalmail.alert.AlertRouter;
import com.cabalmail.alert.Outcome;
import com.cabalmail.alert.Route;
import com.cabalmail.alert.RoutingTable;
import com.cabalmail.alert.Severity;
import com.cabalmail.alert.decode.AlertBatch;
import com.cabalmail.alert.decode.DecodeException;
import com.cabalmail.alert.decode.WebhookFormat;
import com.cabalmail.alert.spi.Transport;
import com.cabalmail.alert.testkit.CapturedLogs;
import com.cabalmail.http.Redaction;
import com.cabalmail.http.Secret;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SinkTest {

  static final String SECRET = "s3cr3t-current-value";
  static final String PREVIOUS = "s3cr3t-previous-value";

  private final List<WebhookFormat> formats = new ArrayList<>();

  @BeforeEach
  void clearLogs() {
    CapturedLogs.clear();
  }

  static Alert critical(String summary) {
    return Alert.firing(Severity.CRITICAL, "test/source", summary)
        .withRunbook(URI.create("https://runbooks.example/x"));
  }

  static RoutingTable table() {
    Map<Severity, List<Route>> firing = new EnumMap<>(Severity.class);
    firing.put(Severity.CRITICAL, List.of(new Route("pushover", 1), new Route("ntfy", 5)));
    firing.put(Severity.WARNING, List.of(new Route("ntfy", 3)));
    return RoutingTable.of(firing, Map.of());
  }

  static Transport sending(String id) {
    return (alert, priority, deadline) -> Outcome.sent(id, "queued", 1);
  }

  static Transport failing(String why) {
    return (alert, priority, deadline) -> Outcome.failed(why, 3);
  }

  Sink sink(Transport pushover, Transport ntfy, List<Alert> alerts) {
    Sink.BodyDecoder decoder = (body, contentType, format) -> {
      formats.add(format);
      return new AlertBatch(format == WebhookFormat.AUTO ? WebhookFormat.DIRECT : format, alerts,
          0);
    };
    return sink(pushover, ntfy, decoder);
  }

  static Sink sink(Transport pushover, Transport ntfy, Sink.BodyDecoder decoder) {
    AlertRouter router = AlertRouter.builder().routes(table())
        .transport("pushover", pushover).transport("ntfy", ntfy)
        .transportTimeout(Duration.ofSeconds(2)).deadline(Duration.ofSeconds(3)).build();
    return new Sink(new SecretCheck(Secret.of(SECRET), Optional.of(Secret.of(PREVIOUS))),
        decoder, router, 1024);
  }

  static SinkRequest post(String path, Map<String, String> headers, String body) {
    return new SinkRequest("POST", path, headers, body.getBytes(StandardCharsets.UTF_8), "req-1");
  }

  static SinkRequest authorised(String path, String body) {
    return post(path, Map.of("X-Alert-Secret", SECRET), body);
  }

  static String body(SinkResponse response) {
    return new String(response.body(), StandardCharsets.UTF_8);
  }

  @Test
  void healthAnswers200WithoutAuthAndWithoutSecrets() {
    SinkResponse response = sink(sending("p"), sending("n"), List.of(critical("x")))
        .handle(new SinkRequest("GET", "/health", Map.of(), new byte[0], "req-h"));
    assertEquals(200, response.status());
    assertEquals("{\"status\":\"ok\"}", body(response));
  }

  @Test
  void everyPlannedDeliverySentIs204() {
    SinkResponse response = sink(sending("p"), sending("n"), List.of(critical("disk full")))
        .handle(authorised("/", "{}"));
    assertEquals(204, response.status());
    assertEquals(0, response.body().length);
  }

  @Test
  void infoAlertRoutedNowhereIs204() {
    Alert info = Alert.firing(Severity.INFO, "test/info", "fyi");
    SinkResponse response = sink(failing("down"), failing("down"), List.of(info))
        .handle(authorised("/", "{}"));
    assertEquals(204, response.status());
  }

  @Test
  void pushoverFailingWhileNtfySendsIs207NamingEachDelivery() {
    Alert warning = Alert.firing(Severity.WARNING, "test/warn", "slow");
    SinkResponse response = sink(failing("pushover: connection refused (3 attempts)"),
        sending("ntfy-id"), List.of(critical("disk full"), warning))
        .handle(authorised("/", "{}"));
    assertEquals(207, response.status());
    String json = body(response);
    assertTrue(json.contains("\"sent\":[\"ntfy\"]"), json);
    assertTrue(json.contains("\"errors\":{\"pushover\":\"pushover: connection refused (3 attempts)\"}"), json);
    assertTrue(json.contains("{\"transport\":\"pushover\",\"priority\":1,\"outcome\":\"failed\","
        + "\"detail\":\"pushover: connection refused (3 attempts)\",\"attempts\":3"), json);
    assertTrue(json.contains("{\"transport\":\"ntfy\",\"priority\":5,\"outcome\":\"sent\","
        + "\"id\":\"ntfy-id\""), json);
    assertTrue(json.contains("\"source\":\"test/warn\",\"severity\":\"warning\""), json);
    assertTrue(json.contains("\"requestId\":\"req-1\""), json);
  }

  @Test
  void nothingDeliveredIs502() {
    SinkResponse response = sink(failing("pushover down"), failing("ntfy down"),
        List.of(critical("disk full"))).handle(authorised("/", "{}"));
    assertEquals(502, response.status());
    assertTrue(body(response).contains("\"ntfy\":\"ntfy down\""), body(response));
  }

  @Test
  void throwingTransportIsAFailedDeliveryNotA500() {
    Transport throwing = (alert, priority, deadline) -> {
      throw new IllegalStateException("bug in transport");
    };
    SinkResponse response = sink(throwing, sending("n"), List.of(critical("disk full")))
        .handle(authorised("/", "{}"));
    assertEquals(207, response.status());
    assertTrue(body(response).contains("bug in transport"), body(response));
  }

  @Test
  void bugEscapingTheDecoderIs500WithRequestIdAndLoggedStackTrace() {
    Sink sink = sink(sending("p"), sending("n"), (body, type, format) -> {
      throw new IllegalStateException("decoder bug");
    });
    SinkResponse response = sink.handle(authorised("/", "{}"));
    assertEquals(500, response.status());
    assertTrue(body(response).contains("req-1"), body(response));
    assertEquals("req-1", response.headers().get("x-request-id"));
    assertFalse(body(response).contains("decoder bug"), "no internals to the caller");
    String logs = CapturedLogs.text();
    assertTrue(logs.contains("request req-1 failed unexpectedly"), logs);
    assertTrue(logs.contains("java.lang.IllegalStateException: decoder bug"), logs);
    assertTrue(logs.contains("at com.cabalmail.sink.SinkTest"), "stack trace logged: " + logs);
  }

  @Test
  void decodeErrorIs400WithTheDecodersMessage() {
    Sink sink = sink(sending("p"), sending("n"), (body, type, format) -> {
      throw new DecodeException("/alerts/0/labels/severity: expected a string, got a number");
    });
    SinkResponse response = sink.handle(authorised("/", "{}"));
    assertEquals(400, response.status());
    assertTrue(body(response).contains(
        "/alerts/0/labels/severity: expected a string, got a number"), body(response));
  }

  @Test
  void bodyOverTheDecoderLimitIs413() {
    Sink sink = sink(sending("p"), sending("n"), (body, type, format) -> {
      throw DecodeException.tooLarge("body of 300000 bytes is over the limit of 262144");
    });
    assertEquals(413, sink.handle(authorised("/", "{}")).status());
  }

  @Test
  void bodyOverTheSinkLimitIs413BeforeDecoding() {
    SinkResponse response = sink(sending("p"), sending("n"), List.of(critical("x")))
        .handle(authorised("/", "x".repeat(1025)));
    assertEquals(413, response.status());
    assertTrue(formats.isEmpty());
  }

  @Test
  void missingSecretIs401NamingBothAcceptedHeaders() {
    SinkResponse response = sink(sending("p"), sending("n"), List.of(critical("x")))
        .handle(post("/", Map.of(), "{}"));
    assertEquals(401, response.status());
    assertTrue(body(response).contains("'X-Alert-Secret: <secret>'"), body(response));
    assertTrue(body(response).contains("'Authorization: Bearer <secret>'"), body(response));
    assertTrue(formats.isEmpty(), "nothing decoded without auth");
  }

  @Test
  void wrongSecretIs401WithoutEchoingIt() {
    SinkResponse response = sink(sending("p"), sending("n"), List.of(critical("x")))
        .handle(post("/", Map.of("x-alert-secret", "guess-123"), "{}"));
    assertEquals(401, response.status());
    assertFalse(body(response).contains("guess-123"));
    assertFalse(CapturedLogs.text().contains("guess-123"));
  }

  @Test
  void bearerTokenIsAcceptedAnyCase() {
    SinkResponse response = sink(sending("p"), sending("n"), List.of(critical("x")))
        .handle(post("/", Map.of("Authorization", "bearer " + SECRET), "{}"));
    assertEquals(204, response.status());
  }

  @Test
  void previousSecretStillAcceptedDuringRotation() {
    Sink sink = sink(sending("p"), sending("n"), List.of(critical("x")));
    assertEquals(204, sink.handle(post("/", Map.of("X-ALERT-SECRET", PREVIOUS), "{}")).status());
    assertEquals(204, sink.handle(
        post("/", Map.of("authorization", "Bearer " + PREVIOUS), "{}")).status());
  }

  @Test
  void prefixOfTheSecretIsRejected() {
    Sink sink = sink(sending("p"), sending("n"), List.of(critical("x")));
    assertEquals(401, sink.handle(
        post("/", Map.of("x-alert-secret", SECRET.substring(0, 5)), "{}")).status());
    assertEquals(401, sink.handle(
        post("/", Map.of("authorization", "Basic " + SECRET), "{}")).status());
  }

  @Test
  void getIsNotAllowedOutsideHealth() {
    SinkResponse response = sink(sending("p"), sending("n"), List.of(critical("x")))
        .handle(new SinkRequest("GET", "/", Map.of(), new byte[0], "req-1"));
    assertEquals(405, response.status());
    assertEquals("POST, PUT", response.headers().get("allow"));
  }

  @Test
  void unknownPathIs404ListingThePaths() {
    SinkResponse response = sink(sending("p"), sending("n"), List.of(critical("x")))
        .handle(authorised("/prometheus", "{}"));
    assertEquals(404, response.status());
    assertTrue(body(response).contains("/alertmanager"), body(response));
  }

  @Test
  void pathNamesTheFormatAndRootDetectsIt() {
    Sink sink = sink(sending("p"), sending("n"), List.of(critical("x")));
    for (String path : List.of("/", "/alertmanager", "/grafana/", "/kuma", "/Healthchecks")) {
      assertEquals(204, sink.handle(authorised(path, "{}")).status(), path);
    }
    assertEquals(List.of(WebhookFormat.AUTO, WebhookFormat.ALERTMANAGER, WebhookFormat.GRAFANA,
        WebhookFormat.KUMA, WebhookFormat.HEALTHCHECKS), formats);
  }

  @Test
  void contentTypeIsPassedAsAHintOnly() {
    List<String> types = new ArrayList<>();
    Sink sink = sink(sending("p"), sending("n"), (body, type, format) -> {
      types.add(type);
      return new AlertBatch(WebhookFormat.DIRECT, List.of(critical("x")), 0);
    });
    sink.handle(post("/", Map.of("x-alert-secret", SECRET,
        "Content-Type", "application/x-www-form-urlencoded"), "{}"));
    sink.handle(post("/", Map.of("x-alert-secret", SECRET), "{}"));
    assertEquals(java.util.Arrays.asList("application/x-www-form-urlencoded", null), types);
  }

  @Test
  void secretsAreScrubbedFromAnswers() {
    Transport leaky = (alert, priority, deadline) -> Outcome.rejected("token " + SECRET, 1);
    SinkResponse response = sink(leaky, sending("n"), List.of(critical("x")))
        .handle(authorised("/", "{}"));
    assertEquals(207, response.status());
    assertFalse(body(response).contains(SECRET), body(response));
    assertTrue(body(response).contains("token <redacted>"), body(response));
  }

  @Test
  void secretsTheProcessLearnsAfterStartAreScrubbedFromAnswersToo() {
    String fetched = "ASIA-session-token-fetched-at-run-time";
    Transport leaky = (alert, priority, deadline) -> Outcome.rejected("echoed " + fetched, 1);
    Sink sink = sink(leaky, sending("n"), List.of(critical("x")));
    String source = "SinkTest";
    SinkResponse response;
    try {
      Redaction.learned(source, List.of(Secret.of(fetched)));
      response = sink.handle(authorised("/", "{}"));
    } finally {
      Redaction.learned(source, List.of());
    }
    assertEquals(207, response.status());
    assertFalse(body(response).contains(fetched), body(response));
    assertTrue(body(response).contains("echoed <redacted>"), body(response));
  }
}
