package com.cabalmail.alert.pushover;

import static com.cabalmail.alert.testkit.PushoverStandIn.APP_TOKEN;
import static com.cabalmail.alert.testkit.PushoverStandIn.RECEIPT;
import static com.cabalmail.alert.testkit.PushoverStandIn.REQUEST_ID;
import static com.cabalmail.alert.testkit.PushoverStandIn.USER_KEY;
import static com.cabalmail.alert.testkit.PushoverStandIn.accepted;
import static com.cabalmail.alert.testkit.PushoverStandIn.acceptedEmergency;
import static com.cabalmail.alert.testkit.PushoverStandIn.form;
import static com.cabalmail.alert.testkit.PushoverStandIn.json;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cabalmail.alert.Alert;
import com.cabalmail.alert.AlertRouter;
import com.cabalmail.alert.Route;
import com.cabalmail.alert.RoutingTable;
import com.cabalmail.alert.AlertStatus;
import com.cabalmail.alert.Labels;
import com.cabalmail.alert.Outcome;
import com.cabalmail.alert.Severity;
import com.cabalmail.alert.spi.PriorDelivery;
import com.cabalmail.alert.testkit.CapturedLogs;
import com.cabalmail.alert.testkit.ManualTicker;
import com.cabalmail.alert.testkit.StandInServer;
import com.cabalmail.alert.testkit.PushoverStandIn;
import com.cabalmail.alert.testkit.WarmUp;
import com.cabalmail.http.Deadline;
import com.cabalmail.http.HttpDelivery;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Pushover's own behaviour, over real HTTP against WireMock answering as Pushover does. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PushoverTransportTest {

  private static final String MESSAGES = "/1/messages.json";
  private static final Duration BUDGET = Duration.ofSeconds(7);

  private WireMockServer server;
  private ManualTicker ticker;
  private final List<Outcome> outcomes = new ArrayList<>();

  @BeforeAll
  void startPushover() throws Exception {
    server = new WireMockServer(options().dynamicPort());
    server.start();
    WarmUp.exchangeOnce(server.baseUrl());
  }

  @AfterAll
  void stopPushover() {
    server.stop();
  }

  @BeforeEach
  void reset() {
    server.resetAll();
    ticker = new ManualTicker();
    outcomes.clear();
    CapturedLogs.clear();
  }

  private Outcome deliver(Alert alert, int priority) {
    return deliver(alert, priority, BUDGET, Map.of());
  }

  private Outcome deliver(Alert alert, int priority, Duration budget, Map<String, String> extra) {
    PushoverTransport transport = new PushoverTransport(
        PushoverFixtures.settings(URI.create(server.baseUrl()), extra),
        HttpDelivery.create(ticker));
    Outcome outcome = transport.deliver(alert, priority, Deadline.after(budget, ticker));
    outcomes.add(outcome);
    return outcome;
  }

  private Outcome deliver(Alert alert, int priority, PriorDelivery prior) {
    PushoverTransport transport = new PushoverTransport(
        PushoverFixtures.settings(URI.create(server.baseUrl()), Map.of()),
        HttpDelivery.create(ticker));
    Outcome outcome = transport.deliver(alert, priority, Deadline.after(BUDGET, ticker), prior);
    outcomes.add(outcome);
    return outcome;
  }

  private void answer(String path, ResponseDefinitionBuilder answer) {
    server.stubFor(post(urlEqualTo(path)).willReturn(answer));
  }

  private void answerInTurn(String path, ResponseDefinitionBuilder first,
      ResponseDefinitionBuilder then) {
    StandInServer.answerInTurn(server, () -> post(urlEqualTo(path)), first, then);
  }

  /** The requests received, oldest first. */
  private List<LoggedRequest> received() {
    List<LoggedRequest> requests = new ArrayList<>();
    for (ServeEvent event : server.getAllServeEvents()) {
      requests.add(event.getRequest());
    }
    Collections.reverse(requests);
    return requests;
  }

  private Map<String, String> sentMessage() {
    List<LoggedRequest> messages = server.findAll(postRequestedFor(urlEqualTo(MESSAGES)));
    assertEquals(1, messages.size(), "messages sent");
    return form(messages.get(0).getBodyAsString());
  }

  private static Alert diskFull() {
    return Alert.firing(Severity.CRITICAL, "alertmanager/DiskFull", "Disk /var is 97% full")
        .withRunbook(URI.create("https://github.com/cabalmail/cabal-infra/blob/main/docs/"
            + "operations/runbooks/disk-full.md"))
        .withLabels(Map.of("alertname", "DiskFull", "severity", "critical"))
        .withLabel("instance", "imap-1:9100")
        .withLabel("job", "node")
        .withLabel(Labels.DASHBOARD_URL, "https://grafana.example/d/node")
        .withStartsAt(Instant.parse("2026-08-21T10:15:30Z"))
        .withFingerprint("3f2a9c1de4b56789");
  }

  // ---- the request ----

  @Test
  void firingAlertIsOneFormPostWithEveryField() {
    answer(MESSAGES, accepted());

    Outcome outcome = deliver(diskFull(), 1);

    assertEquals(Outcome.Kind.SENT, outcome.kind(), outcome.detail());
    assertEquals(REQUEST_ID, outcome.messageId().orElseThrow());
    LoggedRequest request = server.findAll(postRequestedFor(urlEqualTo(MESSAGES))).get(0);
    assertEquals("application/x-www-form-urlencoded", request.getHeader("Content-Type"));
    Map<String, String> sent = form(request.getBodyAsString());
    assertEquals(List.of("token", "user", "title", "message", "priority", "url", "url_title",
        "timestamp"), List.copyOf(sent.keySet()));
    assertEquals(APP_TOKEN, sent.get("token"));
    assertEquals(USER_KEY, sent.get("user"));
    assertEquals("[CRITICAL] alertmanager/DiskFull", sent.get("title"));
    assertEquals("Disk /var is 97% full\n\ninstance: imap-1:9100\njob: node", sent.get("message"));
    assertEquals("1", sent.get("priority"));
    assertEquals("https://github.com/cabalmail/cabal-infra/blob/main/docs/operations/runbooks/"
        + "disk-full.md", sent.get("url"));
    assertEquals("Runbook", sent.get("url_title"));
    assertEquals(Long.toString(Instant.parse("2026-08-21T10:15:30Z").getEpochSecond()),
        sent.get("timestamp"));
  }

  @Test
  void withoutRunbookTheDashboardIsTheLinkAndTruncatedAlertsAreCounted() {
    answer(MESSAGES, accepted());
    Alert alert = Alert.firing(Severity.WARNING, "grafana/Queue", "Mail queue growing")
        .withLabel(Labels.DASHBOARD_URL, "https://grafana.example/d/mail")
        .withLabel(Labels.GENERATOR_URL, "https://grafana.example/alerting/x/view")
        .withLabel(Labels.TRUNCATED_ALERTS, "3");

    deliver(alert, 0);

    Map<String, String> sent = sentMessage();
    assertEquals("[WARNING] grafana/Queue", sent.get("title"));
    assertEquals("Mail queue growing\n\n+3 alerts not shown", sent.get("message"));
    assertEquals("https://grafana.example/d/mail", sent.get("url"));
    assertEquals("Dashboard", sent.get("url_title"));
    assertFalse(sent.containsKey("timestamp"));
  }

  @Test
  void deviceAndSeveritySoundAreSent() {
    answer(MESSAGES, accepted());

    deliver(diskFull(), 1, BUDGET, Map.of(PushoverProvider.DEVICE, "phone,ipad_2",
        "PUSHOVER_SOUND_CRITICAL", "siren", "PUSHOVER_SOUND_WARNING", "pushover"));

    Map<String, String> sent = sentMessage();
    assertEquals("phone,ipad_2", sent.get("device"));
    assertEquals("siren", sent.get("sound"));
  }

  @Test
  void unicodeIsSentAsUtf8AndControlCharactersAreReplaced() {
    answer(MESSAGES, accepted());
    Alert alert = Alert.firing(Severity.CRITICAL, "kuma/Zürich ✓\r\n東京",
        "déjà vu 🚨\u0000\u0007 e\u0301 \uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67\r\n"
            + "مرحبا \uD800 end");

    Outcome outcome = deliver(alert, 1);

    assertEquals(Outcome.Kind.SENT, outcome.kind(), outcome.detail());
    Map<String, String> sent = sentMessage();
    assertEquals("[CRITICAL] kuma/Zürich ✓ 東京", sent.get("title"));
    assertEquals("déjà vu 🚨\uFFFD\uFFFD e\u0301 "
        + "\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67\n"
        + "مرحبا \uFFFD end", sent.get("message"));
  }

  @Test
  void priorityOutsidePushoversScaleIsRejectedWithoutARequest() {
    Outcome outcome = deliver(diskFull(), 3);

    assertEquals(Outcome.Kind.REJECTED, outcome.kind());
    assertTrue(outcome.detail().contains("-2..2"), outcome.detail());
    assertEquals(0, server.getAllServeEvents().size());
  }

  // ---- limits ----

  @Test
  void fiveThousandCharacterSummaryArrivesAsExactly1024WithTheMarker() {
    answer(MESSAGES, accepted());
    String summary = "Mailbox sync failed: " + "x".repeat(5_000 - 21);

    Outcome outcome = deliver(Alert.firing(Severity.CRITICAL, "imap/sync", summary), 1);

    String message = sentMessage().get("message");
    assertEquals(1024, message.codePointCount(0, message.length()));
    assertTrue(message.startsWith("Mailbox sync failed: xxx"), message);
    assertTrue(message.endsWith("x\u2026"), message);
    assertTrue(outcome.detail().contains("message cut from 5000 to 1024"), outcome.detail());
  }

  @Test
  void titleFullOfEmojiIsCutOnACodePointBoundary() {
    answer(MESSAGES, accepted());
    String source = "kuma/" + "🚨".repeat(300);

    deliver(Alert.firing(Severity.CRITICAL, source, "down"), 1);

    String title = sentMessage().get("title");
    assertEquals(250, title.codePointCount(0, title.length()));
    assertTrue(title.endsWith("🚨\u2026"), title);
    for (int i = 0; i < title.length(); i++) {
      char c = title.charAt(i);
      if (Character.isHighSurrogate(c)) {
        assertTrue(Character.isLowSurrogate(title.charAt(++i)), "pair split at " + i);
      } else {
        assertFalse(Character.isLowSurrogate(c), "lone low surrogate at " + i);
      }
    }
  }

  @Test
  void runbookLongerThanTheUrlLimitMovesWholeIntoTheMessage() {
    answer(MESSAGES, accepted());
    String runbook = "https://wiki.example/runbooks/" + "a".repeat(600);

    deliver(diskFull().withRunbook(URI.create(runbook)).withSummary("s".repeat(2_000)), 1);

    Map<String, String> sent = sentMessage();
    String message = sent.get("message");
    assertEquals(1024, message.codePointCount(0, message.length()));
    assertTrue(message.endsWith("\n\nRunbook: " + runbook), message);
    assertTrue(message.startsWith("sss"), message);
    assertEquals("https://grafana.example/d/node", sent.get("url"));
    assertEquals("Dashboard", sent.get("url_title"));
  }

  // ---- emergency and recovery ----

  @Test
  void emergencySendsRetryExpireAndTagAndRecordsTheReceipt() {
    answer(MESSAGES, acceptedEmergency());

    Outcome outcome = deliver(diskFull(), 2);

    Map<String, String> sent = sentMessage();
    assertEquals("2", sent.get("priority"));
    assertEquals("60", sent.get("retry"));
    assertEquals("3600", sent.get("expire"));
    assertEquals("3f2a9c1de4b56789", sent.get("tags"));
    assertEquals(Outcome.Kind.SENT, outcome.kind(), outcome.detail());
    assertTrue(outcome.detail().contains("emergency receipt " + RECEIPT), outcome.detail());
    assertEquals(java.util.Optional.of(RECEIPT), outcome.handle(), "kept for the recovery");
  }

  @Test
  void aPageThatIsNoEmergencyKeepsNoHandle() {
    answer(MESSAGES, accepted());

    assertEquals(java.util.Optional.empty(), deliver(diskFull(), 1).handle());
  }

  @Test
  void recoveryOfAnEmergencyWhoseReceiptTheLedgerKeptCancelsByReceipt() {
    answer("/1/receipts/" + RECEIPT + "/cancel.json", accepted());
    answer(MESSAGES, accepted());

    Outcome outcome = deliver(diskFull().withStatus(AlertStatus.RESOLVED), -1,
        PriorDelivery.delivered(RECEIPT));

    List<LoggedRequest> requests = received();
    assertEquals(2, requests.size());
    assertEquals("/1/receipts/" + RECEIPT + "/cancel.json", requests.get(0).getUrl());
    assertEquals(Map.of("token", APP_TOKEN), form(requests.get(0).getBodyAsString()));
    assertEquals(MESSAGES, requests.get(1).getUrl());
    assertEquals(Outcome.Kind.SENT, outcome.kind(), outcome.detail());
    assertTrue(outcome.detail().contains("receipt " + RECEIPT + " cancelled"), outcome.detail());
  }

  @Test
  void recoveryOfAPageTheLedgerKnowsWasNoEmergencyMakesNoCancelCall() {
    answer(MESSAGES, accepted());

    Outcome outcome = deliver(diskFull().withStatus(AlertStatus.RESOLVED), -1,
        PriorDelivery.delivered(null));

    assertEquals(List.of(MESSAGES), received().stream().map(LoggedRequest::getUrl)
        .collect(java.util.stream.Collectors.toList()));
    assertEquals(Outcome.Kind.SENT, outcome.kind(), outcome.detail());
    assertTrue(outcome.detail().endsWith("no emergency was sent, none cancelled"),
        outcome.detail());
  }

  @Test
  void recoveryOfAPageThatWasNeverDeliveredMakesNoCancelCall() {
    answer(MESSAGES, accepted());

    deliver(diskFull().withStatus(AlertStatus.RESOLVED), -1, PriorDelivery.notDelivered());

    assertEquals(1, received().size());
    assertEquals(MESSAGES, received().get(0).getUrl());
  }

  @Test
  void aHandleThatIsNoReceiptFallsBackToTheTag() {
    server.stubFor(post(urlPathMatching("/1/receipts/cancel_by_tag/.*")).willReturn(accepted()));
    answer(MESSAGES, accepted());

    deliver(diskFull().withStatus(AlertStatus.RESOLVED), -1,
        PriorDelivery.delivered("../../1/messages"));

    assertEquals("/1/receipts/cancel_by_tag/3f2a9c1de4b56789.json", received().get(0).getUrl());
  }

  @Test
  void resolvedAlertCancelsByTheSameTagBeforeSendingTheRecovery() {
    answer(MESSAGES, acceptedEmergency());
    deliver(diskFull(), 2, BUDGET, Map.of(PushoverProvider.EMERGENCY_RETRY, "30s",
        PushoverProvider.EMERGENCY_EXPIRE, "120m"));
    String tag = sentMessage().get("tags");
    assertEquals("30", sentMessage().get("retry"));
    assertEquals("7200", sentMessage().get("expire"));
    server.resetAll();
    answer("/1/receipts/cancel_by_tag/" + tag + ".json", accepted());
    answer(MESSAGES, accepted());

    Outcome outcome = deliver(diskFull().withStatus(AlertStatus.RESOLVED), -1);

    List<LoggedRequest> requests = received();
    assertEquals(2, requests.size());
    assertEquals("/1/receipts/cancel_by_tag/" + tag + ".json", requests.get(0).getUrl());
    assertEquals(Map.of("token", APP_TOKEN), form(requests.get(0).getBodyAsString()));
    assertEquals(MESSAGES, requests.get(1).getUrl());
    Map<String, String> recovery = form(requests.get(1).getBodyAsString());
    assertEquals("[RESOLVED] alertmanager/DiskFull", recovery.get("title"));
    assertEquals("-1", recovery.get("priority"));
    assertEquals("Disk /var is 97% full\n\ninstance: imap-1:9100\njob: node\n"
        + "Started 2026-08-21 10:15:30 UTC", recovery.get("message"));
    for (String field : List.of("retry", "expire", "tags", "timestamp", "sound")) {
      assertFalse(recovery.containsKey(field), field + " sent with a recovery");
    }
    assertEquals(Outcome.Kind.SENT, outcome.kind(), outcome.detail());
    assertEquals(2, outcome.attempts());
    assertTrue(outcome.detail().contains(tag + " cancelled"), outcome.detail());
  }

  private PushoverTransport transport() {
    return new PushoverTransport(PushoverFixtures.settings(URI.create(server.baseUrl()),
        Map.of()), HttpDelivery.create(ticker));
  }

  /** Cabalmail's table, or one that pages critical alerts as emergencies. */
  private AlertRouter router(boolean emergencies) {
    RoutingTable routes = !emergencies ? RoutingTable.defaults()
        : RoutingTable.of(Map.of(Severity.CRITICAL, List.of(new Route("pushover", 2))),
            Map.of(Severity.CRITICAL, List.of(new Route("pushover", -1))));
    return AlertRouter.builder().routes(routes).transport("pushover", transport())
        .transport("ntfy", (alert, priority, deadline) -> Outcome.sent("n", "", 1))
        .ticker(ticker).build();
  }

  @Test
  void recoveryIsNotCancelledWhenTheRoutingTableCouldNotHaveSentAnEmergency() {
    server.stubFor(post(urlPathMatching("/1/receipts/cancel_by_tag/.*")).willReturn(accepted()));
    answer(MESSAGES, accepted());

    // Cabalmail's table pages critical alerts at 1: no emergency to cancel.
    router(false).route(diskFull().withStatus(AlertStatus.RESOLVED));

    assertEquals(List.of(MESSAGES), received().stream().map(LoggedRequest::getUrl)
        .collect(java.util.stream.Collectors.toList()));
  }

  @Test
  void recoveryIsCancelledWhenTheRoutingTableSendsEmergenciesForItsSeverity() {
    server.stubFor(post(urlPathMatching("/1/receipts/cancel_by_tag/.*")).willReturn(accepted()));
    answer(MESSAGES, accepted());

    router(true).route(diskFull().withStatus(AlertStatus.RESOLVED));

    assertEquals(List.of("/1/receipts/cancel_by_tag/3f2a9c1de4b56789.json", MESSAGES),
        received().stream().map(LoggedRequest::getUrl)
            .collect(java.util.stream.Collectors.toList()));
  }

  @Test
  void apiHostThatDoesNotResolveSaysSo() {
    PushoverTransport typo = new PushoverTransport(PushoverFixtures.settings(
        URI.create("https://api.pushover.invalid"), Map.of()), HttpDelivery.create(ticker));

    Outcome outcome = typo.deliver(diskFull(), 1, Deadline.after(Duration.ofSeconds(4), ticker));

    assertEquals(Outcome.Kind.FAILED, outcome.kind());
    assertTrue(outcome.detail().contains("host 'api.pushover.invalid' does not resolve"),
        outcome.detail());
  }

  @Test
  void testNotificationIsMarkedAndARunbookThatIsNoLinkIsText() {
    answer(MESSAGES, accepted());
    Alert test = Alert.firing(Severity.INFO, "kuma", "Cabal sink Testing")
        .withLabel(Labels.TEST, "true")
        .withLabel(Labels.RUNBOOK_TEXT, "see the wiki page Disk-Full");

    deliver(test, -1);

    Map<String, String> sent = sentMessage();
    assertEquals("[TEST] kuma", sent.get("title"));
    assertEquals("Cabal sink Testing\n\nRunbook: see the wiki page Disk-Full",
        sent.get("message"));
    assertFalse(sent.containsKey("url"));
  }

  @Test
  void recoveryRoutedAtTwoIsSentAtOneWithoutRepeats() {
    server.stubFor(post(urlPathMatching("/1/receipts/cancel_by_tag/.*")).willReturn(accepted()));
    answer(MESSAGES, accepted());

    deliver(diskFull().withStatus(AlertStatus.RESOLVED), 2);

    Map<String, String> sent = sentMessage();
    assertEquals("1", sent.get("priority"));
    assertFalse(sent.containsKey("retry"));
  }

  @Test
  void cancelWithoutAnswerStillSendsTheRecoveryAndFailsNamingBoth() {
    server.stubFor(post(urlPathMatching("/1/receipts/cancel_by_tag/.*"))
        .willReturn(json(503, "<html>busy</html>")));
    answer(MESSAGES, accepted());

    Outcome outcome = deliver(diskFull().withStatus(AlertStatus.RESOLVED), -1);

    String message = sentMessage().get("message");
    assertTrue(message.endsWith("\n\n" + PushoverTransport.CANCEL_FAILED_NOTE), message);
    assertEquals(Outcome.Kind.FAILED, outcome.kind(), outcome.detail());
    assertEquals(REQUEST_ID, outcome.messageId().orElseThrow());
    assertTrue(outcome.detail().startsWith("recovery: queued; "), outcome.detail());
    assertTrue(outcome.detail().contains("NOT cancelled"), outcome.detail());
    assertTrue(outcome.detail().contains("503"), outcome.detail());
    assertTrue(CapturedLogs.text().contains("WARN"), CapturedLogs.text());
  }

  @Test
  void cancelWarningSurvivesAMessageCutToTheLimit() {
    server.stubFor(post(urlPathMatching("/1/receipts/cancel_by_tag/.*"))
        .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
    answer(MESSAGES, accepted());

    deliver(diskFull().withSummary("y".repeat(5_000))
        .withStatus(AlertStatus.RESOLVED), -1);

    String message = sentMessage().get("message");
    assertEquals(1024, message.codePointCount(0, message.length()));
    assertTrue(message.startsWith("yyy"), message);
    assertTrue(message.endsWith("y\u2026\n\n" + PushoverTransport.CANCEL_FAILED_NOTE), message);
  }

  @Test
  void cancelRefusedByPushoverKeepsTheRecoveryOutcomeAndSaysSo() {
    server.stubFor(post(urlPathMatching("/1/receipts/cancel_by_tag/.*"))
        .willReturn(json(400, "{\"tag\":\"invalid\",\"errors\":[\"tag is invalid\"],"
            + "\"status\":0,\"request\":\"" + REQUEST_ID + "\"}")));
    answer(MESSAGES, accepted());

    Outcome outcome = deliver(diskFull().withStatus(AlertStatus.RESOLVED), -1);

    assertEquals(Outcome.Kind.SENT, outcome.kind(), outcome.detail());
    assertTrue(outcome.detail().contains("refused (400): tag is invalid (invalid: tag)"),
        outcome.detail());
    assertTrue(sentMessage().get("message").endsWith(PushoverTransport.CANCEL_FAILED_NOTE));
  }

  @Test
  void hungCancelLeavesHalfTheBudgetForTheRecovery() {
    server.stubFor(post(urlPathMatching("/1/receipts/cancel_by_tag/.*"))
        .willReturn(accepted().withFixedDelay(10_000)));
    answer(MESSAGES, accepted());

    Outcome outcome = deliver(diskFull().withStatus(AlertStatus.RESOLVED), -1,
        Duration.ofMillis(1_200), Map.of());

    assertEquals(Outcome.Kind.FAILED, outcome.kind(), outcome.detail());
    assertEquals(REQUEST_ID, outcome.messageId().orElseThrow(), outcome.detail());
    assertTrue(outcome.detail().contains("timed out"), outcome.detail());
  }

  @Test
  void interruptWhileWaitingForASlotIsReportedAsAnInterruptNotAsNoSlot() {
    answer(MESSAGES, accepted());
    PushoverTransport transport = new PushoverTransport(
        PushoverFixtures.settings(URI.create(server.baseUrl()), Map.of()),
        HttpDelivery.create(ticker));

    Thread.currentThread().interrupt();
    Outcome outcome = transport.deliver(diskFull(), 1, Deadline.after(BUDGET, ticker));
    boolean stillInterrupted = Thread.interrupted();

    assertEquals(Outcome.Kind.FAILED, outcome.kind(), outcome.detail());
    assertTrue(outcome.detail().contains("interrupted"), outcome.detail());
    assertFalse(outcome.detail().contains("no request slot"), outcome.detail());
    assertTrue(stillInterrupted, "the interrupt is kept for the caller");
    server.verify(0, postRequestedFor(urlEqualTo(MESSAGES)));
  }

  @Test
  void atMostTwoRequestsAreInFlightAtOnce() throws Exception {
    answer(MESSAGES, accepted().withFixedDelay(400));
    PushoverTransport transport = new PushoverTransport(
        PushoverFixtures.settings(URI.create(server.baseUrl()), Map.of()),
        HttpDelivery.create(ticker));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Outcome>> futures = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        futures.add(pool.submit(() ->
            transport.deliver(diskFull(), 1, Deadline.after(BUDGET, ticker))));
      }
      for (Future<Outcome> future : futures) {
        assertEquals(Outcome.Kind.SENT, future.get().kind());
      }
    } finally {
      pool.shutdownNow();
    }
    List<Long> arrivals = new ArrayList<>();
    received().forEach(request -> arrivals.add(request.getLoggedDate().getTime()));
    Collections.sort(arrivals);
    assertEquals(4, arrivals.size());
    for (int i = 0; i + 2 < arrivals.size(); i++) {
      assertTrue(arrivals.get(i + 2) - arrivals.get(i) >= 350,
          "a third request arrived while two were answered slowly: " + arrivals);
    }
  }

  // ---- answers ----

  @Test
  void invalidTokenIsRejectedWithPushoversTextAndNotRetried() {
    answer(MESSAGES, PushoverStandIn.invalidToken());

    Outcome outcome = deliver(diskFull(), 1);

    assertEquals(Outcome.Kind.REJECTED, outcome.kind(), outcome.detail());
    assertEquals("Pushover rejected the message (400): application token is invalid, see"
        + " https://pushover.net/api (invalid: token) [request " + REQUEST_ID + "]",
        outcome.detail());
    assertEquals(1, outcome.attempts());
    server.verify(1, postRequestedFor(urlEqualTo(MESSAGES)));
  }

  @Test
  void invalidUserIsRejectedWithPushoversText() {
    answer(MESSAGES, PushoverStandIn.invalidUser());

    Outcome outcome = deliver(diskFull(), 1);

    assertEquals(Outcome.Kind.REJECTED, outcome.kind(), outcome.detail());
    assertTrue(outcome.detail().contains("user identifier is not a valid user"), outcome.detail());
    assertTrue(outcome.detail().contains("(invalid: user)"), outcome.detail());
    server.verify(1, postRequestedFor(urlEqualTo(MESSAGES)));
  }

  @Test
  void quotaUsedUpIsRejectedNotRetriedAndSaysWhenItResets() {
    answer(MESSAGES, PushoverStandIn.quotaUsedUp());

    Outcome outcome = deliver(diskFull(), 1);

    assertEquals(Outcome.Kind.REJECTED, outcome.kind(), outcome.detail());
    assertTrue(outcome.detail().contains("quota is used up (429)"), outcome.detail());
    assertTrue(outcome.detail().contains("resets at 2026-11-01T07:00:00Z"), outcome.detail());
    assertTrue(outcome.detail().contains("application <redacted> has exceeded"), outcome.detail());
    server.verify(1, postRequestedFor(urlEqualTo(MESSAGES)));
    assertTrue(ticker.sleeps().isEmpty());
  }

  @Test
  void serverErrorIsRetriedNoSoonerThanFiveSeconds() {
    answerInTurn(MESSAGES, json(500, "{\"status\":0}"), accepted());

    Outcome outcome = deliver(diskFull(), 1);

    assertEquals(Outcome.Kind.SENT, outcome.kind(), outcome.detail());
    assertEquals(2, outcome.attempts());
    assertEquals(1, ticker.sleeps().size());
    assertTrue(ticker.sleeps().get(0).compareTo(Duration.ofSeconds(5)) >= 0, ticker.sleeps()
        .toString());
  }

  @Test
  void serverErrorsUntilTheBudgetEndsAreFailedWithTheLastStatus() {
    answer(MESSAGES, json(502, "<html>bad gateway</html>"));

    Outcome outcome = deliver(diskFull(), 1);

    assertEquals(Outcome.Kind.FAILED, outcome.kind(), outcome.detail());
    assertEquals("Pushover answered 502 after 2 attempts", outcome.detail());
  }

  @Test
  void hangPastTheAttemptTimeoutFailsWithinTheDeliveryBudget() {
    answer(MESSAGES, accepted().withFixedDelay(10_000));
    long started = System.nanoTime();

    Outcome outcome = deliver(diskFull(), 1);

    long tookMs = (System.nanoTime() - started) / 1_000_000;
    assertEquals(Outcome.Kind.FAILED, outcome.kind(), outcome.detail());
    assertTrue(outcome.detail().startsWith("pushover: timed out"), outcome.detail());
    assertTrue(tookMs < 4_000, "took " + tookMs + " ms");
    assertEquals(1, outcome.attempts(), "3 s + the 5 s wait leave no room for a retry in 7 s");
  }

  @Test
  void connectionResetThenSuccessIsSentAfterTheMinimumWait() {
    answerInTurn(MESSAGES, aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER), accepted());

    Outcome outcome = deliver(diskFull(), 1);

    assertEquals(Outcome.Kind.SENT, outcome.kind(), outcome.detail());
    assertEquals(List.of(Duration.ofSeconds(5)), ticker.sleeps());
  }

  @Test
  void okStatusWithoutPushoversJsonIsFailedWithAClearReason() {
    answer(MESSAGES, aResponse().withStatus(200).withHeader("Content-Type", "text/html")
        .withBody("<html><body>Captive portal: please log in</body></html>"));

    Outcome outcome = deliver(diskFull(), 1);

    assertEquals(Outcome.Kind.FAILED, outcome.kind());
    assertEquals("Pushover answered 200 with a body that is not its JSON: '<html><body>Captive"
        + " portal: please log in</body></html>' (text/html)", outcome.detail());
  }

  @Test
  void lowQuotaLogsAWarningWithTheResetTime() {
    answer(MESSAGES, PushoverStandIn.accepted(999));

    deliver(diskFull(), 1);

    assertTrue(CapturedLogs.text().contains("WARN com.cabalmail.alert.pushover.PushoverTransport"
        + " - pushover: only 999 of the application's 10000 monthly messages are left; the"
        + " quota resets at 2026-11-01T07:00:00Z"), CapturedLogs.text());
  }

  @Test
  void remainingQuotaIsTheLatestAnswersHeaderAndAbsentBeforeAnyAnswer() {
    PushoverTransport transport = new PushoverTransport(
        PushoverFixtures.settings(URI.create(server.baseUrl()), Map.of()),
        HttpDelivery.create(ticker));
    assertEquals(OptionalLong.empty(), transport.quotaRemaining());

    answer(MESSAGES, PushoverStandIn.accepted(7496));
    transport.deliver(diskFull(), 1, Deadline.after(BUDGET, ticker));
    assertEquals(OptionalLong.of(7496), transport.quotaRemaining());

    answer(MESSAGES, PushoverStandIn.quotaUsedUp());
    transport.deliver(diskFull(), 1, Deadline.after(BUDGET, ticker));
    assertEquals(OptionalLong.of(0), transport.quotaRemaining(), "a 429 states 0 left");

    answer(MESSAGES, aResponse().withStatus(200).withBody("{\"status\":1,\"request\":\"x\"}"));
    transport.deliver(diskFull(), 1, Deadline.after(BUDGET, ticker));
    assertEquals(OptionalLong.of(0), transport.quotaRemaining(),
        "an answer without the header keeps the last stated value");
  }

  @Test
  void ampleQuotaLogsNoWarning() {
    answer(MESSAGES, PushoverStandIn.accepted(1000));

    deliver(diskFull(), 1);

    assertFalse(CapturedLogs.text().contains("WARN"), CapturedLogs.text());
  }

  @Test
  void noSecretInAnyOutcomeOrLogLine() {
    String echo = "{\"token\":\"invalid\",\"errors\":[\"token " + APP_TOKEN + " for user " + USER_KEY
        + " is invalid\"],\"status\":0}";
    Alert resolved = diskFull().withStatus(AlertStatus.RESOLVED);
    answer(MESSAGES, json(400, echo));
    deliver(diskFull(), 1);
    answer(MESSAGES, PushoverStandIn.quotaUsedUp());
    deliver(diskFull(), 2);
    answer(MESSAGES, json(200, "not json " + APP_TOKEN));
    deliver(diskFull(), 1);
    answer(MESSAGES, json(500, echo));
    deliver(diskFull(), 1);
    answer(MESSAGES, aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
    deliver(diskFull(), 1);
    server.stubFor(post(urlPathMatching("/1/receipts/cancel_by_tag/.*"))
        .willReturn(json(400, echo)));
    answer(MESSAGES, PushoverStandIn.accepted(1));
    deliver(resolved, -1);
    server.stubFor(post(urlPathMatching("/1/receipts/cancel_by_tag/.*"))
        .willReturn(json(503, echo)));
    deliver(resolved, -1);

    String everything = outcomes + "\n" + CapturedLogs.text();
    assertEquals(7, outcomes.size());
    assertTrue(everything.contains("<redacted>"), everything);
    for (String secret : PushoverStandIn.secrets()) {
      assertFalse(everything.contains(secret), "a secret leaked: " + everything);
    }
  }
}
