package com.cabalmail.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cabalmail.alert.spi.Transport;
import com.cabalmail.alert.testkit.CapturedLogs;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AlertRouterTest {

  final List<String> calls = new CopyOnWriteArrayList<>();

  @BeforeEach
  void clearLogs() {
    CapturedLogs.clear();
  }

  Transport recording(String name) {
    return (alert, priority, deadline) -> {
      calls.add(name + "@" + priority + ":" + alert.source());
      return Outcome.sent(name + "-id", "", 1);
    };
  }

  AlertRouter.Builder defaults() {
    return AlertRouter.builder()
        .routes(RoutingTable.defaults())
        .transport("pushover", recording("pushover"))
        .transport("ntfy", recording("ntfy"));
  }

  static List<String> summary(DeliveryReport report) {
    return report.deliveries().stream()
        .map(d -> d.transport() + d.route().map(r -> "=" + r.priority()).orElse("") + " "
            + d.outcome().kind().wireName())
        .collect(Collectors.toList());
  }

  @Test
  void criticalAlertGoesToPushoverAt1AndNtfyAt5() {
    DeliveryReport report = defaults().build()
        .route(Alert.firing(Severity.CRITICAL, "kuma/IMAP", "IMAP down"));

    assertEquals(List.of("pushover=1 sent", "ntfy=5 sent"), summary(report));
    assertTrue(report.allSent());
    assertEquals("pushover-id", report.deliveries().get(0).outcome().messageId().orElseThrow());
  }

  @Test
  void warningGoesToNtfyAt3Only() {
    DeliveryReport report = defaults().build()
        .route(Alert.firing(Severity.WARNING, "kuma/IMAP", "slow"));

    assertEquals(List.of("ntfy=3 sent"), summary(report));
    assertEquals(List.of("ntfy@3:kuma/IMAP"), calls);
  }

  @Test
  void infoReachesNobodyAndIsReportedAsDroppedByRouting() {
    DeliveryReport report = defaults().build()
        .route(Alert.firing(Severity.INFO, "cert/expiry", "20 days left"));

    assertEquals(List.of("routing dropped"), summary(report));
    assertEquals("no route for info alerts", report.deliveries().get(0).outcome().detail());
    assertEquals(List.of(), calls);
    assertTrue(report.allSent(), "nothing was planned, so nothing failed");
    assertFalse(report.noneSent(), "nothing planned is not a failure to deliver");
    assertTrue(CapturedLogs.text().contains("outcome=dropped"), CapturedLogs.text());
  }

  @Test
  void resolvedCriticalIsRecordedQuietlyOnBothChannels() {
    DeliveryReport report = defaults().build()
        .route(Alert.resolved(Severity.CRITICAL, "kuma/IMAP", "IMAP back"));

    assertEquals(List.of("pushover=-1 sent", "ntfy=3 sent"), summary(report));
  }

  @Test
  void everyAlertOfABatchIsRoutedOnItsOwnSeverity() {
    DeliveryReport report = defaults().build().route(List.of(
        Alert.firing(Severity.WARNING, "am/Auth", "auth failures"),
        Alert.firing(Severity.CRITICAL, "am/Queue", "queue backlog"),
        Alert.firing(Severity.INFO, "am/Cert", "expires soon")));

    assertEquals(List.of("ntfy=3 sent", "pushover=1 sent", "ntfy=5 sent", "routing dropped"),
        summary(report));
  }

  @Test
  void deliveriesRunInParallel() {
    CountDownLatch secondStarted = new CountDownLatch(1);
    Transport first = (alert, priority, deadline) -> {
      try {
        return secondStarted.await(5, TimeUnit.SECONDS)
            ? Outcome.sent(null, "saw the other start", 1)
            : Outcome.failed("the other transport never started", 1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Outcome.failed("interrupted", 1);
      }
    };
    Transport second = (alert, priority, deadline) -> {
      secondStarted.countDown();
      return Outcome.sent(null, "", 1);
    };
    AlertRouter router = AlertRouter.builder().routes(RoutingTable.defaults())
        .transport("pushover", first).transport("ntfy", second).build();

    DeliveryReport report = router.route(Alert.firing(Severity.CRITICAL, "s", "x"));

    assertEquals(List.of("pushover=1 sent", "ntfy=5 sent"), summary(report));
  }

  /** A transport that never answers until interrupted. */
  private static Transport hung() {
    CountDownLatch never = new CountDownLatch(1);
    return (alert, priority, deadline) -> {
      try {
        never.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return Outcome.sent(null, "", 1);
    };
  }

  @Test
  void aHungTransportFailsAtItsTimeoutWhileTheOtherIsSent() {
    Transport hung = hung();
    AlertRouter router = AlertRouter.builder().routes(RoutingTable.defaults())
        .transport("pushover", hung).transport("ntfy", recording("ntfy"))
        .transportTimeout(Duration.ofMillis(300)).build();
    long started = System.nanoTime();

    DeliveryReport report = router.route(Alert.firing(Severity.CRITICAL, "s", "x"));

    long tookMs = (System.nanoTime() - started) / 1_000_000;
    assertEquals(List.of("pushover=1 failed", "ntfy=5 sent"), summary(report));
    assertTrue(tookMs < 3_000, "took " + tookMs + " ms");
    assertEquals("no outcome within the deadline; delivery abandoned",
        report.deliveries().get(0).outcome().detail());
  }

  @Test
  void abandonedDeliveryReportsTheRealElapsedTimeWhenTheDeadlineCutItShort() {
    Transport hung = hung();
    // The deadline (300 ms) is far shorter than the transport timeout (20 s).
    try (AlertRouter router = AlertRouter.builder().routes(RoutingTable.defaults())
        .transport("pushover", hung).transport("ntfy", recording("ntfy"))
        .transportTimeout(Duration.ofSeconds(20)).deadline(Duration.ofMillis(300)).build()) {

      Delivery abandoned = router.route(Alert.firing(Severity.CRITICAL, "s", "x"))
          .deliveries().get(0);

      assertEquals("no outcome within the deadline; delivery abandoned",
          abandoned.outcome().detail());
      assertTrue(abandoned.elapsed().compareTo(Duration.ofMillis(300)) >= 0,
          abandoned.elapsed().toString());
      assertTrue(abandoned.elapsed().compareTo(Duration.ofSeconds(10)) < 0,
          "the real time, not the 20 s transport timeout: " + abandoned.elapsed());
    }
  }

  @Test
  void closedRouterRefusesWorkClearlyAndClosingTwiceIsHarmless() {
    AlertRouter router = AlertRouter.builder().routes(RoutingTable.defaults())
        .transport("pushover", recording("pushover")).transport("ntfy", recording("ntfy"))
        .build();
    assertEquals(List.of("pushover=1 sent", "ntfy=5 sent"),
        summary(router.route(Alert.firing(Severity.CRITICAL, "s", "x"))));

    router.close();
    router.close();

    IllegalStateException refused = assertThrows(IllegalStateException.class,
        () -> router.route(Alert.firing(Severity.CRITICAL, "s", "x")));
    assertEquals("the alert router is closed and takes no new alerts", refused.getMessage());
  }

  @Test
  void closeInterruptsADeliveryStillRunningAfterTheGrace() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);
    Transport hung = (alert, priority, deadline) -> {
      running.countDown();
      try {
        new CountDownLatch(1).await();
      } catch (InterruptedException e) {
        interrupted.countDown();
      }
      return Outcome.failed("interrupted", 1);
    };
    AlertRouter router = AlertRouter.builder().routes(RoutingTable.defaults())
        .transport("pushover", hung).transport("ntfy", recording("ntfy"))
        .transportTimeout(Duration.ofMillis(100)).deadline(Duration.ofMillis(100)).build();
    router.route(Alert.firing(Severity.CRITICAL, "s", "x"));
    assertTrue(running.await(5, TimeUnit.SECONDS));

    router.close();

    assertTrue(interrupted.await(5, TimeUnit.SECONDS), "interrupted after the grace");
  }

  @Test
  void anExceptionInsideATransportFailsThatDeliveryOnly() {
    Transport throwing = (alert, priority, deadline) -> {
      throw new IllegalStateException("bug in plugin");
    };
    AlertRouter router = AlertRouter.builder().routes(RoutingTable.defaults())
        .transport("pushover", throwing).transport("ntfy", recording("ntfy")).build();

    DeliveryReport report = router.route(Alert.firing(Severity.CRITICAL, "s", "x"));

    assertEquals(List.of("pushover=1 failed", "ntfy=5 sent"), summary(report));
    assertEquals("transport threw java.lang.IllegalStateException: bug in plugin",
        report.deliveries().get(0).outcome().detail());
    assertFalse(report.allSent());
    assertFalse(report.noneSent());
    assertEquals(1, report.failures().size());
  }

  @Test
  void whenEveryPlannedDeliveryFailsNoneWasSent() {
    Transport failing = (alert, priority, deadline) -> Outcome.failed("down", 3);
    AlertRouter router = AlertRouter.builder().routes(RoutingTable.defaults())
        .transport("pushover", failing).transport("ntfy", failing).build();

    DeliveryReport report = router.route(Alert.firing(Severity.CRITICAL, "s", "x"));

    assertTrue(report.noneSent());
  }

  @Test
  void deliveriesRunOnDaemonThreads() {
    List<Boolean> daemon = new CopyOnWriteArrayList<>();
    Transport probe = (alert, priority, deadline) -> {
      daemon.add(Thread.currentThread().isDaemon());
      return Outcome.sent(null, "", 1);
    };
    AlertRouter.builder().routes(RoutingTable.defaults())
        .transport("pushover", probe).transport("ntfy", probe).build()
        .route(Alert.firing(Severity.CRITICAL, "s", "x"));

    assertEquals(List.of(true, true), daemon);
  }

  @Test
  void eachDeliveryIsOneStructuredLogLine() {
    defaults().build().route(Alert.firing(Severity.CRITICAL, "kuma/Zürich \"✓\"", "down"));

    List<String> lines = CapturedLogs.lines().stream()
        .filter(l -> l.contains(" - delivery ")).collect(Collectors.toList());
    assertEquals(2, lines.size(), String.join("\n", lines));
    assertTrue(lines.get(0).contains("source=\"kuma/Zürich \\\"✓\\\"\" severity=critical "
        + "status=firing transport=pushover priority=1 outcome=sent attempts=1"), lines.get(0));
  }

  @Test
  void aTableNamingATransportThatWasNotGivenIsRefused() {
    ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
        () -> AlertRouter.builder().routes(RoutingTable.defaults())
            .transport("ntfy", recording("ntfy")).build());

    assertEquals(List.of("the routing table names transport 'pushover', which was not given"),
        e.problems());
  }
}
