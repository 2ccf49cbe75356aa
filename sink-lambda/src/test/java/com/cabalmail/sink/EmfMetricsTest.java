package com.cabalmail.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cabalmail.alert.Alert;
import com.cabalmail.alert.AlertConfig;
import com.cabalmail.alert.AlertRouter;
import com.cabalmail.alert.Delivery;
import com.cabalmail.alert.Outcome;
import com.cabalmail.alert.Route;
import com.cabalmail.alert.RoutingTable;
import com.cabalmail.alert.Severity;
import com.cabalmail.alert.decode.WebhookDecoder;
import com.cabalmail.alert.spi.Settings;
import com.cabalmail.http.Json;
import com.cabalmail.http.Secret;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** EMF lines as CloudWatch reads them, from requests served by the real transports. */
class EmfMetricsTest {

  static final String SECRET = "emf-test-shared-secret";
  static final Instant NOW = Instant.parse("2026-12-02T02:40:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
  @RegisterExtension
  final ProviderStubs stubs = new ProviderStubs();

  /** A sink without the delivery ledger: each test's repeats are delivered again. */
  Sink sink() {
    return sink("none");
  }

  Sink sink(String ledger) {
    Map<String, String> env = new HashMap<>(stubs.settings());
    env.put(AlertConfig.LEDGER, ledger);
    AlertConfig config = AlertConfig.from(Settings.of(env), RoutingTable.DEFAULT,
        getClass().getClassLoader());
    EmfMetrics metrics = new EmfMetrics("CabalAlerting", config.transports(),
        new PrintStream(stdout, true, StandardCharsets.UTF_8), CLOCK);
    SelfWatch off = SelfWatch.off();
    return new Sink(new SecretCheck(Secret.of(SECRET), Optional.empty()),
        WebhookDecoder.builder().build()::decode, AlertRouter.create(config), 1 << 20,
        new SelfWatch(off.watchdog(), Optional.empty(), metrics));
  }

  SinkResponse send(Sink sink, String body) {
    return sink.handle(new SinkRequest("POST", "/", Map.of("X-Alert-Secret", SECRET,
        "Content-Type", "application/json"), body.getBytes(StandardCharsets.UTF_8), "req-emf"));
  }

  /** Every line written, each parsed; fails unless every line is one valid EMF object. */
  List<Map<String, Object>> lines() throws IOException {
    String text = stdout.toString(StandardCharsets.UTF_8);
    assertTrue(text.endsWith("\n"), text);
    List<Map<String, Object>> lines = new ArrayList<>();
    for (String line : text.split("\n")) {
      assertTrue(line.length() < 256 * 1024, "a log event is at most 256 KB");
      @SuppressWarnings("unchecked")
      Map<String, Object> object = (Map<String, Object>) parse(line);
      assertValidEmf(object, line);
      lines.add(object);
    }
    return lines;
  }

  /** EMF's rules: a namespace, metrics named, dimensions that are top-level strings. */
  @SuppressWarnings("unchecked")
  static void assertValidEmf(Map<String, Object> object, String line) {
    Map<String, Object> aws = (Map<String, Object>) object.get("_aws");
    assertEquals(NOW.toEpochMilli(), ((Number) aws.get("Timestamp")).longValue(), line);
    List<Object> directives = (List<Object>) aws.get("CloudWatchMetrics");
    assertFalse(directives.isEmpty(), line);
    for (Object d : directives) {
      Map<String, Object> directive = (Map<String, Object>) d;
      assertEquals("CabalAlerting", directive.get("Namespace"), line);
      for (Object set : (List<Object>) directive.get("Dimensions")) {
        for (Object dimension : (List<Object>) set) {
          assertTrue(object.get(dimension) instanceof String,
              "dimension " + dimension + " is a top-level string: " + line);
          assertTrue(List.of("Answer", "AnswerClass", "Request", "Transport", "Outcome", "Via")
              .contains(dimension), "low-cardinality dimensions only: " + dimension);
        }
      }
      List<Object> metrics = (List<Object>) directive.get("Metrics");
      assertTrue(metrics.size() <= 100, line);
      for (Object m : metrics) {
        Object value = object.get(((Map<String, Object>) m).get("Name"));
        assertTrue(value instanceof Number
            || (value instanceof List && ((List<Object>) value).size() <= 100),
            "each metric has a value: " + line);
      }
    }
  }

  @Test
  void criticalAlertIsOneLinePerTransportTheFirstCarryingTheRequestAndPushoversQuota()
      throws IOException {
    Sink sink = sink();
    String critical = "{\"severity\":\"critical\",\"source\":\"kuma/IMAP\","
        + "\"summary\":\"IMAP down\"}";
    send(sink, critical); // a first exchange on a loaded machine may outlive an attempt timeout
    stdout.reset();
    SinkResponse response = send(sink, critical);
    assertEquals(204, response.status(), new String(response.body(), StandardCharsets.UTF_8));

    List<Map<String, Object>> lines = lines();
    assertEquals(2, lines.size(), lines.toString());
    Map<String, Object> first = lines.get(0);
    assertEquals("alerts", first.get("Request"));
    assertEquals("204", first.get("Answer"));
    assertEquals("2xx", first.get("AnswerClass"));
    assertEquals(1, first.get("Requests"));
    assertEquals("req-emf", first.get("RequestId"));
    assertEquals("pushover", first.get("Transport"));
    assertEquals("sent", first.get("Outcome"));
    assertEquals(1, first.get("Deliveries"));
    assertTrue(first.get("DeliveryLatency") instanceof Number, first.toString());
    assertEquals(7496, first.get("QuotaRemaining"), "Pushover's X-Limit-App-Remaining");

    Map<String, Object> second = lines.get(1);
    assertEquals("ntfy", second.get("Transport"));
    assertEquals("sent", second.get("Outcome"));
    assertFalse(second.containsKey("Requests"), "a request is counted once: " + second);
    assertFalse(second.containsKey("QuotaRemaining"), second.toString());
    assertFalse(stdout.toString(StandardCharsets.UTF_8).contains("kuma/IMAP"),
        "sources stay out of metrics");
  }

  @Test
  void aRepeatTheLedgerSkipsIsCountedAsLedgerHitsPerTransport() throws IOException {
    Sink sink = sink("memory");
    String critical = "{\"severity\":\"critical\",\"source\":\"kuma/IMAP\","
        + "\"summary\":\"IMAP down\"}";
    send(sink, critical);
    stdout.reset();
    SinkResponse response = send(sink, critical);
    assertEquals(200, response.status(), new String(response.body(), StandardCharsets.UTF_8));

    List<Map<String, Object>> lines = lines();
    assertEquals(2, lines.size(), lines.toString());
    for (Map<String, Object> line : lines) {
      assertEquals("already_delivered", line.get("Outcome"), line.toString());
      assertEquals(1, line.get("LedgerHits"), line.toString());
    }
    assertEquals(List.of("pushover", "ntfy"),
        List.of(lines.get(0).get("Transport"), lines.get(1).get("Transport")));
  }

  @Test
  void failedDeliveryIsCountedUnderItsOutcomeAndTheAnswerAs5xx() throws IOException {
    stubs.ntfyAnswers(ProviderStubs.ntfyServerError());

    SinkResponse response = send(sink(), "{\"severity\":\"warning\",\"source\":\"cron/x\","
        + "\"summary\":\"late\"}");

    assertEquals(502, response.status());
    List<Map<String, Object>> lines = lines();
    assertEquals(1, lines.size(), lines.toString());
    assertEquals("ntfy", lines.get(0).get("Transport"));
    assertEquals("failed", lines.get(0).get("Outcome"));
    assertEquals("502", lines.get(0).get("Answer"));
    assertEquals("5xx", lines.get(0).get("AnswerClass"));
  }

  @Test
  void infoAlertDroppedByRoutingIsCountedWithoutALatency() throws IOException {
    send(sink(), "{\"severity\":\"info\",\"source\":\"cron/x\",\"summary\":\"fyi\"}");

    List<Map<String, Object>> lines = lines();
    assertEquals(1, lines.size(), lines.toString());
    assertEquals("routing", lines.get(0).get("Transport"));
    assertEquals("dropped", lines.get(0).get("Outcome"));
    assertEquals(1, lines.get(0).get("Deliveries"));
    assertFalse(lines.get(0).containsKey("DeliveryLatency"), "nothing was sent to time");
  }

  @Test
  void refusedRequestIsOneLineWithoutDeliveries() throws IOException {
    sink().handle(new SinkRequest("POST", "/", Map.of(), new byte[0], "req-401"));

    List<Map<String, Object>> lines = lines();
    assertEquals(1, lines.size());
    assertEquals("refused", lines.get(0).get("Request"));
    assertEquals("401", lines.get(0).get("Answer"));
    assertFalse(lines.get(0).containsKey("Transport"));
  }

  @Test
  void thousandDeliveriesThroughOneTransportSplitIntoLinesOfAtMostHundredValues()
      throws IOException {
    List<Delivery> deliveries = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      deliveries.add(new Delivery(Alert.firing(Severity.WARNING, "x/" + i, "s"),
          Optional.of(new Route("ntfy", 3)), Outcome.sent("id", "ok", 1),
          Duration.ofMillis(i)));
    }
    EmfMetrics metrics = new EmfMetrics("CabalAlerting", Map.of(),
        new PrintStream(stdout, true, StandardCharsets.UTF_8), CLOCK);

    metrics.record(new SinkMetrics.Served("req-big", SinkMetrics.Kind.ALERTS, 204, deliveries));

    List<Map<String, Object>> lines = lines();
    assertEquals(10, lines.size());
    int total = 0;
    for (Map<String, Object> line : lines) {
      total += (Integer) line.get("Deliveries");
      assertEquals(100, ((List<?>) line.get("DeliveryLatency")).size());
    }
    assertEquals(1000, total);
    assertEquals(1, lines.stream().filter(l -> l.containsKey("Requests")).count());
  }

