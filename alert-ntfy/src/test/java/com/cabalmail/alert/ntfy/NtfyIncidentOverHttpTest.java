package com.cabalmail.alert.ntfy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cabalmail.alert.Alert;
import com.cabalmail.alert.AlertStatus;
import com.cabalmail.alert.Outcome;
import com.cabalmail.alert.Severity;
import com.cabalmail.alert.spi.PriorDelivery;
import com.cabalmail.alert.testkit.CapturedLogs;
import com.cabalmail.alert.testkit.ManualTicker;
import com.cabalmail.alert.testkit.NtfyStandIn;
import com.cabalmail.alert.testkit.TestClock;
import com.cabalmail.http.Deadline;
import com.cabalmail.http.HttpDelivery;
import com.cabalmail.alert.spi.Settings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One incident on the phone, over real HTTP against {@link NtfyStandIn} (a 2.16 server, or one
 * before 2.16), on a clock the test moves: the recovery replaces the firing notification, clears
 * or deletes it; an old server is reported once and never asked again; a critical alert
 * escalates through a message ntfy holds back, which its recovery withdraws; a warning inside
 * quiet hours waits for their end, and its recovery withdraws it.
 */
class NtfyIncidentOverHttpTest {

  private static final Duration BUDGET = Duration.ofSeconds(7);
  /** A Thursday, 23:30 in Berlin (UTC+1 in January). */
  private static final Instant NIGHT = Instant.parse("2026-01-15T22:30:00Z");
  /** 07:00 the next morning in Berlin. */
  private static final Instant MORNING = Instant.parse("2026-01-16T06:00:00Z");
  private static final String QUIET = "22:00-07:00 Europe/Berlin";

  private TestClock clock;
  private NtfyStandIn ntfy;
  private ManualTicker ticker;

  @BeforeEach
  void reset() {
    CapturedLogs.clear();
    ticker = new ManualTicker();
    clock = new TestClock(NIGHT);
  }

  @AfterEach
  void stop() {
    if (ntfy != null) {
      ntfy.close();
    }
  }

  private NtfyTransport transport(NtfyStandIn.Version version, String... settings) {
    ntfy = NtfyStandIn.start(version, clock);
    Settings values = Settings.of(NtfyFixtures.settings(ntfy.baseUrl(), settings));
    NtfySettings read = NtfySettings.read(values);
    values.requireValid();
    return new NtfyTransport(read, HttpDelivery.create(ticker), clock);
  }

  private Outcome deliver(NtfyTransport transport, Alert alert, int priority) {
    return transport.deliver(alert, priority, Deadline.after(BUDGET, ticker));
  }

  private Outcome deliver(NtfyTransport transport, Alert alert, int priority,
      PriorDelivery prior) {
    return transport.deliver(alert, priority, Deadline.after(BUDGET, ticker), prior);
  }

  private static Alert imapDown() {
    return Alert.firing(Severity.CRITICAL, "kuma/IMAP reachable", "IMAP on mail-1 is not answering")
        .withFingerprint("kuma:7");
  }

  private static Alert imapUp() {
    return imapDown().withSummary("IMAPS answers again (48 ms)").withStatus(AlertStatus.RESOLVED);
  }

  private static Alert diskFilling() {
    return Alert.firing(Severity.WARNING, "alertmanager/DiskFilling", "/var/mail at 91%")
        .withFingerprint("alertmanager:3f2a9c1d7b4e6a05");
  }

  private static Alert diskFine() {
    return diskFilling().withSummary("/var/mail at 60%").withStatus(AlertStatus.RESOLVED);
  }

  private long warnings(String text) {
    return CapturedLogs.lines().stream().filter(line -> line.contains(text)).count();
  }

  // --- one notification per alert --------------------------------------------------------

  @Test
  void theRecoveryReplacesTheFiringNotificationAndDoesNotSoundAgain() {
    NtfyTransport transport = transport(NtfyStandIn.Version.V2_16);

    Outcome firing = deliver(transport, imapDown(), 5);
    Outcome resolved = deliver(transport, imapUp(), 3);

    assertEquals(Outcome.Kind.SENT, firing.kind(), firing.detail());
    assertEquals(Outcome.Kind.SENT, resolved.kind(), resolved.detail());
    List<NtfyStandIn.Notification> shown = ntfy.notifications("alerts");
    assertEquals(1, shown.size(), shown.toString());
    NtfyStandIn.Notification one = shown.get(0);
    assertEquals("[RESOLVED] kuma/IMAP reachable", one.title());
    assertEquals("IMAPS answers again (48 ms)", one.message());
    assertEquals(1, one.sounded(), "the replacement does not sound");
    assertFalse(one.cleared());
    assertEquals(NtfyTransport.sequenceId(imapDown()), one.sequenceId());
    assertEquals(2, ntfy.events("alerts").size());
  }

