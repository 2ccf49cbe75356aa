package com.cabalmail.alert.decode;

import static com.cabalmail.alert.AlertStatus.FIRING;
import static com.cabalmail.alert.AlertStatus.RESOLVED;
import static com.cabalmail.alert.Severity.CRITICAL;
import static com.cabalmail.alert.Severity.INFO;
import static com.cabalmail.alert.Severity.WARNING;
import static com.cabalmail.alert.decode.Payloads.alert;
import static com.cabalmail.alert.decode.Payloads.bytes;
import static com.cabalmail.alert.decode.Payloads.labels;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cabalmail.alert.Alert;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Bodies recorded from Alertmanager 0.25 and the shared samples decode to exactly the alerts
 * they describe: every field of every alert is asserted, label order included.
 */
class FixtureDecodingTest {

  private final WebhookDecoder decoder = WebhookDecoder.builder().build();

  private AlertBatch decode(String fixture, String contentType) throws DecodeException {
    return decoder.decode(bytes(fixture), contentType, WebhookFormat.AUTO);
  }

  private static void assertAlerts(List<Alert> expected, AlertBatch batch) {
    assertEquals(expected, batch.alerts());
    for (int i = 0; i < expected.size(); i++) {
      assertEquals(new ArrayList<>(expected.get(i).labels().keySet()),
          new ArrayList<>(batch.alerts().get(i).labels().keySet()), "label order of alert " + i);
    }
  }

  @Test
  void everyAlertOfAMixedGroupIsItsOwnAlertSoTheCriticalOneBehindAWarningPages()
      throws DecodeException {
    AlertBatch batch = decode("alertmanager-0.25-mixed-severity.json", "application/json");

    assertEquals(WebhookFormat.ALERTMANAGER, batch.format());
    assertEquals(0, batch.truncatedAlerts());
    assertAlerts(List.of(
        alert(WARNING, "alertmanager/DovecotAuthFailuresHigh/mail-1.cabal.internal:9166",
            "IMAP auth failures at 7.4/s on mail-1",
            "https://runbooks.cabal.example/mail/dovecot-auth-failures",
            labels("alertname", "DovecotAuthFailuresHigh", "capture", "mixed",
                "instance", "mail-1.cabal.internal:9166", "job", "dovecot", "service", "mail",
                "severity", "warning",
                "generator_url", "http://prometheus.cabal.internal:9090/graph?g0.expr=rate%28"
                    + "dovecot_auth_failures_total%5B5m%5D%29+%3E+5&g0.tab=1"),
            FIRING, "2026-11-23T17:16:36.59040243Z", "6d4e7d215737ab74"),
        alert(CRITICAL, "alertmanager/PostfixQueueBacklog/mail-1.cabal.internal:9154",
            "Postfix deferred queue above 1000 on mail-1",
            "https://runbooks.cabal.example/mail/postfix-queue-backlog",
            labels("alertname", "PostfixQueueBacklog", "capture", "mixed",
                "instance", "mail-1.cabal.internal:9154", "job", "postfix", "service", "mail",
                "severity", "critical",
                "generator_url", "http://prometheus.cabal.internal:9090/graph?g0.expr="
                    + "postfix_queue+%3E+1000"),
            FIRING, "2026-11-23T17:16:36.684667394Z", "1703fb2b63f7dbd7"),
        alert(WARNING, "alertmanager/DiskAlmostFull/mail-1.cabal.internal:9100",
            "Root filesystem of mail-1 is 93% full.", null,
            labels("alertname", "DiskAlmostFull", "capture", "mixed",
                "instance", "mail-1.cabal.internal:9100", "service", "mail",
                "severity_assumed", "labels.severity missing"),
            FIRING, "2026-11-23T17:16:36.716682843Z", "8b37484c7fcfe715")),
        batch);
  }