  @Test
  void anAcknowledgementAndASilenceAreCountedByChannelWithTheTimeToAcknowledge()
      throws IOException {
    EmfMetrics metrics = new EmfMetrics("CabalAlerting", Map.of(),
        new PrintStream(stdout, true, StandardCharsets.UTF_8), CLOCK);

    metrics.record(new SinkMetrics.Served("req-ack", SinkMetrics.Kind.ACK, 200, List.of(),
        List.of(new SinkMetrics.Incident(SinkMetrics.Incident.ACKNOWLEDGED, "pushover",
            Duration.ofSeconds(95)),
            new SinkMetrics.Incident(SinkMetrics.Incident.SILENCED, "ntfy", null))));

    List<Map<String, Object>> lines = lines();
    assertEquals(3, lines.size());
    assertEquals("ack", lines.get(0).get("Request"));
    assertEquals("pushover", lines.get(1).get("Via"));
    assertEquals(1, lines.get(1).get("Acks"));
    assertEquals(95_000, lines.get(1).get("TimeToAck"));
    assertEquals("ntfy", lines.get(2).get("Via"));
    assertEquals(1, lines.get(2).get("Silences"));
    assertFalse(lines.get(2).containsKey("TimeToAck"));
  }

  @Test
  void anEscalationScheduledWithAPageIsCounted() throws IOException {
    EmfMetrics metrics = new EmfMetrics("CabalAlerting", Map.of(),
        new PrintStream(stdout, true, StandardCharsets.UTF_8), CLOCK);
    Alert alert = Alert.firing(Severity.CRITICAL, "kuma/IMAP", "down");
    List<Delivery> deliveries = List.of(
        new Delivery(alert, Optional.of(new Route("ntfy", 5)), Outcome.sent("id",
            "published to topic 'alerts'" + EmfMetrics.ESCALATES + "oncall' in 15m", 1),
            Duration.ofMillis(3)),
        new Delivery(alert, Optional.of(new Route("pushover", 2)), Outcome.sent("id", "queued",
            1), Duration.ofMillis(4)));

    metrics.record(new SinkMetrics.Served("req-esc", SinkMetrics.Kind.ALERTS, 204, deliveries));

    List<Map<String, Object>> escalations = new ArrayList<>();
    for (Map<String, Object> line : lines()) {
      if (line.containsKey("Escalations")) {
        escalations.add(line);
      }
    }
    assertEquals(1, escalations.size());
    assertEquals("ntfy", escalations.get(0).get("Via"));
  }

