package com.cabalmail.heartbeat;

import static com.cabalmail.alert.testkit.HealthchecksStandIn.answer;
import static com.cabalmail.alert.testkit.HealthchecksStandIn.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cabalmail.alert.testkit.CapturedLogs;
import com.cabalmail.alert.testkit.ManualTicker;
import com.cabalmail.alert.testkit.StandInServer;
import com.cabalmail.alert.testkit.WarmUp;
import com.cabalmail.http.HttpDelivery;
import com.cabalmail.http.Ticker;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class HeartbeatTest {

  static final String UUID_PATH = "/ping/5f1c2b3a-8d4e-4f60-9a7b-0c1d2e3f4a5b";
  static final String SLUG_PATH = "/ping/fqOOd6-F4MMNuCEnzTU01w/certbot-renewal";

  /** The stand-in server: one per class, stubs and journal reset before each test. */
  @RegisterExtension
  static WireMockExtension server = StandInServer.onFreePort();
  final ManualTicker ticker = new ManualTicker();

  @BeforeAll
  static void warmUp() throws Exception {
    WarmUp.exchangeOnce(server.baseUrl());
  }

  @BeforeEach
  void reset() {
    server.stubFor(any(anyUrl()).willReturn(ok()));
    CapturedLogs.clear();
  }

  Heartbeat heartbeat(String path) {
    return Heartbeat.builder().delivery(HttpDelivery.create(ticker))
        .forUrl(server.baseUrl() + path);
  }

  static List<LoggedRequest> requests() {
    return server.findAll(anyRequestedFor(anyUrl()));
  }

  void answerInTurn(String path, ResponseDefinitionBuilder first, ResponseDefinitionBuilder then) {
    StandInServer.answerInTurn(server, () -> post(urlPathEqualTo(path)), first, then);
  }

  static int unusedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  // --- signals ---

  @Test
  void eachSignalPostsToItsOwnUrl() {
    Heartbeat heartbeat = heartbeat(UUID_PATH);

    assertTrue(heartbeat.success().delivered());
    assertTrue(heartbeat.start().delivered());
    assertTrue(heartbeat.fail().delivered());
    assertTrue(heartbeat.log("phase 2 of 3").delivered());
    assertTrue(heartbeat.exitStatus(0).delivered());
    assertTrue(heartbeat.exitStatus(3).delivered());

    List<String> urls = requests().stream().map(LoggedRequest::getUrl).collect(Collectors.toList());
    assertEquals(Set.of(UUID_PATH, UUID_PATH + "/start", UUID_PATH + "/fail", UUID_PATH + "/log",
        UUID_PATH + "/0", UUID_PATH + "/3"), Set.copyOf(urls));
    assertEquals(6, urls.size());
    for (LoggedRequest request : requests()) {
      assertEquals("POST", request.getMethod().getName(), request.getUrl());
    }
  }

  @Test
  void slugUrlKeepsItsQueryAndGetsSuffixesBeforeIt() {
    server.stubFor(post(urlPathEqualTo(SLUG_PATH + "/start"))
        .willReturn(answer(201, "Created")));
    Heartbeat heartbeat = heartbeat(SLUG_PATH + "/?create=1");

    PingOutcome outcome = heartbeat.start();

    assertEquals(PingOutcome.Kind.DELIVERED, outcome.kind());
    assertEquals(201, outcome.statusCode());
    assertEquals(SLUG_PATH + "/start?create=1", requests().get(0).getUrl());
  }

  @Test
  void bodiesAreSentAsUtf8Text() {
    heartbeat(UUID_PATH).success("ingested 42 reports from Zürich ✓");

    LoggedRequest request = requests().get(0);
    assertEquals("ingested 42 reports from Zürich ✓", request.getBodyAsString());
    assertEquals("text/plain; charset=utf-8", request.getHeader("Content-Type").toLowerCase());
  }

  @Test
  void exitStatusOutsideTheRangeIsSentAsAFailureNamingIt() {
    PingOutcome outcome = heartbeat(UUID_PATH).exitStatus(300, "killed");

    assertTrue(outcome.delivered());
    assertEquals(UUID_PATH + "/fail", requests().get(0).getUrl());
    assertEquals("exit status 300 (outside 0-255)\nkilled", requests().get(0).getBodyAsString());
  }

  // --- run ids ---

  @Test
  void runSendsStartThenSuccessUnderOneRunId() {
    AtomicBoolean ran = new AtomicBoolean();

    heartbeat(UUID_PATH).run(() -> ran.set(true));

    assertTrue(ran.get());
    List<LoggedRequest> sent = requests();
    assertEquals(2, sent.size());
    LoggedRequest start = sent.stream().filter(r -> r.getUrl().contains("/start")).findFirst()
        .orElseThrow();
    LoggedRequest end = sent.stream().filter(r -> !r.getUrl().contains("/start")).findFirst()
        .orElseThrow();
    assertTrue(start.getLoggedDate().getTime() <= end.getLoggedDate().getTime(), "start first");
    String rid = start.queryParameter("rid").firstValue();
    assertEquals(rid, end.queryParameter("rid").firstValue());
    assertEquals(UUID_PATH + "?rid=" + rid, end.getUrl());
    assertEquals(4, UUID.fromString(rid).version(), "Healthchecks wants a UUID");
  }

  @Test
  void overlappingRunsCarryDifferentRunIds() throws Exception {
    Heartbeat heartbeat = heartbeat(UUID_PATH);

    String result = heartbeat.run(() -> heartbeat.run(() -> "inner"));

    assertEquals("inner", result);
    Set<String> rids = new HashSet<>();
    for (LoggedRequest request : requests()) {
      rids.add(request.queryParameter("rid").firstValue());
    }
    assertEquals(2, rids.size(), "one run id per run, shared by its start and end");
    assertNotEquals(heartbeat.newRun().runId(), heartbeat.newRun().runId());
  }

  // --- the job's own result and exceptions ---

  @Test
  void jobExceptionIsRethrownUnchangedAfterAFailPing() {
    IllegalStateException thrown = new IllegalStateException("certbot exited 1: rate limited");

    IllegalStateException caught = assertThrows(IllegalStateException.class,
        () -> heartbeat(UUID_PATH).run(() -> {
          throw thrown;
        }));

    assertSame(thrown, caught);
    LoggedRequest fail = requests().stream().filter(r -> r.getUrl().contains("/fail"))
        .findFirst().orElseThrow();
    assertEquals("java.lang.IllegalStateException: certbot exited 1: rate limited",
        fail.getBodyAsString());
  }

  @Test
  void checkedExceptionOfACallableIsRethrownUnchanged() {
    IOException thrown = new IOException("S3 read failed");

    IOException caught = assertThrows(IOException.class,
        () -> heartbeat(UUID_PATH).run(() -> {
          throw thrown;
        }));

    assertSame(thrown, caught);
    assertEquals(1, server.findAll(postRequestedFor(urlPathEqualTo(UUID_PATH + "/fail"))).size());
  }

  @Test
  void callableResultIsReturned() throws Exception {
    assertEquals(42, heartbeat(UUID_PATH).run(() -> 42));
  }

  // --- answers ---

  @Test
  void notFoundNamesTheSlugInAWarning() {
    server.stubFor(post(urlPathEqualTo(SLUG_PATH)).willReturn(answer(404, "not found")));

    PingOutcome outcome = heartbeat(SLUG_PATH).success();

    assertEquals(PingOutcome.Kind.NOT_FOUND, outcome.kind());
    assertEquals(404, outcome.statusCode());
    assertTrue(CapturedLogs.text().contains("WARN"), CapturedLogs.text());
    assertTrue(CapturedLogs.text().contains("check 'certbot-renewal' at localhost"),
        CapturedLogs.text());
    // Counted on its own path: a start ping another test left in flight may land meanwhile.
    assertEquals(1, server.findAll(postRequestedFor(urlPathEqualTo(SLUG_PATH))).size(),
        "a 404 is not retried");
  }

  @Test
  void hostedOkNotFoundIsNotFound() {
    server.stubFor(post(urlPathEqualTo(UUID_PATH)).willReturn(answer(200, "OK (not found)")));

    PingOutcome outcome = heartbeat(UUID_PATH).success();

    assertEquals(PingOutcome.Kind.NOT_FOUND, outcome.kind());
    assertTrue(CapturedLogs.text().contains("check 5f1c2b3a\u2026 at localhost"),
        CapturedLogs.text());
  }

  @Test
  void badRequestIsRejectedWithTheServersWords() {
    server.stubFor(post(urlPathEqualTo(UUID_PATH)).willReturn(answer(400, "invalid uuid format")));

    PingOutcome outcome = heartbeat(UUID_PATH).success();

    assertEquals(PingOutcome.Kind.REJECTED, outcome.kind());
    assertEquals("HTTP 400 invalid uuid format", outcome.detail());
    assertEquals(1, requests().size());
  }

  @Test
  void serverErrorThenOkIsDeliveredOnTheSecondAttempt() {
    answerInTurn(UUID_PATH, answer(500, "Server Error"), ok());

    PingOutcome outcome = heartbeat(UUID_PATH).success();

    assertEquals(PingOutcome.Kind.DELIVERED, outcome.kind());
    assertEquals(2, outcome.attempts());
    assertEquals(1, ticker.sleeps().size(), "one backoff wait, virtual");
  }

  @Test
  void anUnusualServerErrorIsRetriedLikeAnyOther5xx() {
    answerInTurn(UUID_PATH, answer(520, "Web Server Returned an Unknown Error"), ok());

    PingOutcome outcome = heartbeat(UUID_PATH).success();

    assertEquals(PingOutcome.Kind.DELIVERED, outcome.kind());
    assertEquals(2, outcome.attempts());
  }

  @Test
  void tooManyRequestsIsRetriedThenLogged() {
    server.stubFor(post(urlPathEqualTo(UUID_PATH)).willReturn(answer(429, "rate limited")));

    PingOutcome outcome = heartbeat(UUID_PATH).success();

    assertEquals(PingOutcome.Kind.FAILED, outcome.kind());
    assertEquals(429, outcome.statusCode());
    assertEquals(4, outcome.attempts());
    assertEquals(4, requests().size());
    assertTrue(CapturedLogs.text().contains("HTTP 429 rate limited after 4 attempts"),
        CapturedLogs.text());
  }

  @Test
  void hostedRateLimitedAnswerIsNotRecordedWithAWarningInBothSpellings() {
    for (String answer : List.of("OK (rate limited)", "OK (rate-limited)")) {
      server.resetAll();
      CapturedLogs.clear();
      server.stubFor(post(urlPathEqualTo(UUID_PATH)).willReturn(answer(200, answer)));

      PingOutcome outcome = heartbeat(UUID_PATH).success();

      assertEquals(PingOutcome.Kind.FAILED, outcome.kind(), answer);
      assertFalse(outcome.delivered(), answer);
      assertTrue(outcome.detail().startsWith("not recorded: Healthchecks answered '" + answer),
          outcome.detail());
      assertTrue(CapturedLogs.text().contains("WARN") && CapturedLogs.text().contains(answer),
          CapturedLogs.text());
    }
  }

  @Test
  void tooManyRequestsThenOkIsDelivered() {
    answerInTurn(UUID_PATH, answer(429, "rate limited"), ok());

    assertTrue(heartbeat(UUID_PATH).success().delivered());
  }

  @Test
  void connectionRefusedIsAFailedOutcomeNotAnException() throws Exception {
    Heartbeat heartbeat = Heartbeat.builder().delivery(HttpDelivery.create(ticker))
        .forUrl("http://127.0.0.1:" + unusedPort() + UUID_PATH);

    PingOutcome outcome = heartbeat.success();

    assertEquals(PingOutcome.Kind.FAILED, outcome.kind());
    assertTrue(outcome.detail().contains("connection refused"), outcome.detail());
    assertTrue(outcome.attempts() > 1, "connection errors are retried");
  }

  /** Runs an instant job against a server that accepts and never answers; the time added. */
  private static Duration addedToAnInstantJob(Duration timeout, java.util.function.LongSupplier
      remaining) throws Exception {
    // Connections complete in the kernel's backlog; nothing ever reads or answers them.
    try (ServerSocket silent = new ServerSocket(0, 50)) {
      Heartbeat heartbeat = Heartbeat.builder().timeout(timeout)
          .delivery(HttpDelivery.create(Ticker.system()))
          .forUrl("http://127.0.0.1:" + silent.getLocalPort() + UUID_PATH);
      AtomicBoolean ran = new AtomicBoolean();

      long began = System.nanoTime();
      String result = heartbeat.run(() -> {
        ran.set(true);
        return "done";
      }, remaining);
      Duration took = Duration.ofNanos(System.nanoTime() - began);

      assertEquals("done", result);
      assertTrue(ran.get());
      return took;
    }
  }

  @Test
  void silentServerAddsAtMostOneTimeoutToAJob() throws Exception {
    Duration timeout = Duration.ofSeconds(1);

    Duration took = addedToAnInstantJob(timeout, () -> Long.MAX_VALUE);

    // Before: 2.0 s (start blocked before the job, the end after it). Now: one timeout.
    assertTrue(took.compareTo(timeout.minusMillis(100)) >= 0, "the end waited: " + took);
    assertTrue(took.compareTo(timeout.plusMillis(400)) < 0, "took " + took);
  }

  @Test
  void finalPingNeverWaitsPastTheRemainingInvocationTime() throws Exception {
    // 5 s timeout, but the invocation has 1.5 s left: 1 s for the heartbeat, 0.5 s kept.
    Duration took = addedToAnInstantJob(Duration.ofSeconds(5), () -> 1_500);

    assertTrue(took.compareTo(Duration.ofMillis(1_400)) < 0, "took " + took);
    assertTrue(took.compareTo(Duration.ofMillis(900)) >= 0, "took " + took);
  }

  @Test
  void noTimeLeftInTheInvocationSkipsTheFinalPing() throws Exception {
    Duration took = addedToAnInstantJob(Duration.ofSeconds(5), () -> 300);

    assertTrue(took.compareTo(Duration.ofMillis(300)) < 0, "took " + took);
    assertTrue(CapturedLogs.text().contains("not sent: 300 ms of the invocation left"),
        CapturedLogs.text());
  }

  @Test
  void asyncSignalReturnsAtOnceAndCompletesWithTheOutcome() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 50)) {
      Heartbeat heartbeat = Heartbeat.builder().timeout(Duration.ofMillis(500))
          .delivery(HttpDelivery.create(Ticker.system()))
          .forUrl("http://127.0.0.1:" + silent.getLocalPort() + UUID_PATH);

      CompletableFuture<PingOutcome> outcome = heartbeat.async(h -> h.log("phase 2"));

      assertFalse(outcome.isDone(), "the caller does not wait for a silent server");
      assertEquals(PingOutcome.Kind.FAILED, outcome.get(10, TimeUnit.SECONDS).kind());
    }
  }

  @Test
  void interruptedCallerIsNotBlockedAndKeepsItsInterrupt() {
    Thread.currentThread().interrupt();
    try {
      PingOutcome outcome = heartbeat(UUID_PATH).success();
      assertTrue(Thread.currentThread().isInterrupted(), "the caller's interrupt is kept");
      assertEquals(PingOutcome.Kind.FAILED, outcome.kind());
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void signalsNeverInterruptTheCaller() {
    heartbeat(UUID_PATH).run(() -> { });
    assertFalse(Thread.currentThread().isInterrupted());
  }

  @Test
  void noNonDaemonThreadIsLeftBehind() throws Exception {
    Set<Thread> before = Thread.getAllStackTraces().keySet();
    try (ServerSocket silent = new ServerSocket(0, 50)) {
      Heartbeat slow = Heartbeat.builder().timeout(Duration.ofMillis(300))
          .delivery(HttpDelivery.create(Ticker.system()))
          .forUrl("http://127.0.0.1:" + silent.getLocalPort() + UUID_PATH);
      slow.run(() -> { });
      slow.async(Heartbeat::success).get(10, TimeUnit.SECONDS);
    }
    Heartbeat fine = heartbeat(UUID_PATH);
    fine.run(() -> { });
    fine.async(h -> h.log("x")).get(10, TimeUnit.SECONDS);

    Set<Thread> after = new HashSet<>(Thread.getAllStackTraces().keySet());
    after.removeAll(before);
    List<String> nonDaemon = after.stream()
        .filter(Thread::isAlive)
        .filter(thread -> !thread.isDaemon())
        .filter(thread -> !thread.getName().startsWith("qtp")) // WireMock's own Jetty pool
        .map(Thread::getName)
        .collect(Collectors.toList());
    assertEquals(List.of(), nonDaemon);
    assertTrue(after.stream().anyMatch(t -> t.getName().equals("cabal-heartbeat"))
        || requests().size() > 0, "the heartbeat did run");
  }

  // --- bodies ---

  @Test
  void longBodyKeepsItsEndWithinTheLimit() {
    StringBuilder output = new StringBuilder();
    for (int line = 0; output.length() < 25_000; line++) {
      output.append("line ").append(line).append(" ok ✓\n");
    }
    output.append("ERROR: renewal failed for mail.example.net");

    heartbeat(UUID_PATH).fail(output.toString());

    byte[] sent = requests().get(0).getBody();
    assertTrue(sent.length <= 10_000, "sent " + sent.length + " bytes");
    assertTrue(sent.length > 9_900, "the room is used: " + sent.length);
    String text = new String(sent, StandardCharsets.UTF_8);
    assertTrue(text.endsWith("ERROR: renewal failed for mail.example.net"));
    assertTrue(text.startsWith("[first "), text.substring(0, 60));
    assertFalse(text.contains("\uFFFD"), "cut on a character boundary");
  }

  @Test
  void bodyLimitAnnouncedByTheServerIsUsedForLaterPings() {
    server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)
        .withHeader("Ping-Body-Limit", "200").withBody("OK")));
    Heartbeat heartbeat = heartbeat(UUID_PATH);
    heartbeat.start();

    heartbeat.success("x".repeat(1_000) + "END");

    byte[] sent = server.findAll(postRequestedFor(urlEqualTo(UUID_PATH))).get(0).getBody();
    assertTrue(sent.length <= 200, "sent " + sent.length);
    assertTrue(new String(sent, StandardCharsets.UTF_8).endsWith("END"));
  }

  @Test
  void configuredBodyLimitApplies() {
    Heartbeat heartbeat = Heartbeat.builder().bodyLimit(64).delivery(HttpDelivery.create(ticker))
        .forUrl(server.baseUrl() + UUID_PATH);

    heartbeat.log("é".repeat(100));

    byte[] sent = requests().get(0).getBody();
    assertTrue(sent.length <= 64);
    assertEquals("é".repeat(sent.length / 2), new String(sent, StandardCharsets.UTF_8));
  }

  @Test
  void aPingBodyLimitHeaderMayLowerTheLimitButNeverRaiseIt() {
    server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)
        .withHeader("Ping-Body-Limit", "100000000").withBody("OK")));
    Heartbeat heartbeat = Heartbeat.builder().bodyLimit(64).delivery(HttpDelivery.create(ticker))
        .forUrl(server.baseUrl() + UUID_PATH);
    heartbeat.start();

    heartbeat.log("x".repeat(1_000));

    byte[] sent = server.findAll(postRequestedFor(urlEqualTo(UUID_PATH + "/log"))).get(0)
        .getBody();
    assertTrue(sent.length <= 64, "sent " + sent.length + " bytes: the header raised the limit");
  }

  @Test
  void aFailedJobsExceptionTextIsScrubbedOfCredentialsBeforeItGoesToHealthchecks() {
    String url = server.baseUrl() + UUID_PATH;
    IllegalStateException thrown = new IllegalStateException("upload with AKIAIOSFODNN7EXAMPLE"
        + " failed; Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.secretpart;"
        + " db https://ops:hunter22@db.example/x; password=hunter2; pinging " + url);

    assertThrows(IllegalStateException.class, () -> heartbeat(UUID_PATH).run(() -> {
      throw thrown;
    }));

    String body = server.findAll(postRequestedFor(urlPathEqualTo(UUID_PATH + "/fail"))).get(0)
        .getBodyAsString();
    assertTrue(body.startsWith("java.lang.IllegalStateException: upload with <redacted>"), body);
    for (String leak : List.of("AKIAIOSFODNN7EXAMPLE", "eyJhbGciOiJIUzI1NiJ9", "hunter22",
        "hunter2", UUID_PATH.substring(1))) {
      assertFalse(body.contains(leak), leak + " in " + body);
    }
  }

  @Test
  void failureDetailsTurnedOffSendOnlyTheExceptionsClass() {
    Heartbeat heartbeat = Heartbeat.builder().sendFailureDetails(false)
        .delivery(HttpDelivery.create(ticker)).forUrl(server.baseUrl() + UUID_PATH);

    assertThrows(IllegalStateException.class, () -> heartbeat.run(() -> {
      throw new IllegalStateException("internal hostname db-7.corp and customer 4411");
    }));

    assertEquals("java.lang.IllegalStateException", server.findAll(
        postRequestedFor(urlPathEqualTo(UUID_PATH + "/fail"))).get(0).getBodyAsString());
  }

  // --- quiet and broken heartbeats ---

  @Test
  void pausedHeartbeatSendsNothingAndSaysSoOnce() throws Exception {
    Heartbeat paused = Heartbeat.builder().delivery(HttpDelivery.create(ticker)).forUrl("paused");

    assertFalse(paused.isEnabled());
    assertEquals(PingOutcome.Kind.SKIPPED, paused.success().kind());
    assertEquals(PingOutcome.Kind.SKIPPED, paused.fail("x").kind());
    assertEquals(PingOutcome.Kind.SKIPPED,
        paused.async(Heartbeat::start).get(1, TimeUnit.SECONDS).kind());
    assertEquals("done", paused.run(() -> "done"));

    server.verify(exactly(0), anyRequestedFor(anyUrl()));
    assertEquals(List.of("INFO com.cabalmail.heartbeat.Heartbeat - heartbeat off: ping URL is"
        + " 'paused'"), CapturedLogs.lines());
  }

  @Test
  void blankAndNonHttpUrlsAreQuietNoOps() {
    for (String url : List.of("", "   ", "ftp://hc.example.net/ping/x", "mailto:ops@example.net")) {
      CapturedLogs.clear();
      Heartbeat heartbeat = Heartbeat.of(url);
      assertFalse(heartbeat.isEnabled(), url);
      assertEquals(PingOutcome.Kind.SKIPPED, heartbeat.success().kind());
      assertTrue(CapturedLogs.lines().size() == 1 && CapturedLogs.text().startsWith("INFO"),
          CapturedLogs.text());
    }
  }

  @Test
  void malformedHttpUrlIsAWarningAndANoOp() {
    for (String url : List.of("https://", "https://hc.example.net/ping/ bad", "http://hc.example.net/")) {
      CapturedLogs.clear();
      Heartbeat heartbeat = Heartbeat.of(url);
      assertFalse(heartbeat.isEnabled(), url);
      assertEquals(PingOutcome.Kind.SKIPPED, heartbeat.success().kind());
      assertTrue(CapturedLogs.text().startsWith("WARN"), CapturedLogs.text());
    }
  }

  @Test
  void missingEnvironmentVariableIsAWarningAndANoOp() {
    Heartbeat heartbeat = Heartbeat.builder().environment(Map.of())
        .fromEnvironment("HEARTBEAT_URL");

    assertFalse(heartbeat.isEnabled());
    assertTrue(CapturedLogs.text().contains("environment variable HEARTBEAT_URL is not set"));
  }

  @Test
  void environmentVariableGivesTheUrl() {
    Heartbeat heartbeat = Heartbeat.builder().delivery(HttpDelivery.create(ticker))
        .environment(Map.of("HEARTBEAT_URL", server.baseUrl() + SLUG_PATH))
        .fromEnvironment("HEARTBEAT_URL");

    assertTrue(heartbeat.success().delivered());
    assertEquals(SLUG_PATH, requests().get(0).getUrl());
  }

  @Test
  void pingUrlSecretsNeverReachTheLogs() {
    server.stubFor(any(anyUrl()).willReturn(answer(404, "not found")));
    heartbeat(UUID_PATH).success();
    heartbeat(SLUG_PATH).success();
    Heartbeat.of(server.baseUrl() + "/ping/fqOOd6-F4MMNuCEnzTU01w/");

    String logs = CapturedLogs.text();
    assertFalse(logs.contains("5f1c2b3a-8d4e-4f60-9a7b-0c1d2e3f4a5b"), logs);
    assertFalse(logs.contains("fqOOd6-F4MMNuCEnzTU01w"), logs);
  }

  @Test
  void labelNamesTheCheckWithoutTheSecretPartsOrSaysWhyItIsOff() {
    Heartbeat uuid = Heartbeat.of("https://hc-ping.com/5bf66975-d4c7-4bf5-bcc8-b8d8a82ea278");
    Heartbeat slug = Heartbeat.of("https://hc-ping.com/fqOOd6-F4MMNA6Tn4Qt2Hw/certbot-renewal");
    Heartbeat paused = Heartbeat.of("paused");

    assertEquals("check 5bf66975\u2026 at hc-ping.com", uuid.label());
    assertEquals("check 'certbot-renewal' at hc-ping.com", slug.label());
    assertFalse(slug.label().contains("fqOOd6"), "the ping key is a credential");
    assertEquals("heartbeat off: ping URL is 'paused'", paused.label());
  }
}