  @Test
  void resolvedGroupStaysResolvedWithItsOwnSeverities() throws DecodeException {
    AlertBatch batch = decode("alertmanager-0.25-resolved.json", "application/json");

    assertEquals(WebhookFormat.ALERTMANAGER, batch.format());
    assertAlerts(List.of(
        alert(CRITICAL, "alertmanager/PostfixQueueBacklog/mail-1.cabal.internal:9154",
            "Postfix deferred queue above 1000 on mail-1", null,
            labels("alertname", "PostfixQueueBacklog", "capture", "resolved",
                "instance", "mail-1.cabal.internal:9154", "service", "mail",
                "severity", "critical"),
            RESOLVED, "2026-11-23T17:06:44Z", "8289aee4285a20c2"),
        alert(WARNING, "alertmanager/DovecotAuthFailuresHigh/mail-1.cabal.internal:9166",
            "IMAP auth failures at 7.4/s on mail-1", null,
            labels("alertname", "DovecotAuthFailuresHigh", "capture", "resolved",
                "instance", "mail-1.cabal.internal:9166", "service", "mail",
                "severity", "warning"),
            RESOLVED, "2026-11-23T17:06:44Z", "79b5c8a2d51e932e")),
        batch);
  }

  @Test
  void groupWithOneAlertResolvedAndOneFiringKeepsEachStatus() throws DecodeException {
    AlertBatch batch = decode("alertmanager-0.25-partly-resolved.json", "application/json");

    assertAlerts(List.of(
        alert(CRITICAL, "alertmanager/ImapDown/imap-1", "IMAP down on imap-1", null,
            labels("alertname", "ImapDown", "capture", "resolved", "instance", "imap-1",
                "service", "partial", "severity", "critical"),
            RESOLVED, "2026-11-23T17:11:59Z", "a881388f67739c31"),
        alert(WARNING, "alertmanager/SmtpSlow/smtp-1", "SMTP slow on smtp-1", null,
            labels("alertname", "SmtpSlow", "capture", "resolved", "instance", "smtp-1",
                "service", "partial", "severity", "warning"),
            FIRING, "2026-11-23T17:11:59Z", "d615daaae84772a5")),
        batch);
  }

  @Test
  void unicodeAnnotationsAndLabelsSurviveUntouched() throws DecodeException {
    AlertBatch batch = decode("alertmanager-0.25-unicode.json", "application/json");

    String summary = "Z\u00FCrich \u2713 \uD83D\uDD25 \u90AE\u4EF6\u961F\u5217\u79EF\u538B \u2014 "
        + "\u05E9\u05E8\u05EA \u05D4\u05D3\u05D5\u05D0\u05E8 \u05DC\u05D0 \u05DE\u05D2\u05D9"
        + "\u05D1 \u2014 Cafe\u0301 n\u0304 \uD83D\uDC69\u200D\uD83D\uDC69\u200D\uD83D\uDC67";
    assertAlerts(List.of(
        alert(CRITICAL, "alertmanager/MailDeliveryDelayed/z\u00FCrich-1", summary,
            "https://runbooks.cabal.example/mail/d\u00E9lai",
            labels("alertname", "MailDeliveryDelayed", "capture", "unicode",
                "instance", "z\u00FCrich-1", "service", "intl", "severity", "critical",
                "site", "Z\u00FCrich \u2713"),
            FIRING, "2026-11-23T17:16:59.662123624Z", "b67e57ec7b8610a1")),
        batch);
  }

  @Test
  void alertsLeftOutByMaxAlertsAreCountedOnTheBatchAndOnEachAlert() throws DecodeException {
    AlertBatch batch = decode("alertmanager-0.25-truncated.json", "application/json");

    assertEquals(1, batch.truncatedAlerts());
    assertAlerts(List.of(
        alert(CRITICAL, "alertmanager/QueueDepth/a", "Queue a", null,
            labels("alertname", "QueueDepth", "capture", "truncated", "instance", "a",
                "service", "queue", "severity", "critical", "truncated_alerts", "1"),
            FIRING, "2026-11-23T17:16:44.961663712Z", "31c670494540d39a"),
        alert(CRITICAL, "alertmanager/QueueDepth/b", "Queue b", null,
            labels("alertname", "QueueDepth", "capture", "truncated", "instance", "b",
                "service", "queue", "severity", "critical", "truncated_alerts", "1"),
            FIRING, "2026-11-23T17:16:44.986816158Z", "8836cccbe25e5c45")),
        batch);
  }

