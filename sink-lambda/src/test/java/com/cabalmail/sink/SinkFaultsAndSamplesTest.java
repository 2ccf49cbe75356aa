package com.cabalmail.sink;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cabalmail.alert.testkit.CapturedLogs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Lambda handler with everything real but the providers: the shared samples' Function URL
 * events through the real decoder and the real Pushover and ntfy transports, against WireMock
 * answering as the services do; then the providers failing.
 */
class SinkFaultsAndSamplesTest {

  static final String SECRET = SinkHandlerEventsTest.SAMPLE_SECRET;

  @RegisterExtension
  final ProviderStubs stubs = new ProviderStubs();

  @BeforeEach
  void start() {
    CapturedLogs.clear();
  }

  /** Without a ledger: the Python sink's answers (204, 207, 502) and no de-duplication. */
  static final Map<String, String> NO_LEDGER = Map.of("ALERT_LEDGER", "none");

  static Map<String, String> noLedger(Map<String, String> extra) {
    Map<String, String> all = new HashMap<>(extra);
    all.putAll(NO_LEDGER);
    return all;
  }

  SinkHandler handler(Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(stubs.settings());
    env.put("ALERT_SECRET", SECRET);
    env.putAll(extra);
    return new SinkHandler(SinkSetup.create(env, SinkSetup.SSM, getClass().getClassLoader(), null));
  }

  static Map<String, Object> invoke(SinkHandler handler, byte[] event) throws IOException {
    return SinkHandlerEventsTest.invoke(handler, event);
  }

  /**
   * The body of the handler's answer, under {@code settings}, to the sample critical event, once
   * its status is checked to be {@code status}.
   */
  String sampleAnswered(int status, Map<String, String> settings) throws IOException {
    Map<String, Object> response =
        invoke(handler(settings), SinkHandlerEventsTest.resource("functionurl-event.json"));
    assertEquals(status, response.get("statusCode"), response.toString());
    return String.valueOf(response.get("body"));
  }

  /** A Function URL event carrying {@code body} as the URL would: base64 unless JSON-typed. */
  static byte[] event(String path, String contentType, byte[] body) {
    FunctionUrlEvent event = FunctionUrlEvent.post(path).secret(SECRET);
    if (contentType == null) {
      return event.base64(body).bytes();
    }
    event = event.header("content-type", contentType);
    return (contentType.startsWith("application/json") ? event.text(body) : event.base64(body))
        .bytes();
  }

  @Test
  void sampleFunctionUrlEventsPageThroughPushoverAndNtfyWithTheRunbook() throws IOException {
    SinkHandler handler = handler(NO_LEDGER); // the two samples are one alert: both must page
    for (String sample : List.of("functionurl-event.json", "functionurl-event-base64.json")) {
      assertEquals(204, invoke(handler, SinkHandlerEventsTest.resource(sample))
          .get("statusCode"), sample);
    }
    List<Map<String, String>> pushover = stubs.pushoverMessages();
    List<Map<String, String>> ntfy = stubs.ntfyMessages();
    assertEquals(2, pushover.size());
    assertEquals(2, ntfy.size());
    for (Map<String, String> message : pushover) {
      assertEquals("1", message.get("priority"));
      assertEquals("https://runbooks.cabal.example/lambda/dmarc-ingest", message.get("url"));
      assertTrue(message.get("message").contains("DMARC ingest Lambda failed 3 runs"), message.toString());
      assertEquals(ProviderStubs.PUSHOVER_TOKEN, message.get("token"));
    }
    for (Map<String, String> message : ntfy) {
      assertEquals("5", message.get("priority"));
      assertEquals("https://runbooks.cabal.example/lambda/dmarc-ingest", message.get("click"));
    }
    assertFalse(CapturedLogs.text().contains(ProviderStubs.PUSHOVER_TOKEN));
    assertFalse(CapturedLogs.text().contains(SECRET));
  }

