package com.cabalmail.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cabalmail.alert.ConfigException;
import com.cabalmail.alert.testkit.CapturedLogs;
import com.cabalmail.alert.testkit.PushoverStandIn;
import com.cabalmail.alert.testkit.WebhookSamples;
import com.cabalmail.http.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What "the same alert" means to the served sink and its default (in-memory) ledger, over real
 * HTTP, each case through the local server and through a Function URL event: different
 * problems of one source, a rise in severity, tests on every press, recoveries by source and by
 * identity, a recovery racing its page, a hung ntfy beside the storm page, and a held-back
 * repeat that says so. Pushover and ntfy are WireMock stand-ins answering as the services do.
 */
class NeverLoseAPageOverHttpTest {

  static final String SECRET = "never-lose-a-page-secret-0123456789";

  @RegisterExtension
  final ProviderStubs stubs = new ProviderStubs();

  private final HttpClient client = HttpClient.newHttpClient();
  private LocalServer server;
  private SinkHandler handler;
  private ServerSocket blackHole;

  /** The two forms the sink is reached in. */
  enum Form { SERVED, FUNCTION_URL }

  @BeforeEach
  void start() throws IOException {
    CapturedLogs.clear();
    // Never accept()ed: the kernel completes the connection, the request is sent, no answer.
    blackHole = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
  }

  @AfterEach
  void stop() throws IOException {
    if (server != null) {
      server.close();
    }
    blackHole.close();
  }

  void serve(Form form, Map<String, String> extra) throws IOException {
    Map<String, String> env = new HashMap<>(stubs.settings());
    env.put("ALERT_SECRET", SECRET);
    env.putAll(extra);
    Sink sink = SinkSetup.create(env, SinkSetup.SSM, getClass().getClassLoader(), null);
    if (form == Form.SERVED) {
      server = LocalServer.start(sink, 0);
    } else {
      handler = new SinkHandler(sink);
    }
  }

  /** The status and body of one POST. */
  record Answer(int status, String body) {}