  private static List<Alert> sampleGroup(com.cabalmail.alert.AlertStatus status) {
    return List.of(
        alert(CRITICAL, "alertmanager/PostfixQueueBacklog/mail-1.cabal.internal:9154",
            "Postfix deferred queue above 1000 on mail-1",
            "https://runbooks.cabal.example/mail/postfix-queue-backlog",
            labels("alertname", "PostfixQueueBacklog", "cluster", "cabal-prod",
                "instance", "mail-1.cabal.internal:9154", "job", "postfix", "service", "mail",
                "severity", "critical",
                "generator_url", "http://prometheus.cabal.internal:9090/graph?g0.expr="
                    + "postfix_showq_message_size_bytes_count%7Bqueue%3D%22deferred%22%7D+%3E+"
                    + "1000&g0.tab=1"),
            status, "2026-08-21T09:12:30.512Z", "3f2a9c1d7b4e6a05"),
        alert(WARNING, "alertmanager/DovecotAuthFailuresHigh/mail-1.cabal.internal:9166",
            "IMAP auth failures at 7.4/s on mail-1",
            "https://runbooks.cabal.example/mail/dovecot-auth-failures",
            labels("alertname", "DovecotAuthFailuresHigh", "cluster", "cabal-prod",
                "instance", "mail-1.cabal.internal:9166", "job", "dovecot", "service", "mail",
                "severity", "warning",
                "generator_url", "http://prometheus.cabal.internal:9090/graph?g0.expr=rate%28"
                    + "dovecot_auth_failures_total%5B5m%5D%29+%3E+5&g0.tab=1"),
            status, "2026-08-21T09:14:00.118Z", "a81c44e07d92b3f6"),
        alert(INFO, "alertmanager/TLSCertificateExpiringSoon/imap.cabal.example:993",
            "TLS certificate for imap.cabal.example expires in 20 days",
            "https://runbooks.cabal.example/mail/certificate-renewal",
            labels("alertname", "TLSCertificateExpiringSoon", "cluster", "cabal-prod",
                "instance", "imap.cabal.example:993", "job", "blackbox-tls", "service", "mail",
                "severity", "info",
                "generator_url", "http://prometheus.cabal.internal:9090/graph?g0.expr=%28"
                    + "probe_ssl_earliest_cert_expiry+-+time%28%29%29+%2F+86400+%3C+21&g0.tab=1"),
            status, "2026-08-21T06:00:15.004Z", "0d6e5b2a9f13c870"));
  }

  @Test
  void sharedAlertmanagerFiringSampleDecodesEveryAlert() throws DecodeException {
    AlertBatch batch = decode("sample-alertmanager-firing.json", "application/json");

    assertEquals(WebhookFormat.ALERTMANAGER, batch.format());
    assertAlerts(sampleGroup(FIRING), batch);
  }

  @Test
  void sharedAlertmanagerResolvedSampleDecodesEveryAlertResolved() throws DecodeException {
    AlertBatch batch = decode("sample-alertmanager-resolved.json", "application/json");

    assertAlerts(sampleGroup(RESOLVED), batch);
  }

