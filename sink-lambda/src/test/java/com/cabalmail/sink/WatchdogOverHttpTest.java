package com.cabalmail.sink;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cabalmail.alert.testkit.CapturedLogs;
import com.cabalmail.alert.testkit.HealthchecksStandIn;
import com.cabalmail.alert.testkit.WebhookSamples;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Watchdog over real HTTP, through the local server and through Function URL events: a ping
 * runs while the real alerts of its request are routed, both within the request deadline and
 * what is left of the invocation, and the default matcher swallows Alertmanager's Watchdog only.
 * In the timed cases Healthchecks is a loopback socket that accepts connections and never
 * answers, and Pushover answers after {@link #PUSHOVER_DELAY}, so routing and ping each take
 * seconds: one after the other they would overrun every bound asserted here. Elsewhere
 * Healthchecks is WireMock answering {@code OK}, so pings are counted.
 */
class WatchdogOverHttpTest {

  static final String SECRET = WatchdogTest.SECRET;
  /** The request deadline ({@code ALERT_DEADLINE}) of the served sink. */
  static final Duration DEADLINE = Duration.ofSeconds(3);
  /** What is left of the invocation for the sink, the custom runtime's budget. */
  static final Duration BUDGET = Duration.ofSeconds(3);
  /**
   * How long Pushover takes to accept a message: well inside its 3 s attempt timeout even on a
   * loaded machine (2 s timed out once on JDK 25 in CI); the ping's hang alone outlasts it.
   */
  static final int PUSHOVER_DELAY = 1_000;
  /** Room for a loaded machine; the sequential ping-then-route took at least the delay more. */
  static final Duration MARGIN = Duration.ofMillis(1_250);
  /** A fixed clock: the runtime's budget is then exactly the invocation timeout less 500 ms. */
  static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-08-21T10:15:30Z"), ZoneOffset.UTC);

  @RegisterExtension
  final ProviderStubs stubs = new ProviderStubs();

  @RegisterExtension
  final WireMockExtension healthchecks =
      WireMockExtension.newInstance().options(options().dynamicPort()).build();

  private final HttpClient client = HttpClient.newHttpClient();
  private ServerSocket hangingHealthchecks;

  @BeforeEach
  void start() throws IOException {
    CapturedLogs.clear();
    healthchecks.stubFor(post(urlEqualTo(WatchdogTest.CHECK)).willReturn(HealthchecksStandIn.ok()));
    // Never accept()ed: the kernel completes the connection, the request is sent, no answer.
    hangingHealthchecks = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
  }

  @AfterEach
  void stop() throws IOException {
    hangingHealthchecks.close();
  }

  /** Settings pinging {@code healthchecks} (its base URL). */
  Map<String, String> env(String healthchecks) {
    Map<String, String> env = new HashMap<>(stubs.settings());
    env.put("ALERT_SECRET", SECRET);
    env.put("ALERT_WATCHDOG_PING_URL", healthchecks + WatchdogTest.CHECK);
    return env;
  }

  /** Settings pinging the socket that never answers. */
  Map<String, String> hanging() {
    return env("http://127.0.0.1:" + hangingHealthchecks.getLocalPort());
  }

  /** Settings pinging WireMock, which answers {@code OK}. */
  Map<String, String> answering() {
    return env(healthchecks.baseUrl());
  }

  int pings() {
    return healthchecks.findAll(anyRequestedFor(anyUrl())).size();
  }

  Sink sink(Map<String, String> env) {
    return SinkSetup.create(env, SinkSetup.SSM, getClass().getClassLoader(), null);
  }

  /** Alertmanager's Watchdog grouped with a real critical alert, in one v4 body. */
  static String mixed() {
    String watchdog = WatchdogTest.alertmanager("Watchdog", "firing", "none");
    String real = WatchdogTest.alertmanager("PostfixQueueBacklog", "firing", "critical");
    int start = real.indexOf("\"alerts\":[") + 10;
    return watchdog.replace("\"alerts\":[", "\"alerts\":["
        + real.substring(start, real.lastIndexOf(']')) + ",");
  }

  /** Grafana's recorded body, its alert named Watchdog. */
  static String grafanaWatchdog() {
    return new String(WebhookSamples.bytes(WebhookSamples.GRAFANA_FIRING), StandardCharsets.UTF_8)
        .replace("IMAPLoginLatencyHigh", "Watchdog");
  }

  /** A direct body whose alert carries the label alertname=Watchdog. */
  static final String DIRECT_WATCHDOG = "{\"severity\":\"critical\",\"source\":\"cabal/backup\","
      + "\"summary\":\"backup failed\",\"labels\":{\"alertname\":\"Watchdog\"}}";

  HttpResponse<String> send(LocalServer server, String path, String body) throws Exception {
    return client.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + server.port() + path))
        .header("Authorization", "Bearer " + SECRET).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static FunctionUrlEvent event(String path, String body) {
    return FunctionUrlEvent.post(path).header("authorization", "Bearer " + SECRET)
        .header("content-type", "application/json").text(body);
  }

  void assertRealAlertPagedAndPingLogged() {
    assertEquals(1, stubs.pushoverMessages().size(), "the real alert pages, once");
    assertTrue(stubs.pushoverMessages().get(0).get("title").contains("PostfixQueueBacklog"),
        stubs.pushoverMessages().toString());
    assertEquals(1, stubs.ntfyMessages().size(), "and reaches ntfy");
    String logs = CapturedLogs.text();
    assertTrue(logs.contains("watchdog ping failed: ") && logs.contains("not retried: the"
        + " request's real alerts were routed, and their routing answers"), logs);
  }

  static void assertWithin(Duration bound, long startedNanos) {
    Duration took = Duration.ofNanos(System.nanoTime() - startedNanos);
    assertTrue(took.compareTo(bound) < 0, "answered in " + took.toMillis() + " ms, over "
        + bound.toMillis() + " ms (ping and routing one after the other?)");
  }

  @Test
  void servedMixedBodyWhosePingHangsIsAnsweredByTheRoutingWithinTheDeadline() throws Exception {
    Map<String, String> env = hanging();
    env.put("ALERT_DEADLINE", DEADLINE.toMillis() + "ms");
    stubs.pushoverAnswers(ProviderStubs.pushoverAccepted().withFixedDelay(PUSHOVER_DELAY));
    try (LocalServer server = LocalServer.start(sink(env), 0)) {
      long started = System.nanoTime();
      HttpResponse<String> response = send(server, "/alertmanager", mixed());

      assertWithin(DEADLINE.plus(MARGIN), started);
      assertEquals(204, response.statusCode(), "the routing's answer: " + response.body());
      assertRealAlertPagedAndPingLogged();
    }
  }

  @Test
  void functionUrlMixedBodyWhosePingHangsIsAnsweredWithinTheInvocationsTime() throws Exception {
    // The default deadline (8 s) and ping timeout (5 s) are longer than the invocation has left:
    // the custom runtime's budget, from the Runtime API's deadline, bounds both.
    stubs.pushoverAnswers(ProviderStubs.pushoverAccepted().withFixedDelay(PUSHOVER_DELAY));
    SinkHandler handler = new SinkHandler(sink(hanging()));
    try (RuntimeApiStandIn api = RuntimeApiStandIn.start(CLOCK)) {
      // The loop on a thread of its own, as the runtime's main thread: not the common pool,
      // whose one thread on a 2-core machine starved the exchanges on JDK 25.
      java.util.concurrent.ExecutorService runtime =
          java.util.concurrent.Executors.newSingleThreadExecutor();
      CompletableFuture<Integer> loop = CompletableFuture.supplyAsync(() -> RuntimeLoop.run(
          Map.of(RuntimeApi.ADDRESS, api.address()), () -> handler::handle, CLOCK), runtime);
      runtime.shutdown();
      long started = System.nanoTime();
      RuntimeApiStandIn.Posted posted = api.invoke(event("/alertmanager", mixed()).bytes(),
          BUDGET.plus(RuntimeLoop.DEADLINE_MARGIN), null).get(20, TimeUnit.SECONDS);

      assertWithin(BUDGET.plus(MARGIN), started);
      assertEquals("response", posted.kind());
      assertTrue(posted.text().contains("\"statusCode\":204"), posted.text());
      assertRealAlertPagedAndPingLogged();
      api.stopServing();
      assertEquals(1, loop.get(10, TimeUnit.SECONDS));
    }
  }

  @Test
  void servedGrafanaAndDirectAlertsNamedWatchdogAreDeliveredNotSwallowed() throws Exception {
    try (LocalServer server = LocalServer.start(sink(answering()), 0)) {
      HttpResponse<String> grafana = send(server, "/", grafanaWatchdog());
      HttpResponse<String> direct = send(server, "/", DIRECT_WATCHDOG);

      assertEquals(204, grafana.statusCode(), grafana.body());
      assertEquals(204, direct.statusCode(), direct.body());
    }
    assertDeliveredAsAlerts(2);
  }

  @Test
  void functionUrlGrafanaAndDirectAlertsNamedWatchdogAreDeliveredNotSwallowed()
      throws Exception {
    SinkHandler handler = new SinkHandler(sink(answering()));

    Map<String, Object> grafana = event("/grafana", grafanaWatchdog()).sendTo(handler);
    Map<String, Object> direct = event("/", DIRECT_WATCHDOG).sendTo(handler);

    assertEquals(204, grafana.get("statusCode"), grafana.toString());
    assertEquals(204, direct.get("statusCode"), direct.toString());
    assertDeliveredAsAlerts(2);
  }

  @Test
  void explicitLabelMatcherStaysAlertmanagerOnlyAndASourceMatcherTakesADirectBody()
      throws Exception {
    Map<String, String> env = answering();
    env.put("ALERT_WATCHDOG", "alertname=Watchdog,source=cabal/sink-watchdog");
    try (LocalServer server = LocalServer.start(sink(env), 0)) {
      HttpResponse<String> direct = send(server, "/", DIRECT_WATCHDOG);
      assertEquals(204, direct.statusCode(), direct.body());
      assertDeliveredAsAlerts(1);

      // Named by its exact source, a direct body is a watchdog: pinged, never routed.
      HttpResponse<String> bySource = send(server, "/", "{\"severity\":\"critical\",\"source\":"
          + "\"cabal/sink-watchdog\",\"summary\":\"alive\"}");
      assertEquals(200, bySource.statusCode(), bySource.body());
      assertTrue(bySource.body().contains("\"watchdog\":\"pinged\""), bySource.body());
      assertEquals(1, pings());
      assertEquals(1, stubs.pushoverMessages().size());
    }
  }

  /** {@code count} critical alerts reached Pushover and ntfy, and nothing was pinged. */
  void assertDeliveredAsAlerts(int count) {
    assertEquals(count, stubs.pushoverMessages().size(), stubs.pushoverMessages().toString());
    assertEquals(count, stubs.ntfyMessages().size(), stubs.ntfyMessages().toString());
    assertEquals(0, pings(), "a real alert pings nothing");
  }
}
