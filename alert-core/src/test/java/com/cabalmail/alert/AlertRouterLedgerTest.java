package com.cabalmail.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cabalmail.alert.ledger.Claim;
import com.cabalmail.alert.ledger.DeliveryLedger;
import com.cabalmail.alert.ledger.LedgerEntry;
import com.cabalmail.alert.ledger.LedgerException;
import com.cabalmail.alert.ledger.LedgerKey;
import com.cabalmail.alert.ledger.LedgerPolicy;
import com.cabalmail.alert.spi.PriorDelivery;
import com.cabalmail.alert.spi.Transport;
import com.cabalmail.alert.testkit.TestClock;
import com.cabalmail.alert.testkit.UnreachableLedger;
import com.cabalmail.http.Deadline;
import com.cabalmail.alert.testkit.CapturedLogs;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The router with a delivery ledger, on an injected wall clock: repeats, retries, leases,
 * windows, new incidents, the storm guard and emergencies, without a single sleep.
 */
class AlertRouterLedgerTest {

  final TestClock clock = TestClock.atTen();
  final DeliveryLedger ledger = DeliveryLedger.inMemory();
  final Scripted pushover = new Scripted("pushover");
  final Scripted ntfy = new Scripted("ntfy");

  @BeforeEach
  void clearLogs() {
    CapturedLogs.clear();
  }

  /** A transport that records each call and answers as the test says (default: sent). */
  static final class Scripted implements Transport {
    final String name;
    final List<String> calls = new CopyOnWriteArrayList<>();
    final List<PriorDelivery> priors = new CopyOnWriteArrayList<>();
    volatile Function<Alert, Outcome> answer;

    Scripted(String name) {
      this.name = name;
      this.answer = alert -> Outcome.sent(name + "-" + alert.fingerprintToken(), "queued", 1);
    }

    @Override
    public Outcome deliver(Alert alert, int priority, Deadline deadline) {
      return deliver(alert, priority, deadline, PriorDelivery.unknown());
    }

    @Override
    public Outcome deliver(Alert alert, int priority, Deadline deadline, PriorDelivery prior) {
      calls.add(alert.status().wireName() + " " + alert.source() + " @" + priority);
      priors.add(prior);
      return answer.apply(alert);
    }
  }

  AlertRouter.Builder router() {
    return router(pushover, ntfy, ledger, clock);
  }

  /** The default table, Pushover and ntfy as given, the ledger, on the test clock. */
  static AlertRouter.Builder router(Transport pushover, Transport ntfy, DeliveryLedger ledger,
      TestClock clock) {
    return AlertRouter.builder()
        .routes(RoutingTable.defaults())
        .transport("pushover", pushover)
        .transport("ntfy", ntfy)
        .ledger(ledger)
        .clock(clock);
  }

  /** A critical alert with an identity of its own, as a tool gives it (a Kuma monitor). */
  static Alert critical(String source) {
    return Alert.firing(Severity.CRITICAL, source, source + " is down")
        .withFingerprint("kuma:" + source);
  }

  static List<String> kinds(DeliveryReport report) {
    return report.deliveries().stream()
        .map(d -> d.transport() + " " + d.outcome().kind().wireName())
        .collect(Collectors.toList());
  }

  /** Routes the IMAP alert and checks what each transport did, in route order. */
  static DeliveryReport routeImapDown(AlertRouter router, String... expectedKinds) {
    DeliveryReport report = router.route(critical("kuma/IMAP"));
    assertEquals(List.of(expectedKinds), kinds(report));
    return report;
  }

  /** How many times each transport was called: Pushover, then ntfy. */
  void assertCalls(int pushoverCalls, int ntfyCalls) {
    assertEquals(List.of(pushoverCalls, ntfyCalls),
        List.of(pushover.calls.size(), ntfy.calls.size()), "calls to pushover, ntfy");
  }

