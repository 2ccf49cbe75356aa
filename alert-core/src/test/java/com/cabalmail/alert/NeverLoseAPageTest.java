package com.cabalmail.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cabalmail.alert.AlertRouterLedgerTest.Scripted;
import com.cabalmail.alert.ledger.DeliveryLedger;
import com.cabalmail.alert.testkit.TestClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * What "the same alert" means to the router and its ledger, and that nothing the operator has
 * not seen is ever held back: different problems of one source, a rise in severity, tests,
 * recoveries (by identity and by source), a recovery racing its page, and a hung transport.
 */
class NeverLoseAPageTest {

  final TestClock clock = TestClock.atTen();
  final DeliveryLedger ledger = DeliveryLedger.inMemory();
  final Scripted pushover = new Scripted("pushover");
  final Scripted ntfy = new Scripted("ntfy");

  AlertRouter.Builder router() {
    return AlertRouterLedgerTest.router(pushover, ntfy, ledger, clock);
  }

  static Alert direct(Severity severity, String source, String summary) {
    return Alert.firing(severity, source, summary);
  }

  static Alert recovery(String source, String summary) {
    return Alert.resolved(Severity.CRITICAL, source, summary);
  }

  @Test
  void twoDifferentProblemsFromOneSourceBothPage() {
    AlertRouter router = router().build();
    router.route(direct(Severity.CRITICAL, "backup/vol", "backup of vol-1 failed: disk full"));
    clock.advance(Duration.ofMinutes(3));
    DeliveryReport second = router.route(
        direct(Severity.CRITICAL, "backup/vol", "backup of vol-2 failed: access denied"));

    assertEquals(List.of("pushover sent", "ntfy sent"),
        AlertRouterLedgerTest.kinds(second));
    assertEquals(2, pushover.calls.size());
    assertEquals(2, ntfy.calls.size());
  }

  @Test
  void theSameNotificationAgainIsHeldBackAndSaysWhy() {
    AlertRouter router = router().build();
    Alert alert = direct(Severity.CRITICAL, "backup/vol", "backup of vol-1 failed: disk full");
    router.route(alert);
    DeliveryReport again = router.route(alert);

    assertEquals(List.of("pushover already_delivered", "ntfy already_delivered"),
        AlertRouterLedgerTest.kinds(again));
    assertTrue(again.deliveries().get(0).outcome().detail().contains("already delivered at"));
  }

  @Test
  void aRiseFromWarningToCriticalIsDeliveredOnEveryChannelOfTheCriticalRoute() {
    AlertRouter router = router().build();
    Alert warning = Alert.firing(Severity.WARNING, "kuma/IMAP", "IMAP slow")
        .withFingerprint("kuma:7");
    router.route(warning);
    DeliveryReport rise = router.route(Alert.firing(Severity.CRITICAL, "kuma/IMAP", "IMAP down")
        .withFingerprint("kuma:7"));

    assertEquals(List.of("pushover sent", "ntfy sent"), AlertRouterLedgerTest.kinds(rise));
    assertEquals(List.of("firing kuma/IMAP @3", "firing kuma/IMAP @5"), ntfy.calls);
  }

  @Test
  void testsAreNeverDeduplicated() {
    AlertRouter router = router().build();
    Alert test = Alert.firing(Severity.INFO, "kuma", "Uptime Kuma Testing")
        .withLabel(Labels.TEST, "true").withFingerprint("kuma:test");
    for (int press = 0; press < 3; press++) {
      DeliveryReport report = router.route(test);
      assertTrue(report.allSent(), report.toString());
      assertEquals(Delivery.Ledger.OFF, report.deliveries().get(0).ledger());
    }
    assertEquals(3, ntfy.calls.size());
  }

  @Test
  void aRecoveryWithoutIdentityEndsEveryFiringAlertOfItsSource() {
    AlertRouter router = router().build();
    Alert one = direct(Severity.CRITICAL, "backup/vol", "vol-1 failed");
    Alert two = direct(Severity.CRITICAL, "backup/vol", "vol-2 failed");
    Alert other = direct(Severity.CRITICAL, "backup/db", "db failed");
    router.route(List.of(one, two, other));
    DeliveryReport ended = router.route(recovery("backup/vol", "backups ok"));
    assertTrue(ended.allSent(), ended.toString());

    DeliveryReport again = router.route(List.of(one, two, other));
    assertEquals(List.of("pushover sent", "ntfy sent", "pushover sent", "ntfy sent",
        "pushover already_delivered", "ntfy already_delivered"),
        AlertRouterLedgerTest.kinds(again));
  }

  @Test
  void aRecoveryWithAnIdentityEndsThatAlertOnly() {
    AlertRouter router = router().build();
    Alert one = direct(Severity.CRITICAL, "backup/vol", "vol-1 failed").withFingerprint("direct:v1");
    Alert two = direct(Severity.CRITICAL, "backup/vol", "vol-2 failed").withFingerprint("direct:v2");
    router.route(List.of(one, two));
    router.route(one.withStatus(AlertStatus.RESOLVED).withSummary("vol-1 ok"));

    DeliveryReport again = router.route(List.of(one, two));
    assertEquals(List.of("pushover sent", "ntfy sent",
        "pushover already_delivered", "ntfy already_delivered"),
        AlertRouterLedgerTest.kinds(again));
  }