  @Test
  void everyAlertOfAnAlertmanagerGroupIsRoutedBySeverity() throws IOException {
    byte[] body = SinkHandlerEventsTest.resource("alertmanager-firing.json");
    assertEquals(204, invoke(handler(Map.of()), event("/alertmanager", "application/json", body))
        .get("statusCode"));
    List<Map<String, String>> pushover = stubs.pushoverMessages();
    assertEquals(1, pushover.size(), "only the critical alert pages");
    assertEquals("https://runbooks.cabal.example/mail/postfix-queue-backlog",
        pushover.get(0).get("url"));
    List<Map<String, String>> ntfy = stubs.ntfyMessages();
    assertEquals(2, ntfy.size(), "critical and warning, not info: " + ntfy);
    assertTrue(ntfy.stream().anyMatch(m -> m.get("priority").equals("5")
        && m.get("message").contains("Postfix deferred queue")), ntfy.toString());
    assertTrue(ntfy.stream().anyMatch(m -> m.get("priority").equals("3")
        && m.get("message").contains("IMAP auth failures")), ntfy.toString());
  }

  @Test
  void resolvedSamplesStayResolvedAndGoOutQuietly() throws IOException {
    SinkHandler handler = handler(Map.of());
    assertEquals(204, invoke(handler, event("/alertmanager", "application/json",
        SinkHandlerEventsTest.resource("alertmanager-resolved.json"))).get("statusCode"));
    assertEquals(204, invoke(handler, event("/kuma", "application/json",
        SinkHandlerEventsTest.resource("kuma-up.json"))).get("statusCode"));
    List<Map<String, String>> pushover = stubs.pushoverMessages();
    assertEquals(2, pushover.size(), "the two resolved criticals: " + pushover);
    assertTrue(pushover.stream().allMatch(m -> m.get("priority").equals("-1")), pushover.toString());
    assertEquals(0, stubs.pushoverCancelledTags().size(),
        "critical pages at 1 by default: no emergency to cancel");
    List<Map<String, String>> ntfy = stubs.ntfyMessages();
    assertEquals(3, ntfy.size(), "critical and warning of Alertmanager, Kuma's critical: " + ntfy);
    assertTrue(ntfy.stream().allMatch(m -> m.get("priority").equals("3")), ntfy.toString());
  }

  @Test
  void directSampleBodyPostedAsIsPages() throws IOException {
    assertEquals(204, invoke(handler(Map.of()), event("/", null,
        SinkHandlerEventsTest.resource("direct-critical.json"))).get("statusCode"));
    assertEquals("https://runbooks.cabal.example/lambda/dmarc-ingest",
        stubs.pushoverMessages().get(0).get("url"));
  }

  @Test
  void untypedAndFormTypedSamplesAreDecodedFromBase64() throws IOException {
    SinkHandler handler = handler(Map.of());
    assertEquals(204, invoke(handler, event("/healthchecks", null,
        SinkHandlerEventsTest.resource("healthchecks-down.json"))).get("statusCode"));
    assertEquals(204, invoke(handler, event("/kuma", "application/x-www-form-urlencoded",
        SinkHandlerEventsTest.resource("kuma-down.json"))).get("statusCode"));
    assertEquals(204, invoke(handler, event("/", "application/json",
        SinkHandlerEventsTest.resource("grafana-firing.json"))).get("statusCode"));
    List<Map<String, String>> pushover = stubs.pushoverMessages();
    assertEquals(3, pushover.size(), pushover.toString());
    assertTrue(pushover.get(0).get("title").contains("healthchecks/certbot-renew"), pushover.toString());
    assertTrue(pushover.get(1).get("title").contains("kuma/cabal-imap"), pushover.toString());
    assertEquals("https://runbooks.cabal.example/mail/imap-latency", pushover.get(2).get("url"));
  }

  @Test
  void exampleHealthchecksBodiesPageThenResolveTheSameAlert() throws IOException {
    SinkHandler handler = handler(Map.of());
    java.nio.file.Path tools = java.nio.file.Paths.get("..", "examples", "deploy", "tools");
    for (String name : List.of("healthchecks-down.json", "healthchecks-up.json")) {
      byte[] body = ToolTemplates.healthchecks(java.nio.file.Files.readString(tools.resolve(name)),
          "certbot renewal", "certbot-renewal", "down").getBytes(StandardCharsets.UTF_8);
      assertEquals(204, invoke(handler, event("/healthchecks", null, body)).get("statusCode"),
          name);
    }
    List<Map<String, String>> pushover = stubs.pushoverMessages();
    assertEquals(2, pushover.size(), pushover.toString());
    assertEquals("1", pushover.get(0).get("priority"));
    assertTrue(pushover.get(0).get("message").contains("Missed heartbeat: certbot-renewal"));
    assertEquals("-1", pushover.get(1).get("priority"), "the recovery is quiet");
    assertEquals(0, stubs.pushoverCancelledTags().size(),
        "critical pages at 1 by default: no emergency to cancel");
    assertEquals(List.of("5", "3"), stubs.ntfyMessages().stream().map(m -> m.get("priority"))
        .collect(java.util.stream.Collectors.toList()));
  }

