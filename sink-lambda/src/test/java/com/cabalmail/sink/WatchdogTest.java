package com.cabalmail.sink;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cabalmail.aws.SsmParameters;
import com.cabalmail.alert.ConfigException;
import com.cabalmail.http.Json;
import com.cabalmail.http.Secret;
import com.cabalmail.alert.testkit.CapturedLogs;
import com.cabalmail.alert.testkit.HealthchecksStandIn;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The dead man's switch: a Watchdog alert pings Healthchecks (WireMock answering as
 * Healthchecks does: 200 {@code OK}, 404 {@code not found}, 5xx) and reaches no transport.
 */
class WatchdogTest {

  static final String SECRET = "watchdog-test-shared-secret";
  static final String CHECK = "/ping/5bf66975-d4c7-4bf5-bcc8-b8d8a82ea278";

  @RegisterExtension
  final ProviderStubs stubs = new ProviderStubs();

  @RegisterExtension
  final WireMockExtension healthchecks =
      WireMockExtension.newInstance().options(options().dynamicPort()).build();

  @BeforeEach
  void start() {
    CapturedLogs.clear();
    healthchecks.stubFor(post(urlEqualTo(CHECK)).willReturn(HealthchecksStandIn.ok()));
  }

  Map<String, String> env() {
    Map<String, String> env = new HashMap<>(stubs.settings());
    env.put("ALERT_SECRET", SECRET);
    env.put("ALERT_WATCHDOG_PING_URL", healthchecks.baseUrl() + CHECK);
    return env;
  }

  static Sink sink(Map<String, String> env) {
    return SinkSetup.create(env, SinkSetup.SSM, WatchdogTest.class.getClassLoader(), null);
  }

  /** An Alertmanager v4 notification of one alert, as Alertmanager 0.25 sends it. */
  static String alertmanager(String alertname, String status, String severity) {
    return new String(Json.write(g -> {
      g.writeStartObject();
      g.writeStringField("version", "4");
      g.writeStringField("groupKey", "{}/{alertname=\"" + alertname + "\"}:{alertname=\""
          + alertname + "\"}");
      g.writeNumberField("truncatedAlerts", 0);
      g.writeStringField("status", status);
      g.writeStringField("receiver", "cabal-sink-watchdog");
      g.writeObjectFieldStart("groupLabels");
      g.writeStringField("alertname", alertname);
      g.writeEndObject();
      g.writeObjectFieldStart("commonLabels");
      g.writeEndObject();
      g.writeObjectFieldStart("commonAnnotations");
      g.writeEndObject();
      g.writeStringField("externalURL", "http://alertmanager.cabal.internal:9093");
      g.writeArrayFieldStart("alerts");
      g.writeStartObject();
      g.writeStringField("status", status);
      g.writeObjectFieldStart("labels");
      g.writeStringField("alertname", alertname);
      g.writeStringField("severity", severity);
      g.writeEndObject();
      g.writeObjectFieldStart("annotations");
      g.writeStringField("summary", alertname + " is " + status);
      g.writeEndObject();
      g.writeStringField("startsAt", "2026-08-21T09:12:30.512Z");
      g.writeStringField("endsAt", status.equals("firing") ? "0001-01-01T00:00:00Z"
          : "2026-08-21T10:12:30.512Z");
      g.writeStringField("generatorURL", "http://prometheus.cabal.internal:9090/graph");
      g.writeStringField("fingerprint", alertname.equals("Watchdog") ? "e5a3d0f1c2b4a697"
          : "3f2a9c1d7b4e6a05");
      g.writeEndObject();
      g.writeEndArray();
      g.writeEndObject();
    }), StandardCharsets.UTF_8);
  }

  static SinkResponse send(Sink sink, String path, String body) {
    return sink.handle(new SinkRequest("POST", path, Map.of("Authorization", "Bearer " + SECRET,
        "Content-Type", "application/json"), body.getBytes(StandardCharsets.UTF_8), "req-w"));
  }

  static String text(SinkResponse response) {
    return new String(response.body(), StandardCharsets.UTF_8);
  }