  @Test
  void firingResolvedFiringPagesTwiceWhateverTheTextsSay() {
    for (boolean identified : new boolean[] {true, false}) {
      pushover.calls.clear();
      AlertRouter router = router().ledger(DeliveryLedger.inMemory()).build();
      Alert page = direct(Severity.CRITICAL, "kuma/SMTP", "SMTP down");
      page = identified ? page.withFingerprint("kuma:9") : page;
      router.route(page);
      Alert up = recovery("kuma/SMTP", "SMTP is up again");
      router.route(identified ? up.withFingerprint("kuma:9") : up);
      router.route(page);
      router.route(identified ? up.withFingerprint("kuma:9") : up);

      assertEquals(List.of("firing kuma/SMTP @1", "resolved kuma/SMTP @-1",
          "firing kuma/SMTP @1", "resolved kuma/SMTP @-1"), pushover.calls,
          "identified: " + identified);
    }
  }

  @Test
  void aRecoveryThatArrivesWhileItsPageIsInFlightStillEndsTheIncident() throws Exception {
    for (boolean identified : new boolean[] {true, false}) {
      DeliveryLedger fresh = DeliveryLedger.inMemory();
      CountDownLatch paging = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      pushover.calls.clear();
      pushover.answer = alert -> {
        if (!alert.isResolved() && pushover.calls.size() == 1) {
          paging.countDown();
          await(release);
        }
        return Outcome.sent("p", "queued", 1);
      };
      AlertRouter router = router().ledger(fresh).build();
      Alert page = direct(Severity.CRITICAL, "kuma/SMTP", "SMTP down");
      Alert up = recovery("kuma/SMTP", "SMTP up");
      Alert pageAs = identified ? page.withFingerprint("kuma:9") : page;
      Alert upAs = identified ? up.withFingerprint("kuma:9") : up;

      Thread first = new Thread(() -> router.route(pageAs));
      first.start();
      assertTrue(paging.await(5, java.util.concurrent.TimeUnit.SECONDS));
      router.route(upAs); // while the page is still being sent
      release.countDown();
      first.join(5_000);

      DeliveryReport next = router.route(pageAs);
      assertEquals("pushover sent", AlertRouterLedgerTest.kinds(next).get(0),
          "identified: " + identified + "; " + next);
      pushover.answer = alert -> Outcome.sent("p", "queued", 1);
    }
  }

  @Test
  void aHungNtfyNeverDelaysTheStormPage() {
    CountDownLatch never = new CountDownLatch(1);
    ntfy.answer = alert -> {
      await(never);
      return Outcome.failed("interrupted", 1);
    };
    AtomicLong pagedAt = new AtomicLong();
    pushover.answer = alert -> {
      pagedAt.set(System.nanoTime());
      return Outcome.sent("storm", "queued", 1);
    };
    AlertRouter router = router().pageStorm(PageStormGuard.defaults())
        .deadline(Duration.ofSeconds(3)).transportTimeout(Duration.ofSeconds(3)).build();
    List<Alert> storm = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      storm.add(direct(Severity.CRITICAL, "kuma/host-" + i, "host " + i + " down"));
    }
    long started = System.nanoTime();

    DeliveryReport report = router.route(storm);

    long pagedAfterMs = (pagedAt.get() - started) / 1_000_000;
    assertEquals(List.of("firing page storm: 40 alerts @1"), pushover.calls);
    assertTrue(pagedAt.get() != 0 && pagedAfterMs < 1_500,
        "the storm page waited " + pagedAfterMs + " ms behind the hung ntfy");
    for (Delivery d : report.deliveries()) {
      if (d.transport().equals("pushover")) {
        assertTrue(d.outcome().isSent() && d.folded(), d.toString());
      } else {
        assertEquals(Outcome.Kind.FAILED, d.outcome().kind(), d.toString());
      }
    }
    assertTrue(report.retryHelps(), "the answer invites a retry for ntfy");
    never.countDown();
    DeliveryReport retry = router.route(storm);
    for (Delivery d : retry.deliveries()) {
      assertEquals(d.transport().equals("pushover") ? Outcome.Kind.ALREADY_DELIVERED
          : Outcome.Kind.FAILED, d.outcome().kind(), "the retry sends ntfy only: " + d);
    }
    router.close();
  }

  @Test
  void aDirectCallerCannotMuteAnotherToolsAlertWithItsFingerprint() {
    AlertRouter router = router().build();
    router.route(direct(Severity.CRITICAL, "spoof", "x").withFingerprint("direct:3f2a9c1d7b4e6a05"));
    DeliveryReport real = router.route(direct(Severity.CRITICAL, "alertmanager/HighLoad", "load")
        .withFingerprint("alertmanager:3f2a9c1d7b4e6a05"));
    assertEquals(List.of("pushover sent", "ntfy sent"), AlertRouterLedgerTest.kinds(real));
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