  @Test
  void badBodyIs400WithTheDecodersPreciseMessage() throws IOException {
    byte[] body = "{\"severity\": \"critical\", \"source\": 42, \"summary\": \"x\"}"
        .getBytes(StandardCharsets.UTF_8);
    Map<String, Object> response = invoke(handler(Map.of()), event("/", "application/json", body));
    assertEquals(400, response.get("statusCode"));
    assertTrue(String.valueOf(response.get("body")).contains("source"), response.toString());
    assertTrue(stubs.pushoverMessages().isEmpty());
  }

  @Test
  void pushoverDownWhileNtfyUpIs207NamingPushoversFailure() throws IOException {
    stubs.pushoverAnswers(ProviderStubs.connectionReset());
    String body = sampleAnswered(207, noLedger(Map.of("ALERT_TRANSPORT_TIMEOUT", "1s")));
    assertTrue(body.contains("\"sent\":[\"ntfy\"]"), body);
    assertTrue(body.contains("\"errors\":{\"pushover\":"), body);
    assertTrue(body.contains("\"transport\":\"pushover\",\"priority\":1,\"outcome\":\"failed\""),
        body);
    assertEquals(1, stubs.ntfyMessages().size());
  }

  @Test
  void bothProvidersDownIs502() throws IOException {
    stubs.pushoverAnswers(ProviderStubs.connectionReset());
    stubs.ntfyAnswers(ProviderStubs.ntfyServerError());
    String body = sampleAnswered(502, noLedger(Map.of("ALERT_TRANSPORT_TIMEOUT", "1s")));
    assertTrue(body.contains("\"sent\":[]"), body);
    assertTrue(body.contains("\"pushover\":") && body.contains("\"ntfy\":"), body);
  }

  @Test
  void hungProviderStillGetsAnAnswerWithinTheDeadline() throws IOException {
    stubs.pushoverAnswers(ProviderStubs.pushoverAccepted().withFixedDelay(20_000));
    SinkHandler handler = handler(noLedger(Map.of("ALERT_TRANSPORT_TIMEOUT", "600ms",
        "ALERT_DEADLINE", "800ms")));
    long started = System.nanoTime();
    Map<String, Object> response = invoke(handler,
        SinkHandlerEventsTest.resource("functionurl-event.json"));
    long millis = (System.nanoTime() - started) / 1_000_000;
    assertEquals(207, response.get("statusCode"));
    assertTrue(millis < 2_000, "answered after " + millis + " ms");
    assertTrue(String.valueOf(response.get("body")).contains("\"sent\":[\"ntfy\"]"));
  }

  @Test
  void throwingTransportIsContainedAndTheOthersStillDeliver() throws IOException {
    String body = sampleAnswered(207, noLedger(Map.of("ALERT_ROUTES", "critical:scripted=5,ntfy=5",
        "SCRIPTED_TOKEN", "t", "SCRIPTED_BEHAVIOUR", "throw")));
    assertTrue(body.contains("scripted transport bug"), body);
    assertEquals(1, stubs.ntfyMessages().size());
  }

  @Test
  void ntfyRefusingIsARejectionIn207() throws IOException {
    stubs.ntfyAnswers(aResponse().withStatus(403).withHeader("Content-Type", "application/json")
        .withBody("{\"code\":40301,\"http\":403,\"error\":\"forbidden\"}"));
    String body = sampleAnswered(207, NO_LEDGER);
    assertTrue(body.contains("\"transport\":\"ntfy\",\"priority\":5,\"outcome\":\"rejected\""),
        body);
  }
}