  int pings() {
    return healthchecks.findAll(anyRequestedFor(anyUrl())).size();
  }

  void assertNoNotification() {
    assertEquals(List.of(), stubs.pushoverMessages(), "nothing reaches Pushover");
    assertEquals(List.of(), stubs.ntfyMessages(), "nothing reaches ntfy");
  }

  @Test
  void watchdogPingsHealthchecksAnswers200AndReachesNoTransport() {
    SinkResponse response = send(sink(env()), "/alertmanager",
        alertmanager("Watchdog", "firing", "none"));

    assertEquals(200, response.status(), text(response));
    String body = text(response);
    assertTrue(body.contains("\"watchdog\":\"pinged\""), body);
    assertTrue(body.contains("\"check\":\"check 5bf66975\u2026 at "), body);
    assertFalse(body.contains("b8d8a82ea278"), "the ping URL is a credential: " + body);
    assertEquals(1, healthchecks.findAll(anyRequestedFor(urlEqualTo(CHECK))).size());
    assertNoNotification();
    assertTrue(CapturedLogs.text().contains("watchdog: pinged check 5bf66975"),
        CapturedLogs.text());
    assertFalse(CapturedLogs.text().contains("b8d8a82ea278"), CapturedLogs.text());
  }

  @Test
  void pingUrlIsReadFromItsSsmParameterWithTheOtherSecrets() {
    Map<String, String> env = env();
    String url = env.remove("ALERT_WATCHDOG_PING_URL");
    env.put("ALERT_WATCHDOG_PING_URL_PARAM", "/cabal/healthcheck_ping_alerting-watchdog");
    List<List<String>> calls = new java.util.ArrayList<>();
    SinkSetup.ParameterStores store = environment -> (names, deadline) -> {
      calls.add(names);
      return new SsmParameters.Lookup(
          Map.of("/cabal/healthcheck_ping_alerting-watchdog", Secret.of(url)), List.of());
    };
    Sink sink = SinkSetup.create(env, store, getClass().getClassLoader(), null);

    SinkResponse response = send(sink, "/alertmanager",
        alertmanager("Watchdog", "firing", "none"));

    assertEquals(List.of(List.of("/cabal/healthcheck_ping_alerting-watchdog")), calls);
    assertEquals(200, response.status(), text(response));
    assertEquals(1, pings());
  }

  @Test
  void failedPingIs503WithTheReasonSoTheSenderRetries() {
    healthchecks.stubFor(post(urlEqualTo(CHECK)).willReturn(aResponse().withStatus(502)));
    Map<String, String> env = env();
    env.put("ALERT_DEADLINE", "1500ms");

    SinkResponse response = send(sink(env), "/alertmanager",
        alertmanager("Watchdog", "firing", "none"));

    assertEquals(503, response.status(), text(response));
    String body = text(response);
    assertTrue(body.contains("\"watchdog\":\"ping-failed\""), body);
    assertTrue(body.contains("\"error\":\"watchdog ping failed: "), body);
    assertTrue(pings() >= 1, "the ping was tried");
    assertNoNotification();
  }

  @Test
  void unknownCheckIs503NamingIt() {
    healthchecks.stubFor(post(urlEqualTo(CHECK)).willReturn(HealthchecksStandIn.notFound()));

    SinkResponse response = send(sink(env()), "/", alertmanager("Watchdog", "firing", "none"));

    assertEquals(503, response.status(), text(response));
    assertTrue(text(response).contains("watchdog ping not found"), text(response));
  }

  @Test
  void withoutPingUrlWatchdogsAreDroppedWith200AndOneLogLinePerColdStart() {
    Map<String, String> env = env();
    env.remove("ALERT_WATCHDOG_PING_URL");
    Sink sink = sink(env);

    SinkResponse first = send(sink, "/alertmanager", alertmanager("Watchdog", "firing", "none"));
    SinkResponse second = send(sink, "/alertmanager", alertmanager("Watchdog", "firing", "none"));

    assertEquals(200, first.status());
    assertEquals(200, second.status());
    assertTrue(text(second).contains("\"watchdog\":\"dropped\""), text(second));
    assertTrue(text(second).contains("ALERT_WATCHDOG_PING_URL is not set"), text(second));
    String logs = CapturedLogs.text();
    assertEquals(1, logs.split("watchdog alert dropped, never routed", -1).length - 1, logs);
    assertNoNotification();
    assertEquals(0, pings());
  }