  @Test
  void grafanaAlertKeepsDashboardPanelSilenceAndGeneratorLinksAsLabels()
      throws DecodeException {
    AlertBatch batch = decode("sample-grafana-firing.json", "application/json");

    assertEquals(WebhookFormat.GRAFANA, batch.format());
    assertEquals(0, batch.truncatedAlerts());
    assertAlerts(List.of(
        alert(CRITICAL, "grafana/IMAPLoginLatencyHigh/mail-1",
            "IMAP logins on mail-1 take 2.84 s (p95)",
            "https://runbooks.cabal.example/mail/imap-latency",
            labels("alertname", "IMAPLoginLatencyHigh", "grafana_folder", "Cabal Mail",
                "instance", "mail-1", "severity", "critical",
                "generator_url",
                "https://grafana.cabal.example/alerting/grafana/fdx3k2m9q1ptcb/view?orgId=1",
                "dashboard_url", "https://grafana.cabal.example/d/cabal-mail?from=1787300410000"
                    + "&orgId=1&to=1787307910000",
                "panel_url", "https://grafana.cabal.example/d/cabal-mail?from=1787300410000"
                    + "&orgId=1&to=1787307910000&viewPanel=4",
                "silence_url", "https://grafana.cabal.example/alerting/silence/new?alertmanager="
                    + "grafana&matcher=__alert_rule_uid__%3Dfdx3k2m9q1ptcb&matcher=instance%3D"
                    + "mail-1&matcher=severity%3Dcritical&orgId=1"),
            FIRING, "2026-08-21T09:20:10Z", "5c1e0f9a2b7d3e48")),
        batch);
  }

  @Test
  void directShapeSampleDecodesToOneAlertWithItsRunbook() throws DecodeException {
    AlertBatch batch = decode("sample-direct-critical.json", "application/json");

    assertEquals(WebhookFormat.DIRECT, batch.format());
    assertAlerts(List.of(
        alert(CRITICAL, "cabal/dmarc-ingest",
            "DMARC ingest Lambda failed 3 runs in a row: S3 GetObject AccessDenied",
            "https://runbooks.cabal.example/lambda/dmarc-ingest", labels(), FIRING, null,
            null)),
        batch);
  }

  @Test
  void formUrlencodedContentTypeIsOnlyAHintTheBodyIsJson() throws DecodeException {
    AlertBatch batch = decode("sample-functionurl-base64-body.json",
        "application/x-www-form-urlencoded");

    assertEquals(WebhookFormat.DIRECT, batch.format());
    assertAlerts(List.of(
        alert(CRITICAL, "cabal/dmarc-ingest",
            "DMARC ingest Lambda failed 3 runs in a row: S3 GetObject AccessDenied",
            "https://runbooks.cabal.example/lambda/dmarc-ingest", labels(), FIRING, null,
            null)),
        batch);
  }

  @Test
  void healthchecksDownBodyIsACriticalFiringAlert() throws DecodeException {
    AlertBatch batch = decode("sample-healthchecks-down.json", null);

    assertEquals(WebhookFormat.HEALTHCHECKS, batch.format());
    assertAlerts(List.of(
        alert(CRITICAL, "healthchecks/certbot-renew", "Missed heartbeat: certbot-renew", null,
            labels(), FIRING, null, null)),
        batch);
  }

  @Test
  void healthchecksUpStatusResolvesTheAlert() throws DecodeException {
    AlertBatch batch = decode("healthchecks-up.json", null);

    assertEquals(WebhookFormat.HEALTHCHECKS, batch.format());
    assertAlerts(List.of(
        alert(WARNING, "healthchecks/certbot-renewal", "Recovered: certbot-renewal", null,
            labels(), RESOLVED, null, null)),
        batch);
  }

  @Test
  void kumaDownHeartbeatIsCriticalFiringWithTheHostnameKept() throws DecodeException {
    AlertBatch batch = decode("sample-kuma-down.json", "application/json");

    assertEquals(WebhookFormat.KUMA, batch.format());
    assertAlerts(List.of(
        alert(CRITICAL, "kuma/cabal-imap",
            "[cabal-imap] [\uD83D\uDD34 Down] connect ECONNREFUSED 203.0.113.25:993", null,
            labels("hostname", "imap.cabal.example"), FIRING, "2026-08-21T09:31:04.221Z",
            null)),
        batch);
  }