  @Test
  void aRepeatWithinTheWindowIsReportedAsAlreadyDeliveredAndNotSent() {
    AlertRouter router = router().build();
    router.route(critical("kuma/IMAP"));
    clock.advance(Duration.ofMinutes(5));

    DeliveryReport again =
        routeImapDown(router, "pushover already_delivered", "ntfy already_delivered");
    assertCalls(1, 1);
    assertTrue(again.allSent());
    assertFalse(again.noneSent());
    assertFalse(again.retryHelps());
    Delivery d = again.deliveries().get(0);
    assertEquals(Delivery.Ledger.RECORDED, d.ledger());
    assertEquals(Optional.of("pushover-" + critical("kuma/IMAP").fingerprintToken()),
        d.outcome().messageId());
    assertTrue(d.outcome().detail().startsWith(
        "not sent again: already delivered at 2026-08-21T10:00:00Z as pushover-"),
        d.outcome().detail());
    assertTrue(d.outcome().detail().contains("(ledger key "), d.outcome().detail());
    assertTrue(CapturedLogs.text().contains("outcome=already_delivered"), CapturedLogs.text());
  }

  @Test
  void afterTheWindowAReminderGoesThrough() {
    AlertRouter router = router().build();
    router.route(critical("kuma/IMAP"));
    clock.advance(LedgerPolicy.DEFAULT_REPEAT_WINDOW.minusSeconds(1));
    router.route(critical("kuma/IMAP"));
    assertEquals(1, pushover.calls.size(), "still inside the window");

    clock.advance(Duration.ofSeconds(1));
    routeImapDown(router, "pushover sent", "ntfy sent");
    assertEquals(2, pushover.calls.size());
  }

  @Test
  void firingResolvedFiringAgainNotifiesEveryChange() {
    AlertRouter router = router().build();
    Alert alert = critical("healthchecks/certbot");

    router.route(alert);
    clock.advance(Duration.ofMinutes(1));
    router.route(alert.withStatus(AlertStatus.RESOLVED));
    clock.advance(Duration.ofMinutes(1));
    DeliveryReport second = router.route(alert);
    clock.advance(Duration.ofMinutes(1));
    DeliveryReport secondRecovery = router.route(alert.withStatus(AlertStatus.RESOLVED));

    assertEquals(List.of("pushover sent", "ntfy sent"), kinds(second));
    assertEquals(List.of("pushover sent", "ntfy sent"), kinds(secondRecovery));
    assertEquals(List.of("firing healthchecks/certbot @1", "resolved healthchecks/certbot @-1",
        "firing healthchecks/certbot @1", "resolved healthchecks/certbot @-1"), pushover.calls);
  }

  @Test
  void aResolvedAlertWithNoRecoveryRouteStillEndsTheIncident() {
    RoutingTable table = RoutingTable.parse("t", "critical:pushover=1;critical.resolved:",
        name -> -1, new ArrayList<>());
    AlertRouter router = router().routes(table).build();
    Alert alert = critical("kuma/SMTP");

    router.route(alert);
    router.route(alert.withStatus(AlertStatus.RESOLVED));
    router.route(alert);

    assertEquals(2, pushover.calls.size(), pushover.calls.toString());
  }

  @Test
  void aTransientFailureIsReleasedAndTheRetrySendsOnlyWhatFailed() {
    AlertRouter router = router().build();
    ntfy.answer = alert -> Outcome.failed("HTTP 503, gave up after 3 attempts", 3);

    DeliveryReport first = routeImapDown(router, "pushover sent", "ntfy failed");
    assertTrue(first.retryHelps());

    ntfy.answer = alert -> Outcome.sent("n-1", "queued", 1);
    clock.advance(Duration.ofSeconds(2));
    DeliveryReport retry = routeImapDown(router, "pushover already_delivered", "ntfy sent");
    assertCalls(1, 2);
    assertFalse(retry.retryHelps());
  }

  @Test
  void aRejectionIsFinalForTheHoldThenTriedAgain() {
    AlertRouter router = router().build();
    pushover.answer = alert -> Outcome.rejected("application token is invalid", 1);

    DeliveryReport first = routeImapDown(router, "pushover rejected", "ntfy sent");
    assertFalse(first.retryHelps(), "a rejection invites no retry");

    DeliveryReport retry = routeImapDown(router, "pushover rejected", "ntfy already_delivered");
    assertEquals(1, pushover.calls.size(), "a rejected message is not resent");
    assertTrue(retry.deliveries().get(0).outcome().detail()
        .contains("application token is invalid"), retry.toString());

    pushover.answer = alert -> Outcome.sent("p", "queued", 1);
    clock.advance(LedgerPolicy.DEFAULT_REJECTION_HOLD);
    routeImapDown(router, "pushover sent", "ntfy already_delivered");
  }