  Answer post(Form form, String path, String body) throws Exception {
    if (form == Form.SERVED) {
      HttpResponse<String> r = client.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + server.port() + path))
          .header("X-Alert-Secret", SECRET).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
          HttpResponse.BodyHandlers.ofString());
      return new Answer(r.statusCode(), r.body());
    }
    Map<String, Object> r = SinkHandlerEventsTest.invoke(handler, FunctionUrlEvent.post(path)
        .header("x-alert-secret", SECRET).header("content-type", "application/json")
        .text(body).bytes());
    Object text = r.get("body");
    return new Answer((Integer) r.get("statusCode"), text == null ? "" : text.toString());
  }

  static String direct(String severity, String source, String summary, String extra) {
    return "{\"severity\":\"" + severity + "\",\"source\":\"" + source + "\",\"summary\":\""
        + summary + "\"" + extra + "}";
  }

  @ParameterizedTest
  @EnumSource(Form.class)
  void twoDifferentProblemsFromOneSourceBothPage(Form form) throws Exception {
    serve(form, Map.of());
    Answer first = post(form, "/", direct("critical", "backup/vol",
        "backup of vol-1 failed: disk full", ""));
    Answer second = post(form, "/", direct("critical", "backup/vol",
        "backup of vol-2 failed: access denied", ""));

    assertEquals(204, first.status(), first.body());
    assertEquals(204, second.status(), second.body());
    assertEquals(2, stubs.pushoverMessages().size(), "two pages");
    assertEquals(2, stubs.ntfyMessages().size(), "two ntfy messages");
  }

  @ParameterizedTest
  @EnumSource(Form.class)
  void aRiseFromWarningToCriticalIsDeliveredOnEveryChannel(Form form) throws Exception {
    serve(form, Map.of());
    post(form, "/", direct("warning", "kuma/IMAP", "IMAP slow", ",\"fingerprint\":\"imap-1\""));
    Answer rise = post(form, "/", direct("critical", "kuma/IMAP", "IMAP down",
        ",\"fingerprint\":\"imap-1\""));

    assertEquals(204, rise.status(), rise.body());
    assertEquals(1, stubs.pushoverMessages().size(), "the page");
    List<Map<String, String>> ntfy = stubs.ntfyMessages();
    assertEquals(2, ntfy.size(), "the warning, then the critical: " + ntfy);
    assertEquals("5", ntfy.get(1).get("priority"), ntfy.toString());
  }

  @ParameterizedTest
  @EnumSource(Form.class)
  void testsDeliverOnEveryPress(Form form) throws Exception {
    serve(form, Map.of());
    String kuma = "{\"heartbeat\":null,\"monitor\":null,\"msg\":\"cabal-ntfy Testing\"}";
    String grafana = new String(WebhookSamples.bytes(WebhookSamples.GRAFANA_FIRING),
        StandardCharsets.UTF_8);
    grafana = grafanaTest(grafana);
    for (int press = 0; press < 3; press++) {
      assertEquals(204, post(form, "/kuma", kuma).status());
      Answer g = post(form, "/grafana", grafana);
      assertEquals(204, g.status(), g.body());
    }
    assertEquals(6, stubs.ntfyMessages().size(), "each press of each tool delivers");
    for (int press = 0; press < 2; press++) {
      Answer selfTest = post(form, "/test", "");
      assertEquals(200, selfTest.status(), selfTest.body());
    }
    assertEquals(8, stubs.ntfyMessages().size(), "and each press of POST /test");
    assertEquals(2, stubs.pushoverMessages().size(), stubs.pushoverMessages().toString());
  }

  @ParameterizedTest
  @EnumSource(Form.class)
  void aRecoveryWithoutFingerprintEndsEveryFiringAlertOfItsSource(Form form) throws Exception {
    serve(form, Map.of("ALERT_ROUTES", "critical:pushover=2,ntfy=5;warning:ntfy=3;info:"));
    String one = direct("critical", "backup/vol", "vol-1 failed", "");
    String two = direct("critical", "backup/vol", "vol-2 failed", "");
    post(form, "/", one);
    post(form, "/", two);
    Answer ended = post(form, "/", direct("critical", "backup/vol", "backups ok",
        ",\"status\":\"resolved\""));
    assertEquals(204, ended.status(), ended.body());
    List<Map<String, String>> pages = stubs.pushoverMessages();
    assertEquals(pages.get(0).get("tags"), pages.get(1).get("tags"),
        "the emergencies of one source share the tag a recovery of the source cancels by");
    assertEquals(List.of(pages.get(0).get("tags")), stubs.pushoverCancelledTags());

    assertEquals(204, post(form, "/", one).status());
    assertEquals(204, post(form, "/", two).status());
    assertEquals(4, stubs.pushoverMessages().stream()
        .filter(m -> m.get("priority").equals("2")).count(), "both page again");
  }

  @ParameterizedTest
  @EnumSource(Form.class)
  void aRecoveryWithAFingerprintEndsThatAlertOnly(Form form) throws Exception {
    serve(form, Map.of());
    String one = direct("critical", "backup/vol", "vol-1 failed", ",\"fingerprint\":\"v1\"");
    String two = direct("critical", "backup/vol", "vol-2 failed", ",\"fingerprint\":\"v2\"");
    post(form, "/", one);
    post(form, "/", two);
    post(form, "/", direct("critical", "backup/vol", "vol-1 ok",
        ",\"fingerprint\":\"v1\",\"status\":\"resolved\""));

    assertEquals(204, post(form, "/", one).status(), "v1 pages again");
    Answer held = post(form, "/", two);
    assertEquals(200, held.status(), held.body());
    assertTrue(held.body().contains("\"suppressed\":[{\"fingerprint\":\"direct:v2\""),
        held.body());
  }

  @ParameterizedTest
  @EnumSource(Form.class)
  void firingResolvedFiringPagesTwiceWhateverTheTexts(Form form) throws Exception {
    serve(form, Map.of());
    String down = "{\"severity\":\"critical\",\"status\":\"down\","
        + "\"source\":\"healthchecks/certbot-renewal\",\"summary\":\"Missed heartbeat\"}";
    String up = "{\"severity\":\"critical\",\"status\":\"up\","
        + "\"source\":\"healthchecks/certbot-renewal\",\"summary\":\"Recovered: certbot\"}";
    for (String body : List.of(down, up, down, up)) {
      Answer a = post(form, "/healthchecks", body);
      assertEquals(204, a.status(), a.body());
    }
    assertEquals(2, stubs.pushoverMessages().stream()
        .filter(m -> m.get("priority").equals("1")).count(), "two incidents, two pages");
  }

  @ParameterizedTest
  @EnumSource(Form.class)
  void aRecoveryThatArrivesWhileItsPageIsInFlightStillEndsTheIncident(Form form)
      throws Exception {
    serve(form, Map.of());
    // Warm the sink, its client and WireMock first, so that the delay below is all the page
    // takes (well inside Pushover's 3 s attempt, even on a loaded machine).
    assertEquals(204, post(form, "/", direct("critical", "warm/up", "warm-up", "")).status());
    stubs.pushoverAnswers(PushoverStandIn.accepted().withFixedDelay(1_000));
    String down = direct("critical", "kuma/SMTP", "SMTP down", ",\"fingerprint\":\"smtp\"");
    // The page on a thread of its own, as an invocation: not the common pool, whose one thread
    // on a 2-core machine starved the exchanges on JDK 25.
    java.util.concurrent.ExecutorService invocation =
        java.util.concurrent.Executors.newSingleThreadExecutor();
    CompletableFuture<Answer> page = CompletableFuture.supplyAsync(() -> call(form, down),
        invocation);
    invocation.shutdown();
    Thread.sleep(300); // the page is being sent
    Answer up = post(form, "/", direct("critical", "kuma/SMTP", "SMTP up",
        ",\"fingerprint\":\"smtp\",\"status\":\"resolved\""));
    Answer paged = page.get(10, TimeUnit.SECONDS);
    assertEquals(204, paged.status(), paged.body());
    assertEquals(204, up.status(), up.body());

    Answer next = post(form, "/", down);
    assertEquals(204, next.status(), "the next incident pages: " + next.body());
    assertEquals(2, stubs.pushoverMessages().stream()
        .filter(m -> m.get("title").contains("kuma/SMTP") && m.get("priority").equals("1"))
        .count(), stubs.pushoverMessages().toString());
  }

  @ParameterizedTest
  @EnumSource(Form.class)
  void aHungNtfyNeverDelaysTheStormPageAndOnlyNtfyIsRetried(Form form) throws Exception {
    serve(form, Map.of("NTFY_BASE_URL", "http://127.0.0.1:" + blackHole.getLocalPort(),
        "ALERT_ALLOW_PLAIN_HTTP", "true", "ALERT_TRANSPORT_TIMEOUT", "2s",
        "ALERT_DEADLINE", "3s"));
    long started = System.nanoTime();
    Answer storm = post(form, "/alertmanager", alertmanager(40));
    long tookMs = (System.nanoTime() - started) / 1_000_000;

    List<Map<String, String>> pages = stubs.pushoverMessages();
    assertEquals(1, pages.size(), "one storm page");
    assertTrue(pages.get(0).get("title").contains("page storm"), pages.toString());
    assertEquals(503, storm.status(), "a retry helps, for ntfy: " + storm.body());
    assertTrue(storm.body().contains("\"sent\":[\"pushover\"]"), storm.body());
    assertTrue(storm.body().contains("\"errors\":{\"ntfy\":"), storm.body());
    assertTrue(tookMs < 3_000 + 1_500, "answered within the deadline: " + tookMs + " ms");
    long pagedAfter = stubs.pushover.getAllServeEvents().get(0).getRequest().getLoggedDate()
        .toInstant().toEpochMilli() - (System.currentTimeMillis() - tookMs);
    assertTrue(pagedAfter < 1_500, "the storm page waited " + pagedAfter + " ms for ntfy");
  }

  @ParameterizedTest
  @EnumSource(Form.class)
  void aHeldBackRepeatSaysSoAndNamesTheEarlierDelivery(Form form) throws Exception {
    serve(form, Map.of());
    String alert = direct("critical", "kuma/IMAP", "IMAP down", "");
    post(form, "/", alert);
    Answer again = post(form, "/", alert);

    assertEquals(200, again.status(), again.body());
    assertTrue(again.body().contains("\"suppressed\":[{"), again.body());
    assertTrue(again.body().contains("\"earlier\":\"not sent again: already delivered at "),
        again.body());
    assertTrue(CapturedLogs.text().contains("outcome=already_delivered"), CapturedLogs.text());
    assertTrue(CapturedLogs.text().contains("not sent again: already delivered at"),
        CapturedLogs.text());
    assertEquals(1, stubs.pushoverMessages().size());
  }

  @ParameterizedTest
  @EnumSource(Form.class)
  void aTableWithoutTheDynamoDbLedgerIsAStartupProblemNamingBoth(Form form) {
    ConfigException e = assertThrows(ConfigException.class,
        () -> serve(form, Map.of("ALERT_LEDGER_TABLE", "cabal-alert-ledger")));
    assertTrue(e.getMessage().contains("ALERT_LEDGER_TABLE is set, but ALERT_LEDGER is"
        + " 'memory' (the default)"), e.getMessage());
  }

  private Answer call(Form form, String body) {
    try {
      return post(form, "/", body);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Grafana's recorded body made into its contact-point test notification. */
  static String grafanaTest(String body) {
    return body.replace("IMAPLoginLatencyHigh", "TestAlert")
        .replaceAll("\"instance\"\\s*:\\s*\"[^\"]*\"", "\"instance\":\"Grafana\"")
        .replaceAll("\"summary\"\\s*:\\s*\"[^\"]*\"", "\"summary\":\"Notification test\"");
  }

  /** An Alertmanager v4 body of {@code n} distinct critical alerts. */
  static String alertmanager(int n) {
    return new String(Json.write(g -> {
      g.writeStartObject();
      g.writeStringField("version", "4");
      g.writeStringField("status", "firing");
      g.writeStringField("receiver", "cabal");
      g.writeNumberField("truncatedAlerts", 0);
      g.writeArrayFieldStart("alerts");
      for (int i = 0; i < n; i++) {
        g.writeStartObject();
        g.writeStringField("status", "firing");
        g.writeObjectFieldStart("labels");
        g.writeStringField("alertname", "HostDown");
        g.writeStringField("instance", "mail-" + i);
        g.writeStringField("severity", "critical");
        g.writeEndObject();
        g.writeObjectFieldStart("annotations");
        g.writeStringField("summary", "mail-" + i + " is down");
        g.writeEndObject();
        g.writeStringField("startsAt", "2026-08-21T09:12:30.512Z");
        g.writeStringField("fingerprint", String.format("%016x", 0x3f2a000000000000L + i));
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }), StandardCharsets.UTF_8);
  }
}