  @Test
  void kumaUpHeartbeatResolvesTheDownAlertWithTheSameFingerprint() throws DecodeException {
    AlertBatch up = decode("sample-kuma-up.json", "application/json");
    AlertBatch down = decode("sample-kuma-down.json", "application/json");

    assertAlerts(List.of(
        alert(CRITICAL, "kuma/cabal-imap", "[cabal-imap] [\u2705 Up] N/A", null,
            labels("hostname", "imap.cabal.example"), RESOLVED, "2026-08-21T09:31:04.221Z",
            null)),
        up);
    assertEquals(down.alerts().get(0).fingerprint(), up.alerts().get(0).fingerprint());
  }

  @Test
  void kumaCustomBodySentAsFormUrlencodedIsTheDirectShapeAndGetsItsRunbookFromTheMap()
      throws DecodeException {
    WebhookDecoder withMap = WebhookDecoder.builder()
        .runbook("kuma/IMAP reachable (internal)", URI.create(
            "https://github.com/cabalmail/cabal-infra/blob/main/docs/operations/runbooks/"
                + "probe-failure.md"))
        .build();

    AlertBatch batch = withMap.decode(bytes("kuma-custom-down.json"),
        "application/x-www-form-urlencoded", WebhookFormat.AUTO);

    assertEquals(WebhookFormat.DIRECT, batch.format());
    assertAlerts(List.of(
        alert(CRITICAL, "kuma/IMAP reachable (internal)",
            "[IMAP reachable (internal)] [\uD83D\uDD34 Down] timeout of 48000ms exceeded",
            "https://github.com/cabalmail/cabal-infra/blob/main/docs/operations/runbooks/"
                + "probe-failure.md",
            labels(), FIRING, null, null)),
        batch);
  }

  @Test
  void kumaTestButtonIsATestNotification() throws DecodeException {
    AlertBatch batch = decode("kuma-test.json", "application/json");

    assertEquals(WebhookFormat.KUMA, batch.format());
    assertAlerts(List.of(alert(INFO, "kuma", "Cabal sink Testing", null,
        labels("__test", "true", "notice", "test"), FIRING, null, null)), batch);
    assertTrue(batch.alerts().get(0).isTest());
  }

  @Test
  void kumaCertificateExpiryIsAWarningThatNeverResolves() throws DecodeException {
    AlertBatch batch = decode("kuma-certificate-expiry.json", "application/json");

    assertEquals(WebhookFormat.KUMA, batch.format());
    assertAlerts(List.of(alert(WARNING, "kuma/cabal-webmail",
        "[cabal-webmail][https://mail.cabal.example/] Server certificate mail.cabal.example"
            + " will expire in 14 days", null,
        labels("notice", "certificate-expiry", "monitor_url", "https://mail.cabal.example/",
            "days_left", "14"), FIRING, null, null)), batch);
    assertFalse(batch.alerts().get(0).isTest());
  }

  @Test
  void kumaDomainExpiryIsAWarningThatNeverResolves() throws DecodeException {
    AlertBatch batch = decode("kuma-domain-expiry.json", "application/json");

    assertAlerts(List.of(alert(WARNING, "kuma/cabal.example",
        "Domain name cabal.example will expire in 7 days", null,
        labels("notice", "domain-expiry", "hostname", "cabal.example", "days_left", "7"),
        FIRING, null, null)), batch);
  }

  @Test
  void everyValidFixtureDecodesWithTheFormatNamedExplicitlyToo() throws DecodeException {
    for (String fixture : Payloads.VALID) {
      AlertBatch detected = decode(fixture, null);
      AlertBatch named = decoder.decode(bytes(fixture), null, detected.format());
      assertEquals(detected, named, fixture);
    }
  }
}