  @Test
  void theSequenceIdIsTheAlertsScopeAndSeverityWithinTheTopicAlphabetAndTheSameWhenResolved() {
    String sid = NtfyTransport.sequenceId(imapDown());
    assertEquals(imapDown().scopeToken() + "-critical", sid);
    assertEquals(sid, NtfyTransport.sequenceId(imapUp()));
    assertTrue(sid.matches("[-_A-Za-z0-9]{1,60}"), sid);
    // An alert without an identity: its recovery ends its source's alerts, as on Pushover.
    Alert anonymous = Alert.firing(Severity.WARNING, "backup/vol", "backup of vol-1 failed");
    Alert recovered = Alert.resolved(Severity.WARNING, "backup/vol", "backups run again");
    assertEquals(NtfyTransport.sequenceId(anonymous), NtfyTransport.sequenceId(recovered));
    // Two identities are two notifications; so is a rise to critical, which must sound.
    assertFalse(sid.equals(NtfyTransport.sequenceId(imapDown().withFingerprint("kuma:8"))));
    Alert slow = Alert.firing(Severity.WARNING, "kuma/IMAP reachable", "IMAP slow")
        .withFingerprint("kuma:7");
    assertFalse(sid.equals(NtfyTransport.sequenceId(slow)));
    // A 64-character token of the caller's own is hashed, so the escalation's suffix fits.
    Alert longId = imapDown().withFingerprint("a".repeat(64));
    assertEquals(16, NtfyTransport.sequenceId(longId).length());
  }

  @Test
  void aRiseFromWarningToCriticalSoundsAgain() {
    NtfyTransport transport = transport(NtfyStandIn.Version.V2_16);
    Alert slow = Alert.firing(Severity.WARNING, "kuma/IMAP reachable", "IMAP slow")
        .withFingerprint("kuma:7");

    deliver(transport, slow, 3);
    deliver(transport, imapDown(), 5);

    List<NtfyStandIn.Notification> shown = ntfy.notifications("alerts");
    assertEquals(2, shown.size(), shown.toString());
    assertEquals(1, shown.get(1).sounded());
    assertEquals("[CRITICAL] kuma/IMAP reachable", shown.get(1).title());
  }

  @Test
  void aTestNotificationIsNewOnEveryPress() {
    NtfyTransport transport = transport(NtfyStandIn.Version.V2_16);
    Alert test = Alert.firing(Severity.WARNING, "kuma", "Cabal sink Testing")
        .withLabel("__test", "true");

    deliver(transport, test, 3);
    deliver(transport, test, 3);

    List<NtfyStandIn.Notification> shown = ntfy.notifications("alerts");
    assertEquals(2, shown.size(), shown.toString());
    assertEquals(1, shown.get(1).sounded());
  }

  @Test
  void clearModeDismissesTheReplacedNotification() {
    NtfyTransport transport = transport(NtfyStandIn.Version.V2_16, "NTFY_ON_RESOLVED", "clear");

    deliver(transport, imapDown(), 5);
    Outcome resolved = deliver(transport, imapUp(), 3);

    assertEquals(Outcome.Kind.SENT, resolved.kind(), resolved.detail());
    assertTrue(resolved.detail().contains("then cleared"), resolved.detail());
    List<NtfyStandIn.Notification> shown = ntfy.notifications("alerts");
    assertEquals(1, shown.size(), shown.toString());
    assertTrue(shown.get(0).cleared());
    assertEquals("[RESOLVED] kuma/IMAP reachable", shown.get(0).title());
    assertEquals(List.of("message", "message", "message_clear"), eventKinds("alerts"));
  }

  @Test
  void deleteModeRemovesTheNotification() {
    NtfyTransport transport = transport(NtfyStandIn.Version.V2_16, "NTFY_ON_RESOLVED", "delete");

    deliver(transport, imapDown(), 5);
    Outcome resolved = deliver(transport, imapUp(), 3);

    assertEquals(Outcome.Kind.SENT, resolved.kind(), resolved.detail());
    assertTrue(resolved.detail().contains("then deleted"), resolved.detail());
    assertEquals(List.of(), ntfy.notifications("alerts"));
    assertEquals(List.of("message", "message", "message_delete"), eventKinds("alerts"));
  }

