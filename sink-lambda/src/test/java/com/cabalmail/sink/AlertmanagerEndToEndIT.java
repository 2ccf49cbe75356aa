package com.cabalmail.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cabalmail.alert.testkit.CapturedLogs;
import com.cabalmail.alert.testkit.Peers;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A real Prometheus Alertmanager, configured with the example {@code alertmanager.yml}, posts
 * to the locally served sink; {@code amtool} fires a group mixing a critical and a warning
 * alert, then resolves it; WireMock plays Pushover and ntfy.
 */
class AlertmanagerEndToEndIT extends SinkBehindAlertmanager {

  static final String SECRET = "am-e2e-shared-secret-0123456789";
  static final String CRITICAL_SUMMARY = "Postfix deferred queue above 1000 on mail-1 — Zürich ✓";
  static final String RUNBOOK = "https://runbooks.cabal.example/mail/postfix-queue-backlog";

  @Test
  void alertmanagerGroupReachesExactlyItsRoutesAndTheResolutionCancelsTheEmergency()
      throws Exception {
    CapturedLogs.clear();
    serve(SECRET, Map.of("ALERT_ROUTES", "critical:pushover=2,ntfy=5;warning:ntfy=3;info:",
        // Stateless, as without a ledger: the recovery cancels the emergency by tag. With the
        // ledger it cancels by the receipt it kept (LedgerEndToEnd covers that path).
        "ALERT_LEDGER", "none"));

    alertmanager = AlertmanagerPeer.start(dir, AlertmanagerPeer.example(sink.port(),
        AlertmanagerPeer.secretFile(dir, SECRET),
        // Long enough for both amtool calls to land in the group's first notification.
        new String[] {"group_wait: 30s", "group_wait: 3s"},
        new String[] {"group_interval: 5m", "group_interval: 1s"},
        // One group for both severities: the case the Python sink got wrong.
        new String[] {"group_by: [alertname, severity]", "group_by: [service]"}));

    List<String> critical = List.of("PostfixQueueBacklog", "severity=critical", "service=mail",
        "instance=mail-1", "--annotation=summary=" + CRITICAL_SUMMARY,
        "--annotation=runbook_url=" + RUNBOOK);
    List<String> warning = List.of("DovecotAuthFailuresHigh", "severity=warning",
        "service=mail", "instance=mail-1", "--annotation=summary=IMAP auth failures at 7.4/s");
    alertmanager.add(critical, null);
    alertmanager.add(warning, null);

    Peers.await(Duration.ofSeconds(30),
        () -> stubs.pushoverMessages().size() >= 1 && stubs.ntfyMessages().size() >= 2,
        "firing group delivered; log: " + alertmanager.log());
    List<Map<String, String>> pushover = stubs.pushoverMessages();
    assertEquals(1, pushover.size(), "only the critical alert pages: " + pushover);
    Map<String, String> page = pushover.get(0);
    assertEquals("2", page.get("priority"));
    assertEquals(RUNBOOK, page.get("url"));
    assertTrue(page.get("message").contains(CRITICAL_SUMMARY), page.toString());
    assertTrue(page.containsKey("retry") && page.containsKey("expire"), page.toString());
    String tag = page.get("tags");
    assertTrue(tag != null && tag.matches("[0-9a-f]{16}"), "tagged with the fingerprint: " + page);

    List<Map<String, String>> ntfy = stubs.ntfyMessages();
    assertEquals(2, ntfy.size(), ntfy.toString());
    Map<String, String> urgent = only(ntfy, "5");
    assertTrue(urgent.get("message").contains(CRITICAL_SUMMARY), urgent.toString());
    assertEquals(RUNBOOK, urgent.get("click"));
    assertTrue(only(ntfy, "3").get("message").contains("IMAP auth failures at 7.4/s"));

    // One end time, just ahead, for both: they resolve at the same instant, so one
    // notification carries both resolutions whenever the group's next flush falls.
    String end = Instant.now().plusMillis(1500).toString();
    alertmanager.add(critical, end);
    alertmanager.add(warning, end);
    Peers.await(Duration.ofSeconds(30),
        () -> stubs.pushoverMessages().size() >= 2 && stubs.ntfyMessages().size() >= 4,
        "resolution delivered; log: " + alertmanager.log());
    assertEquals(List.of(tag), stubs.pushoverCancelledTags(), "the emergency is cancelled");
    pushover = stubs.pushoverMessages();
    assertEquals(2, pushover.size(), pushover.toString());
    Map<String, String> recovery = pushover.get(1);
    assertNotEquals("2", recovery.get("priority"));
    assertEquals("-1", recovery.get("priority"), "recoveries are quiet: " + recovery);
    assertFalse(recovery.containsKey("retry"), recovery.toString());
    List<Map<String, String>> resolved = stubs.ntfyMessages().subList(2, 4);
    assertEquals(List.of("3", "3"), resolved.stream().map(m -> m.get("priority"))
        .collect(Collectors.toList()), resolved.toString());
    assertFalse(CapturedLogs.text().contains(SECRET));
    assertFalse(CapturedLogs.text().contains(ProviderStubs.PUSHOVER_TOKEN));
  }

  static Map<String, String> only(List<Map<String, String>> messages, String priority) {
    List<Map<String, String>> matching = messages.stream()
        .filter(m -> priority.equals(m.get("priority"))).collect(Collectors.toList());
    assertEquals(1, matching.size(), "one message at priority " + priority + ": " + messages);
    return matching.get(0);
  }
}