  @Test
  void aRecoveryANtfyServerBefore216CouldNotClearIsCounted() throws IOException {
    EmfMetrics metrics = new EmfMetrics("CabalAlerting", Map.of(),
        new PrintStream(stdout, true, StandardCharsets.UTF_8), CLOCK);
    Alert alert = Alert.resolved(Severity.CRITICAL, "kuma/IMAP", "up");
    List<Delivery> deliveries = List.of(
        new Delivery(alert, Optional.of(new Route("ntfy", 3)), Outcome.sent("id",
            "published to topic 'alerts', not cleared: " + EmfMetrics.OUTDATED_NTFY, 1),
            Duration.ofMillis(3)),
        new Delivery(alert, Optional.of(new Route("pushover", -1)), Outcome.sent("id",
            "queued", 1), Duration.ofMillis(4)));

    metrics.record(new SinkMetrics.Served("req-old", SinkMetrics.Kind.ALERTS, 204, deliveries));

    List<Map<String, Object>> outdated = new ArrayList<>();
    for (Map<String, Object> line : lines()) {
      if (line.containsKey("OutdatedNtfy")) {
        outdated.add(line);
      }
    }
    assertEquals(1, outdated.size());
    assertEquals("ntfy", outdated.get(0).get("Via"));
  }

  @Test
  void metricsAreOnInLambdaOffLocallyAndNoneTurnsThemOff() {
    assertEquals(Optional.of("CabalAlerting"),
        EmfMetrics.namespace(Settings.of(Map.of("AWS_LAMBDA_FUNCTION_NAME", "alert_sink"))));
    assertEquals(Optional.empty(), EmfMetrics.namespace(Settings.of(Map.of())));
    assertEquals(Optional.of("Cabal/Dev"), EmfMetrics.namespace(Settings.of(Map.of(
        "ALERT_METRICS", "emf", "ALERT_METRICS_NAMESPACE", "Cabal/Dev"))));
    assertEquals(Optional.empty(), EmfMetrics.namespace(Settings.of(Map.of(
        "AWS_LAMBDA_FUNCTION_NAME", "alert_sink", "ALERT_METRICS", "none"))));
  }