  @Test
  void aServerBefore216IsReportedOnceNeverRetriedAndTheRecoveryStillDelivered() {
    NtfyTransport transport = transport(NtfyStandIn.Version.V2_15, "NTFY_ON_RESOLVED", "clear");
    Alert otherDown = imapDown().withFingerprint("kuma:8");
    Alert otherUp = imapUp().withFingerprint("kuma:8");

    deliver(transport, imapDown(), 5);
    Outcome first = deliver(transport, imapUp(), 3);
    deliver(transport, otherDown, 5);
    Outcome second = deliver(transport, otherUp, 3);

    assertEquals(Outcome.Kind.SENT, first.kind(), first.detail());
    assertEquals(Outcome.Kind.SENT, second.kind(), second.detail());
    assertTrue(first.detail().contains("older than 2.16"), first.detail());
    assertTrue(second.detail().contains("older than 2.16"), second.detail());
    // Today's behaviour: every message a notification of its own.
    assertEquals(4, ntfy.notifications("alerts").size());
    List<NtfyStandIn.Request> clears = ntfy.requests().stream()
        .filter(request -> request.method().equals("PUT")).toList();
    assertEquals(1, clears.size(), "one clear, answered 404, never retried nor sent again: "
        + ntfy.requests());
    assertEquals(404, clears.get(0).status());
    assertEquals(40401, clears.get(0).code());
    assertEquals(1, warnings("older than 2.16"), CapturedLogs.lines().toString());
    assertTrue(transport.isOldServer());
  }

  // --- escalation -----------------------------------------------------------------------------

  @Test
  void anUnansweredCriticalAlertEscalatesWhenNtfyDeliversTheHeldMessage() {
    NtfyTransport transport = transport(NtfyStandIn.Version.V2_16,
        "ALERT_ESCALATE_AFTER", "15m", "NTFY_ESCALATE_TOPIC", "oncall-backup");

    Outcome firing = deliver(transport, imapDown(), 5);

    assertEquals(Outcome.Kind.SENT, firing.kind(), firing.detail());
    assertTrue(firing.detail().contains("escalates to topic 'oncall-backup' in 15m"),
        firing.detail());
    assertEquals(List.of(), ntfy.notifications("oncall-backup"), "not before 15 minutes");
    List<NtfyStandIn.Event> held = ntfy.scheduled("oncall-backup");
    assertEquals(1, held.size());
    assertEquals(NIGHT.plus(Duration.ofMinutes(15)).getEpochSecond(), held.get(0).time());

    ntfy.advance(Duration.ofMinutes(14));
    assertEquals(List.of(), ntfy.notifications("oncall-backup"));
    ntfy.advance(Duration.ofMinutes(1));

    List<NtfyStandIn.Notification> escalated = ntfy.notifications("oncall-backup");
    assertEquals(1, escalated.size());
    assertEquals("[ESCALATED] kuma/IMAP reachable", escalated.get(0).title());
    assertEquals(5, escalated.get(0).priority());
    assertTrue(escalated.get(0).message().contains("IMAP on mail-1 is not answering"));
    assertEquals(NtfyTransport.sequenceId(imapDown()) + "-esc", escalated.get(0).sequenceId());
  }

  @Test
  void aRecoveryBeforeTheEscalationWithdrawsIt() {
    NtfyTransport transport = transport(NtfyStandIn.Version.V2_16,
        "ALERT_ESCALATE_AFTER", "15m", "NTFY_ESCALATE_TOPIC", "oncall-backup");

    deliver(transport, imapDown(), 5);
    ntfy.advance(Duration.ofMinutes(10));
    Outcome resolved = deliver(transport, imapUp(), 3);
    ntfy.advance(Duration.ofHours(1));

    assertEquals(Outcome.Kind.SENT, resolved.kind(), resolved.detail());
    assertTrue(resolved.detail().contains("escalation to topic 'oncall-backup' withdrawn"),
        resolved.detail());
    assertEquals(List.of(), ntfy.notifications("oncall-backup"));
    assertEquals(List.of("message_delete"), eventKinds("oncall-backup"));
    assertEquals(1, ntfy.notifications("alerts").size());
  }