  @Test
  void pausedPingUrlIsNotPingedAndTheAnswerSaysPaused() {
    Map<String, String> env = env();
    env.put("ALERT_WATCHDOG_PING_URL", "paused");

    SinkResponse response = send(sink(env), "/", alertmanager("Watchdog", "firing", "none"));

    assertEquals(200, response.status());
    assertTrue(text(response).contains("is 'paused', not a URL (pinging is paused)"),
        text(response));
    assertEquals(0, pings());
    assertNoNotification();
  }

  @Test
  void watchdogNamedBySourcePingsForADirectBodyAndOtherAlertsStillRoute() {
    Map<String, String> env = env();
    env.put("ALERT_WATCHDOG", "source=kuma/Watchdog");
    Sink sink = sink(env);

    SinkResponse watchdog = send(sink, "/", "{\"severity\":\"critical\",\"source\":"
        + "\"kuma/Watchdog\",\"summary\":\"alive\"}");
    assertEquals(200, watchdog.status(), text(watchdog));
    assertEquals(1, pings());
    assertNoNotification();

    SinkResponse real = send(sink, "/", "{\"severity\":\"critical\",\"source\":"
        + "\"kuma/IMAP reachable\",\"summary\":\"IMAP down\"}");
    assertEquals(204, real.status(), text(real));
    assertEquals(1, stubs.pushoverMessages().size());
    assertEquals(1, pings(), "a real alert pings nothing");

    SinkResponse alertname = send(sink, "/", alertmanager("Watchdog", "firing", "warning"));
    assertEquals(204, alertname.status(), "alertname=Watchdog is not in this matcher list");
  }

  @Test
  void watchdogOffRoutesTheWatchdogLikeAnyOtherAlert() {
    Map<String, String> env = env();
    env.put("ALERT_WATCHDOG", "none");

    SinkResponse response = send(sink(env), "/alertmanager",
        alertmanager("Watchdog", "firing", "warning"));

    assertEquals(204, response.status());
    assertEquals(1, stubs.ntfyMessages().size());
    assertEquals(0, pings());
  }

  @Test
  void resolvedWatchdogIsNotPingedAndSaysWhy() {
    SinkResponse response = send(sink(env()), "/alertmanager",
        alertmanager("Watchdog", "resolved", "none"));

    assertEquals(200, response.status());
    assertTrue(text(response).contains("\"watchdog\":\"not-pinged\""), text(response));
    assertEquals(0, pings());
    assertNoNotification();
    assertTrue(CapturedLogs.text().contains("only resolved watchdog alerts"));
  }

  @Test
  void watchdogInAGroupWithARealAlertPingsAndTheRealAlertIsRouted() {
    String watchdog = alertmanager("Watchdog", "firing", "none");
    String real = alertmanager("PostfixQueueBacklog", "firing", "critical");
    int start = real.indexOf("\"alerts\":[") + 10;
    String both = watchdog.replace("\"alerts\":[", "\"alerts\":["
        + real.substring(start, real.lastIndexOf(']')) + ",");

    SinkResponse response = send(sink(env()), "/alertmanager", both);

    assertEquals(204, response.status(), text(response));
    assertEquals(1, pings());
    assertEquals(1, stubs.pushoverMessages().size(), "only the real alert pages");
    assertTrue(stubs.pushoverMessages().get(0).get("title").contains("PostfixQueueBacklog"));
  }

  @Test
  void malformedMatcherIsAConfigurationProblemNamingTheKey() {
    Map<String, String> env = env();
    env.put("ALERT_WATCHDOG", "alertname=Watchdog,Watchdog");

    ConfigException e = assertThrows(ConfigException.class, () -> sink(env));

    assertTrue(e.getMessage().contains("ALERT_WATCHDOG: 'Watchdog' is not name=value"),
        e.getMessage());
  }
}