  @Test
  void badMetricsSettingsAreProblemsNamingTheKey() {
    Settings settings = Settings.of(Map.of("ALERT_METRICS", "statsd",
        "ALERT_METRICS_NAMESPACE", "AWS/Lambda"));
    EmfMetrics.namespace(settings);
    Settings namespace = Settings.of(Map.of("ALERT_METRICS", "emf",
        "ALERT_METRICS_NAMESPACE", "AWS/Lambda"));
    EmfMetrics.namespace(namespace);

    assertTrue(settings.problems().get(0).startsWith("ALERT_METRICS='statsd' must be emf"),
        settings.problems().toString());
    assertTrue(namespace.problems().get(0).startsWith("ALERT_METRICS_NAMESPACE='AWS/Lambda'"),
        namespace.problems().toString());
  }

  /** A JSON value as maps, lists, integers, longs, doubles, strings and booleans. */
  static Object parse(String json) throws IOException {
    try (JsonParser p = Json.factory().createParser(json)) {
      p.nextToken();
      Object value = value(p);
      assertEquals(null, p.nextToken(), "one object per line: " + json);
      return value;
    }
  }

  private static Object value(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    switch (t) {
      case START_OBJECT: {
        Map<String, Object> map = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          p.nextToken();
          map.put(name, value(p));
        }
        return map;
      }
      case START_ARRAY: {
        List<Object> list = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          list.add(value(p));
        }
        return list;
      }
      case VALUE_NUMBER_INT:
        return p.getNumberValue();
      case VALUE_NUMBER_FLOAT:
        return p.getDoubleValue();
      case VALUE_TRUE:
      case VALUE_FALSE:
        return p.getBooleanValue();
      case VALUE_NULL:
        return null;
      default:
        return p.getText();
    }
  }
}