  @Test
  void anAcknowledgementReplacesTheNotificationAndWithdrawsTheEscalation() {
    NtfyTransport transport = transport(NtfyStandIn.Version.V2_16,
        "ALERT_ESCALATE_AFTER", "15m", "NTFY_ESCALATE_TOPIC", "oncall-backup");

    Outcome delivered = deliver(transport, imapDown(), 5);
    // The delivery's handle is the sequence ID, which a host replaces the notification by.
    String handle = delivered.handle().orElseThrow();
    assertEquals(NtfyTransport.sequenceId(imapDown()), handle);
    Outcome replaced = transport.replace(handle, imapDown().severity(),
        "[ACKNOWLEDGED] kuma/IMAP reachable", "Acknowledged by pixel-7 at 22:41 UTC",
        Deadline.after(BUDGET, ticker));
    ntfy.advance(Duration.ofHours(1));

    assertEquals(Outcome.Kind.SENT, replaced.kind(), replaced.detail());
    List<NtfyStandIn.Notification> shown = ntfy.notifications("alerts");
    assertEquals(1, shown.size());
    assertEquals("[ACKNOWLEDGED] kuma/IMAP reachable", shown.get(0).title());
    assertTrue(shown.get(0).message().startsWith("Acknowledged by pixel-7 at 22:41 UTC"),
        shown.get(0).message());
    assertEquals(1, shown.get(0).sounded());
    assertEquals(List.of(), ntfy.notifications("oncall-backup"));
  }

  @Test
  void warningsDoNotEscalate() {
    NtfyTransport transport = transport(NtfyStandIn.Version.V2_16,
        "ALERT_ESCALATE_AFTER", "15m", "NTFY_ESCALATE_TOPIC", "oncall-backup");

    deliver(transport, diskFilling(), 3);
    ntfy.advance(Duration.ofHours(4));

    assertEquals(List.of(), ntfy.events("oncall-backup"));
  }

  @Test
  void anEscalationThatCannotBeScheduledForNowFailsTheDeliverySoItIsRetried() {
    NtfyTransport transport = transport(NtfyStandIn.Version.V2_16,
        "ALERT_ESCALATE_AFTER", "15m", "NTFY_ESCALATE_TOPIC", "oncall-backup");
    ntfy.refuse("oncall-backup", 500, 50001, "internal server error");

    Outcome outcome = deliver(transport, imapDown(), 5);

    assertEquals(Outcome.Kind.FAILED, outcome.kind(), outcome.detail());
    assertTrue(outcome.detail().contains("could not be scheduled"), outcome.detail());
    assertEquals(1, ntfy.notifications("alerts").size(), "the page itself is shown");

    ntfy.refuse("oncall-backup", 0, 0, null);
    Outcome retried = deliver(transport, imapDown(), 5);

    assertEquals(Outcome.Kind.SENT, retried.kind(), retried.detail());
    assertEquals(1, ntfy.notifications("alerts").size(), "the retry replaced the page in place");
    assertEquals(1, ntfy.notifications("alerts").get(0).sounded());
    assertEquals(1, ntfy.scheduled("oncall-backup").size());
  }

  @Test
  void anEscalationTopicRefusedForGoodIsReportedNotRetried() {
    NtfyTransport transport = transport(NtfyStandIn.Version.V2_16,
        "ALERT_ESCALATE_AFTER", "15m", "NTFY_ESCALATE_TOPIC", "oncall-backup");
    ntfy.refuse("oncall-backup", 403, 40301, "forbidden");

    Outcome outcome = deliver(transport, imapDown(), 5);

    assertEquals(Outcome.Kind.SENT, outcome.kind(), outcome.detail());
    assertTrue(outcome.detail().contains("could not be scheduled: HTTP 403"), outcome.detail());
    assertEquals(1, warnings("could not be scheduled"));
  }

  // --- quiet hours ----------------------------------------------------------------------------