  @Test
  void aClaimLeftByACrashedInvocationHoldsUntilItsLeaseLapses() {
    Alert alert = critical("kuma/IMAP");
    Instant now = clock.instant();
    ledger.claim(LedgerEntry.claim(LedgerKey.of(alert, "pushover"), "crashed", now,
        now.plus(LedgerPolicy.DEFAULT_LEASE)), now, Deadline.after(Duration.ofSeconds(1)));
    AlertRouter router = router().build();

    DeliveryReport during = router.route(alert);
    assertEquals(List.of("pushover failed", "ntfy sent"), kinds(during));
    assertTrue(during.retryHelps(), "a claim in progress elsewhere invites a retry");
    assertTrue(during.deliveries().get(0).outcome().detail().contains("right now"));
    assertEquals(0, pushover.calls.size());

    clock.advance(LedgerPolicy.DEFAULT_LEASE);
    DeliveryReport after = router.route(alert);
    assertEquals(List.of("pushover sent", "ntfy already_delivered"), kinds(after));
  }

  @Test
  void twoConcurrentIdenticalCallsSendOnce() throws Exception {
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    pushover.answer = alert -> {
      inside.countDown();
      try {
        release.await(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return Outcome.sent("p", "queued", 1);
    };
    AlertRouter router = router().build();
    ExecutorService callers = Executors.newSingleThreadExecutor();
    try {
      Future<DeliveryReport> first = callers.submit(() -> router.route(critical("kuma/IMAP")));
      assertTrue(inside.await(5, TimeUnit.SECONDS));
      DeliveryReport second = router.route(critical("kuma/IMAP"));
      release.countDown();

      assertEquals(List.of("pushover sent", "ntfy sent"), kinds(first.get(5, TimeUnit.SECONDS)));
      // ntfy of the first call may or may not be recorded yet: either way it is not resent.
      assertEquals("pushover failed", kinds(second).get(0));
      assertTrue(second.retryHelps(), "the page held by the first call invites a retry");
      assertCalls(1, 1);
    } finally {
      callers.shutdownNow();
    }
  }

  @Test
  void aFailingLedgerStillDeliversAndSaysSo() {
    DeliveryLedger broken = new FailingLedger(new LedgerException("dynamodb: connection refused"));
    AlertRouter router = router().ledger(broken).build();

    DeliveryReport report = routeImapDown(router, "pushover sent", "ntfy sent");
    assertEquals(2, report.ledgerUnavailable().size());
    assertTrue(report.deliveries().get(0).outcome().detail()
        .contains("ledger unavailable (dynamodb: connection refused)"), report.toString());
    assertTrue(CapturedLogs.text().contains("ledger=unavailable"), CapturedLogs.text());
    assertTrue(CapturedLogs.text().contains("delivering without it"), CapturedLogs.text());
  }

  @Test
  void aHungLedgerDelaysTheDeliveryByAtMostItsCallTimeout() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    DeliveryLedger hung = new FailingLedger(null) {
      @Override
      public Claim claim(LedgerEntry claim, Instant now, Deadline deadline) {
        try {
          never.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        throw new LedgerException("interrupted");
      }
    };
    Duration timeout = Duration.ofMillis(100);
    AlertRouter router = router().ledger(hung)
        .ledgerPolicy(LedgerPolicy.defaults().withCallTimeout(timeout)).build();
    long started = System.nanoTime();

    DeliveryReport report = router.route(critical("kuma/IMAP"));

    long tookMs = (System.nanoTime() - started) / 1_000_000;
    assertEquals(List.of("pushover sent", "ntfy sent"), kinds(report));
    assertTrue(report.deliveries().get(0).outcome().detail().contains("no answer within 100 ms"),
        report.toString());
    // The claim waits at most 100 ms (+50 ms grace); recording fails at once.
    assertTrue(tookMs < 1_000, "took " + tookMs + " ms");
  }

  @Test
  void anEmergencyKnownToTheLedgerIsGivenToItsRecoveryWithItsHandle() {
    RoutingTable table = RoutingTable.parse("t", "critical:pushover=2,ntfy=5", name ->
        name.equals("pushover") ? -1 : 3, new ArrayList<>());
    pushover.answer = alert -> Outcome.sent("r", "queued", 1).withHandle("receipt-123");
    AlertRouter router = router().routes(table).build();
    Alert alert = critical("kuma/IMAP");

    router.route(alert);
    router.route(alert.withStatus(AlertStatus.RESOLVED));

    assertEquals(PriorDelivery.delivered("receipt-123"), pushover.priors.get(1));
    assertEquals(PriorDelivery.delivered(null), ntfy.priors.get(1));
  }

  @Test
  void aPageKnownNotToBeAnEmergencyGivesItsRecoveryNoHandle() {
    AlertRouter router = router().build();
    Alert alert = critical("kuma/IMAP");

    router.route(alert);
    router.route(alert.withStatus(AlertStatus.RESOLVED));

    assertEquals(PriorDelivery.delivered(null), pushover.priors.get(1));
  }

  @Test
  void withoutALedgerOrAnEntryTheRecoveryKnowsNothing() {
    AlertRouter router = router().ledger(null).build();
    router.route(critical("kuma/IMAP").withStatus(AlertStatus.RESOLVED));
    AlertRouter ledgered = router().build();
    ledgered.route(critical("kuma/SMTP").withStatus(AlertStatus.RESOLVED));

    assertEquals(List.of(PriorDelivery.unknown(), PriorDelivery.unknown()), pushover.priors);
  }

  @Test
  void aRejectedPageIsKnownNotDeliveredToItsRecovery() {
    pushover.answer = alert -> alert.isResolved() ? Outcome.sent("p", "", 1)
        : Outcome.rejected("user key is invalid", 1);
    AlertRouter router = router().build();
    router.route(critical("kuma/IMAP"));
    router.route(critical("kuma/IMAP").withStatus(AlertStatus.RESOLVED));

    assertEquals(PriorDelivery.notDelivered(), pushover.priors.get(1));
  }

  @Test
  void aStormOfPagesBecomesOneSummaryPageWhileNtfyGetsEachAlert() {
    AlertRouter router = router().pageStorm(PageStormGuard.defaults()).build();
    List<Alert> storm = List.of(critical("kuma/IMAP"), critical("kuma/SMTP"),
        critical("kuma/SMTP submission"), critical("kuma/Webmail"),
        Alert.firing(Severity.WARNING, "kuma/DNS", "DNS slow"));

    DeliveryReport report = router.route(storm);

    assertEquals(1, pushover.calls.size(), pushover.calls.toString());
    assertEquals("firing page storm: 4 alerts @1", pushover.calls.get(0));
    assertEquals(5, ntfy.calls.size());
    assertEquals(4, report.folded().size());
    assertTrue(report.folded().stream().allMatch(d -> d.transport().equals("pushover")
        && d.outcome().isSent() && d.outcome().detail().startsWith("folded with 3 other")));
    assertTrue(report.allSent());
  }

  @Test
  void theSummaryPageListsCountsSourcesAndTheFirstSummaries() {
    List<Leg> legs = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      legs.add(new Leg(critical("kuma/host-" + (i % 2)).withSummary("summary " + i),
          new Route("pushover", 1)));
    }
    legs.add(new Leg(Alert.firing(Severity.WARNING, "healthchecks/backup", "late"),
        new Route("pushover", 0)));

    Alert page = StormPlan.page(legs);

    assertEquals(Severity.CRITICAL, page.severity());
    assertEquals("page storm: 13 alerts", page.source());
    String text = page.summary();
    assertTrue(text.startsWith("13 alerts at once (12 critical, 1 warning)"), text);
    assertTrue(text.contains("Sources: kuma/host-0 \u00d76, kuma/host-1 \u00d76,"
        + " healthchecks/backup"), text);
    assertTrue(text.contains("\u2022 summary 0\n") && text.contains("\u2022 summary 9\n"), text);
    assertFalse(text.contains("summary 10"), text);
    assertTrue(text.endsWith("+3 more"), text);
  }

  @Test
  void aRepeatedStormIsNotPagedAgainAndANewcomerPagesAlone() {
    AlertRouter router = router().pageStorm(PageStormGuard.defaults()).build();
    List<Alert> storm = new ArrayList<>();
    for (String host : List.of("a", "b", "c", "d")) {
      storm.add(critical("kuma/" + host));
    }
    router.route(storm);
    storm.add(critical("kuma/e"));

    DeliveryReport grown = router.route(storm);

    assertEquals(List.of("firing page storm: 4 alerts @1", "firing kuma/e @1"), pushover.calls);
    assertEquals(0, grown.folded().size());
    assertEquals(5, ntfy.calls.size());
  }

  @Test
  void theStormGuardCountsOnlyPagesStillToSend() {
    AlertRouter router = router().pageStorm(new PageStormGuard("pushover", 2)).build();
    router.route(List.of(critical("kuma/a"), critical("kuma/b")));

    router.route(List.of(critical("kuma/a"), critical("kuma/b"), critical("kuma/c")));

    assertEquals(List.of("firing kuma/a @1", "firing kuma/b @1", "firing kuma/c @1"),
        pushover.calls.stream().sorted().collect(Collectors.toList()));
  }

  @Test
  void aFailedSummaryPageReleasesEveryFoldedAlertForTheRetry() {
    AlertRouter router = router().pageStorm(new PageStormGuard("pushover", 1)).build();
    pushover.answer = alert -> Outcome.failed("connection reset", 2);
    List<Alert> storm = List.of(critical("kuma/a"), critical("kuma/b"));

    DeliveryReport first = router.route(storm);
    assertTrue(first.retryHelps());
    pushover.answer = alert -> Outcome.sent("p", "queued", 1);
    router.route(storm);

    assertEquals(List.of("firing page storm: 2 alerts @1", "firing page storm: 2 alerts @1"),
        pushover.calls);
  }

  @Test
  void configurationChoosesTheLedgerAndRejectsALeaseShorterThanADelivery() {
    Map<String, String> base = Map.of("ALERT_ROUTES", "critical:feed=5");
    assertTrue(AlertConfig.from(base).ledger().isPresent(), "memory by default");
    Map<String, String> none = new java.util.HashMap<>(base);
    none.put("ALERT_LEDGER", "none");
    assertFalse(AlertConfig.from(none).ledger().isPresent());

    Map<String, String> bad = new java.util.HashMap<>(base);
    bad.put("ALERT_LEDGER", "dynamodb");
    bad.put("ALERT_LEDGER_LEASE", "5s");
    bad.put("ALERT_REPEAT_WINDOW", "4h");
    ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
        () -> AlertConfig.from(bad));
    assertEquals(List.of(
        "ALERT_LEDGER_LEASE (5000 ms) must be longer than ALERT_TRANSPORT_TIMEOUT (7000 ms):"
            + " a claim would lapse while its delivery still runs",
        "ALERT_LEDGER: ledger 'dynamodb' is not on the class path (add the"
            + " alert-ledger-dynamodb artifact); available: memory, none"), e.problems());
  }

  @Test
  void aTableConfiguredForAnotherLedgerThanDynamoDbIsAStartupProblemNamingBoth() {
    for (String chosen : new String[] {null, "memory", "none"}) {
      Map<String, String> trap = new java.util.HashMap<>(Map.of("ALERT_ROUTES",
          "critical:feed=5", "ALERT_LEDGER_TABLE", "cabal-alert-ledger"));
      if (chosen != null) {
        trap.put("ALERT_LEDGER", chosen);
      }
      ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
          () -> AlertConfig.from(trap));
      assertEquals(List.of("ALERT_LEDGER_TABLE is set, but ALERT_LEDGER is '"
          + (chosen == null ? "memory' (the default)" : chosen + "'")
          + ": set ALERT_LEDGER=dynamodb to use the table, or remove ALERT_LEDGER_TABLE"),
          e.problems());
    }
  }

  /** A ledger whose every call fails with {@code failure} ("down" when null). */
  static class FailingLedger extends UnreachableLedger {
    FailingLedger(LedgerException failure) {
      super(failure == null ? "down" : failure.getMessage());
    }
  }
}