  @Test
  void aWarningInsideQuietHoursWaitsForTheirEndAndItsRecoveryWithdrawsIt() {
    NtfyTransport transport = transport(NtfyStandIn.Version.V2_16, "ALERT_QUIET_HOURS", QUIET);

    Outcome firing = deliver(transport, diskFilling(), 3);

    assertEquals(Outcome.Kind.SENT, firing.kind(), firing.detail());
    assertEquals("held:" + MORNING.getEpochSecond(), firing.handle().orElseThrow());
    assertEquals(List.of(), ntfy.notifications("alerts"), "nothing at night");
    assertEquals(MORNING.getEpochSecond(), ntfy.scheduled("alerts").get(0).time());

    clock.advance(Duration.ofHours(2));
    Outcome resolved = deliver(transport, diskFine(), 3,
        PriorDelivery.delivered(firing.handle().orElseThrow()));
    clock.advance(Duration.ofHours(8));

    assertEquals(Outcome.Kind.SENT, resolved.kind(), resolved.detail());
    assertTrue(resolved.detail().contains("never shown"), resolved.detail());
    assertEquals(List.of(), ntfy.notifications("alerts"), "nothing stale in the morning");
    assertEquals(List.of("message_delete"), eventKinds("alerts"));
  }

  @Test
  void withoutALedgerARecoveryInsideQuietHoursStillWithdrawsTheHeldWarning() {
    NtfyTransport transport = transport(NtfyStandIn.Version.V2_16, "ALERT_QUIET_HOURS", QUIET);

    deliver(transport, diskFilling(), 3);
    clock.advance(Duration.ofHours(1));
    Outcome resolved = deliver(transport, diskFine(), 3);
    clock.advance(Duration.ofHours(9));

    assertEquals(Outcome.Kind.SENT, resolved.kind(), resolved.detail());
    assertEquals(List.of(), ntfy.notifications("alerts"));
  }

  @Test
  void aHeldWarningNotResolvedArrivesWhenQuietHoursEnd() {
    NtfyTransport transport = transport(NtfyStandIn.Version.V2_16, "ALERT_QUIET_HOURS", QUIET);

    deliver(transport, diskFilling(), 3);
    clock.advance(Duration.between(NIGHT, MORNING).minusSeconds(1));
    assertEquals(List.of(), ntfy.notifications("alerts"));
    clock.advance(Duration.ofSeconds(1));

    List<NtfyStandIn.Notification> shown = ntfy.notifications("alerts");
    assertEquals(1, shown.size());
    assertEquals("[WARNING] alertmanager/DiskFilling", shown.get(0).title());
  }

  @Test
  void aCriticalAlertIgnoresQuietHours() {
    NtfyTransport transport = transport(NtfyStandIn.Version.V2_16, "ALERT_QUIET_HOURS", QUIET);

    Outcome firing = deliver(transport, imapDown(), 5);

    // Not held: the handle is the sequence ID (what an acknowledgement replaces), no "held:".
    assertEquals(java.util.Optional.of(NtfyTransport.sequenceId(imapDown())), firing.handle(),
        firing.toString());
    assertEquals(1, ntfy.notifications("alerts").size());
    assertEquals(List.of(), ntfy.scheduled("alerts"));
  }

  @Test
  void aWarningOutsideQuietHoursIsShownAtOnceAndItsRecoveryReplacesIt() {
    clock = new TestClock(Instant.parse("2026-01-15T12:00:00Z"));
    NtfyTransport transport = transport(NtfyStandIn.Version.V2_16, "ALERT_QUIET_HOURS", QUIET);

    deliver(transport, diskFilling(), 3);
    deliver(transport, diskFine(), 3, PriorDelivery.delivered(null));

    List<NtfyStandIn.Notification> shown = ntfy.notifications("alerts");
    assertEquals(1, shown.size());
    assertEquals("[RESOLVED] alertmanager/DiskFilling", shown.get(0).title());
  }

  @Test
  void onAServerBefore216AHeldWarningsRecoveryFollowsItInTheMorning() {
    NtfyTransport transport = transport(NtfyStandIn.Version.V2_15, "ALERT_QUIET_HOURS", QUIET);

    Outcome firing = deliver(transport, diskFilling(), 3);
    Outcome resolved = deliver(transport, diskFine(), 3,
        PriorDelivery.delivered(firing.handle().orElseThrow()));

    assertEquals(Outcome.Kind.SENT, resolved.kind(), resolved.detail());
    assertEquals(List.of(), ntfy.notifications("alerts"), "nothing at night");
    clock.advance(Duration.between(NIGHT, MORNING));
    List<NtfyStandIn.Notification> shown = ntfy.notifications("alerts");
    assertEquals(2, shown.size(), shown.toString());
    assertEquals("[RESOLVED] alertmanager/DiskFilling", shown.get(1).title());
    assertEquals(1, warnings("older than 2.16"));
  }

  private List<String> eventKinds(String topic) {
    return ntfy.events(topic).stream().map(NtfyStandIn.Event::event).toList();
  }
}
