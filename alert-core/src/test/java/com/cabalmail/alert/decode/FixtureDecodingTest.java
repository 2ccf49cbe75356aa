package com.cabalmail.alert.decode;

import static com.cabalmail.alert.AlertStatus.FIRING;
import static com.cabalmail.alert.AlertStatus.RESOLVED;
import static com.cabalmail.alert.Severity.CRITICAL;
import static com.cabalmail.alert.Severity.INFO;
import static com.cabalmail.alert.Severity.WARNING;
import static com.cabalmail.alert.decode.Payloads.alert;
import static com.cabalmail.alert.decode.Payloads.bytes;
import static com.cabalmail.alert.decode.Payloads.labels;
import static com.cabalmail.alert.decode.WebhookFormat.ALERTMANAGER;
import static com.cabalmail.alert.decode.WebhookFormat.DIRECT;
import static com.cabalmail.alert.decode.WebhookFormat.GRAFANA;
import static com.cabalmail.alert.decode.WebhookFormat.HEALTHCHECKS;
import static com.cabalmail.alert.decode.WebhookFormat.KUMA;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Named.named;

import com.cabalmail.alert.Alert;
import com.cabalmail.alert.AlertStatus;
import com.cabalmail.alert.Severity;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bodies recorded from Alertmanager 0.25 and the shared samples decode to exactly the alerts
 * they describe: every field of every alert is asserted, label order included, and the format
 * and the count of alerts left out of every body.
 */
class FixtureDecodingTest {

  private static final String JSON = "application/json";
  private static final String FORM = "application/x-www-form-urlencoded";

  /** A Prometheus rule on the mail hosts: what its alerts share, whichever capture holds them. */
  private record MailRule(Severity severity, String alertname, String instance, String job,
      String summary, String runbookPage) {

    /** The rule's alert as a capture recorded it: one label names the capture. */
    Alert alert(String captureLabel, String captureValue, String query, AlertStatus status,
        String startsAt, String fingerprint) {
      return Payloads.alert(severity, "alertmanager/" + alertname + "/" + instance, summary,
          "https://runbooks.cabal.example/mail/" + runbookPage,
          labels("alertname", alertname, captureLabel, captureValue, "instance", instance,
              "job", job, "service", "mail", "severity", severity.name().toLowerCase(Locale.ROOT),
              "generator_url", "http://prometheus.cabal.internal:9090/graph?g0.expr=" + query),
          status, startsAt, "alertmanager:" + fingerprint);
    }
  }

  private static final MailRule POSTFIX = new MailRule(CRITICAL, "PostfixQueueBacklog",
      "mail-1.cabal.internal:9154", "postfix", "Postfix deferred queue above 1000 on mail-1",
      "postfix-queue-backlog");
  private static final MailRule DOVECOT = new MailRule(WARNING, "DovecotAuthFailuresHigh",
      "mail-1.cabal.internal:9166", "dovecot", "IMAP auth failures at 7.4/s on mail-1",
      "dovecot-auth-failures");
  private static final String DOVECOT_QUERY =
      "rate%28dovecot_auth_failures_total%5B5m%5D%29+%3E+5&g0.tab=1";
  private static final MailRule TLS_EXPIRY = new MailRule(INFO, "TLSCertificateExpiringSoon",
      "imap.cabal.example:993", "blackbox-tls",
      "TLS certificate for imap.cabal.example expires in 20 days", "certificate-renewal");

  private final WebhookDecoder decoder = WebhookDecoder.builder().build();

  /** A body, how it arrives, and all it must decode to. */
  private record Fixture(String file, String contentType, WebhookFormat format,
      int truncatedAlerts, List<Alert> alerts) {}

  private static Arguments fixture(String behaviour, String file, String contentType,
      WebhookFormat format, int truncatedAlerts, Alert... alerts) {
    return Arguments.of(
        named(behaviour, new Fixture(file, contentType, format, truncatedAlerts, List.of(alerts))));
  }

  static Stream<Arguments> fixtures() {
    String unicodeSummary = "Z\u00FCrich \u2713 \uD83D\uDD25 \u90AE\u4EF6\u961F\u5217\u79EF"
        + "\u538B \u2014 \u05E9\u05E8\u05EA \u05D4\u05D3\u05D5\u05D0\u05E8 \u05DC\u05D0 \u05DE"
        + "\u05D2\u05D9\u05D1 \u2014 Cafe\u0301 n\u0304 \uD83D\uDC69\u200D\uD83D\uDC69\u200D"
        + "\uD83D\uDC67";
    Alert dmarcIngestFailed = alert(CRITICAL, "cabal/dmarc-ingest",
        "DMARC ingest Lambda failed 3 runs in a row: S3 GetObject AccessDenied",
        "https://runbooks.cabal.example/lambda/dmarc-ingest", labels(), FIRING, null, null);
    return Stream.of(
        fixture("everyAlertOfAMixedGroupIsItsOwnAlertSoTheCriticalOneBehindAWarningPages",
            "alertmanager-0.25-mixed-severity.json", JSON, ALERTMANAGER, 0,
            DOVECOT.alert("capture", "mixed", DOVECOT_QUERY, FIRING,
                "2026-11-23T17:16:36.59040243Z", "6d4e7d215737ab74"),
            POSTFIX.alert("capture", "mixed", "postfix_queue+%3E+1000", FIRING,
                "2026-11-23T17:16:36.684667394Z", "1703fb2b63f7dbd7"),
            alert(WARNING, "alertmanager/DiskAlmostFull/mail-1.cabal.internal:9100",
                "Root filesystem of mail-1 is 93% full.", null,
                labels("alertname", "DiskAlmostFull", "capture", "mixed",
                    "instance", "mail-1.cabal.internal:9100", "service", "mail",
                    "severity_assumed", "labels.severity missing"),
                FIRING, "2026-11-23T17:16:36.716682843Z", "alertmanager:8b37484c7fcfe715")),
        fixture("resolvedGroupStaysResolvedWithItsOwnSeverities",
            "alertmanager-0.25-resolved.json", JSON, ALERTMANAGER, 0,
            resolvedCapture(CRITICAL, "PostfixQueueBacklog", "mail-1.cabal.internal:9154",
                "mail", "Postfix deferred queue above 1000 on mail-1", RESOLVED,
                "2026-11-23T17:06:44Z", "8289aee4285a20c2"),
            resolvedCapture(WARNING, "DovecotAuthFailuresHigh", "mail-1.cabal.internal:9166",
                "mail", "IMAP auth failures at 7.4/s on mail-1", RESOLVED,
                "2026-11-23T17:06:44Z", "79b5c8a2d51e932e")),
        fixture("groupWithOneAlertResolvedAndOneFiringKeepsEachStatus",
            "alertmanager-0.25-partly-resolved.json", JSON, ALERTMANAGER, 0,
            resolvedCapture(CRITICAL, "ImapDown", "imap-1", "partial", "IMAP down on imap-1",
                RESOLVED, "2026-11-23T17:11:59Z", "a881388f67739c31"),
            resolvedCapture(WARNING, "SmtpSlow", "smtp-1", "partial", "SMTP slow on smtp-1",
                FIRING, "2026-11-23T17:11:59Z", "d615daaae84772a5")),
        fixture("unicodeAnnotationsAndLabelsSurviveUntouched",
            "alertmanager-0.25-unicode.json", JSON, ALERTMANAGER, 0,
            alert(CRITICAL, "alertmanager/MailDeliveryDelayed/z\u00FCrich-1", unicodeSummary,
                "https://runbooks.cabal.example/mail/d\u00E9lai",
                labels("alertname", "MailDeliveryDelayed", "capture", "unicode",
                    "instance", "z\u00FCrich-1", "service", "intl", "severity", "critical",
                    "site", "Z\u00FCrich \u2713"),
                FIRING, "2026-11-23T17:16:59.662123624Z", "alertmanager:b67e57ec7b8610a1")),
        fixture("alertsLeftOutByMaxAlertsAreCountedOnTheBatchAndOnEachAlert",
            "alertmanager-0.25-truncated.json", JSON, ALERTMANAGER, 1,
            queueDepth("a", "2026-11-23T17:16:44.961663712Z", "31c670494540d39a"),
            queueDepth("b", "2026-11-23T17:16:44.986816158Z", "8836cccbe25e5c45")),
        fixture("sharedAlertmanagerFiringSampleDecodesEveryAlert",
            "sample-alertmanager-firing.json", JSON, ALERTMANAGER, 0, sampleGroup(FIRING)),
        fixture("sharedAlertmanagerResolvedSampleDecodesEveryAlertResolved",
            "sample-alertmanager-resolved.json", JSON, ALERTMANAGER, 0, sampleGroup(RESOLVED)),
        fixture("grafanaAlertKeepsDashboardPanelSilenceAndGeneratorLinksAsLabels",
            "sample-grafana-firing.json", JSON, GRAFANA, 0,
            alert(CRITICAL, "grafana/IMAPLoginLatencyHigh/mail-1",
                "IMAP logins on mail-1 take 2.84 s (p95)",
                "https://runbooks.cabal.example/mail/imap-latency",
                labels("alertname", "IMAPLoginLatencyHigh", "grafana_folder", "Cabal Mail",
                    "instance", "mail-1", "severity", "critical",
                    "generator_url",
                    "https://grafana.cabal.example/alerting/grafana/fdx3k2m9q1ptcb/view?orgId=1",
                    "dashboard_url", "https://grafana.cabal.example/d/cabal-mail?from="
                        + "1787300410000&orgId=1&to=1787307910000",
                    "panel_url", "https://grafana.cabal.example/d/cabal-mail?from=1787300410000"
                        + "&orgId=1&to=1787307910000&viewPanel=4",
                    "silence_url", "https://grafana.cabal.example/alerting/silence/new?"
                        + "alertmanager=grafana&matcher=__alert_rule_uid__%3Dfdx3k2m9q1ptcb"
                        + "&matcher=instance%3Dmail-1&matcher=severity%3Dcritical&orgId=1"),
                FIRING, "2026-08-21T09:20:10Z", "grafana:5c1e0f9a2b7d3e48")),
        fixture("directShapeSampleDecodesToOneAlertWithItsRunbook",
            "sample-direct-critical.json", JSON, DIRECT, 0, dmarcIngestFailed),
        fixture("formUrlencodedContentTypeIsOnlyAHintTheBodyIsJson",
            "sample-functionurl-base64-body.json", FORM, DIRECT, 0, dmarcIngestFailed),
        fixture("healthchecksDownBodyIsACriticalFiringAlert",
            "sample-healthchecks-down.json", null, HEALTHCHECKS, 0,
            alert(CRITICAL, "healthchecks/certbot-renew", "Missed heartbeat: certbot-renew", null,
                labels(), FIRING, null, "healthchecks:healthchecks/certbot-renew")),
        fixture("healthchecksUpStatusResolvesTheAlert",
            "healthchecks-up.json", null, HEALTHCHECKS, 0,
            alert(WARNING, "healthchecks/certbot-renewal", "Recovered: certbot-renewal", null,
                labels(), RESOLVED, null, "healthchecks:healthchecks/certbot-renewal")),
        fixture("kumaDownHeartbeatIsCriticalFiringWithTheHostnameKept",
            "sample-kuma-down.json", JSON, KUMA, 0,
            kumaImap("[cabal-imap] [\uD83D\uDD34 Down] connect ECONNREFUSED 203.0.113.25:993",
                FIRING)),
        fixture("kumaUpHeartbeatResolvesTheDownAlert",
            "sample-kuma-up.json", JSON, KUMA, 0,
            kumaImap("[cabal-imap] [\u2705 Up] N/A", RESOLVED)),
        fixture("kumaTestButtonIsATestNotification",
            "kuma-test.json", JSON, KUMA, 0,
            alert(INFO, "kuma", "Cabal sink Testing", null,
                labels("__test", "true", "notice", "test"), FIRING, null, null)),
        fixture("kumaCertificateExpiryIsAWarningThatNeverResolves",
            "kuma-certificate-expiry.json", JSON, KUMA, 0,
            alert(WARNING, "kuma/cabal-webmail", "[cabal-webmail][https://mail.cabal.example/]"
                    + " Server certificate mail.cabal.example will expire in 14 days", null,
                labels("notice", "certificate-expiry", "monitor_url",
                    "https://mail.cabal.example/", "days_left", "14"),
                FIRING, null, null)),
        fixture("kumaDomainExpiryIsAWarningThatNeverResolves",
            "kuma-domain-expiry.json", JSON, KUMA, 0,
            alert(WARNING, "kuma/cabal.example", "Domain name cabal.example will expire in 7 days",
                null,
                labels("notice", "domain-expiry", "hostname", "cabal.example", "days_left", "7"),
                FIRING, null, null)));
  }

  /**
   * An alert of the two resolved-capture bodies: no runbook, five labels in Alertmanager's order,
   * the source made of the rule's name and the instance.
   */
  private static Alert resolvedCapture(Severity severity, String alertname, String instance,
      String service, String summary, AlertStatus status, String startsAt, String fingerprint) {
    return alert(severity, "alertmanager/" + alertname + "/" + instance, summary, null,
        labels("alertname", alertname, "capture", "resolved", "instance", instance,
            "service", service, "severity", severity.name().toLowerCase(Locale.ROOT)),
        status, startsAt, "alertmanager:" + fingerprint);
  }

  private static Alert queueDepth(String instance, String startsAt, String fingerprint) {
    return alert(CRITICAL, "alertmanager/QueueDepth/" + instance, "Queue " + instance, null,
        labels("alertname", "QueueDepth", "capture", "truncated", "instance", instance,
            "service", "queue", "severity", "critical", "truncated_alerts", "1"),
        FIRING, startsAt, "alertmanager:" + fingerprint);
  }

  private static Alert kumaImap(String summary, AlertStatus status) {
    return alert(CRITICAL, "kuma/cabal-imap", summary, null,
        labels("hostname", "imap.cabal.example"), status, "2026-08-21T09:31:04.221Z",
        "kuma:7");
  }

  private static Alert[] sampleGroup(AlertStatus status) {
    return new Alert[] {
        POSTFIX.alert("cluster", "cabal-prod", "postfix_showq_message_size_bytes_count%7Bqueue"
            + "%3D%22deferred%22%7D+%3E+1000&g0.tab=1", status, "2026-08-21T09:12:30.512Z",
            "3f2a9c1d7b4e6a05"),
        DOVECOT.alert("cluster", "cabal-prod", DOVECOT_QUERY, status, "2026-08-21T09:14:00.118Z",
            "a81c44e07d92b3f6"),
        TLS_EXPIRY.alert("cluster", "cabal-prod", "%28probe_ssl_earliest_cert_expiry+-+time%28"
            + "%29%29+%2F+86400+%3C+21&g0.tab=1", status, "2026-08-21T06:00:15.004Z",
            "0d6e5b2a9f13c870")};
  }

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

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void fixtureDecodesToExactlyTheAlertsItDescribes(Fixture fixture) throws DecodeException {
    AlertBatch batch = decode(fixture.file(), fixture.contentType());

    assertEquals(fixture.format(), batch.format());
    assertEquals(fixture.truncatedAlerts(), batch.truncatedAlerts());
    assertAlerts(fixture.alerts(), batch);
  }

  @Test
  void fixturesTableCoversEveryValidFixture() {
    List<String> tabled = fixtures()
        .map(arguments -> ((Named<?>) arguments.get()[0]).getPayload())
        .map(named -> ((Fixture) named).file())
        .toList();
    assertEquals(Payloads.VALID.stream().filter(file -> !file.equals("kuma-custom-down.json"))
        .sorted().toList(), tabled.stream().sorted().toList());
  }

  @Test
  void kumaUpHeartbeatResolvesTheDownAlertWithTheSameFingerprint() throws DecodeException {
    AlertBatch up = decode("sample-kuma-up.json", JSON);
    AlertBatch down = decode("sample-kuma-down.json", JSON);

    assertEquals(RESOLVED, up.alerts().get(0).status());
    assertEquals(down.alerts().get(0).fingerprint(), up.alerts().get(0).fingerprint());
  }

  @Test
  void onlyKumasTestButtonIsATestNotification() throws DecodeException {
    assertTrue(decode("kuma-test.json", JSON).alerts().get(0).isTest());
    assertFalse(decode("kuma-certificate-expiry.json", JSON).alerts().get(0).isTest());
  }

  @Test
  void kumaCustomBodySentAsFormUrlencodedIsTheDirectShapeAndGetsItsRunbookFromTheMap()
      throws DecodeException {
    WebhookDecoder withMap = WebhookDecoder.builder()
        .runbook("kuma/IMAP reachable (internal)", URI.create(
            "https://github.com/cabalmail/cabal-infra/blob/main/docs/operations/runbooks/"
                + "probe-failure.md"))
        .build();

    AlertBatch batch = withMap.decode(bytes("kuma-custom-down.json"), FORM, WebhookFormat.AUTO);

    assertEquals(DIRECT, batch.format());
    assertAlerts(List.of(
        alert(CRITICAL, "kuma/IMAP reachable (internal)",
            "[IMAP reachable (internal)] [\uD83D\uDD34 Down] timeout of 48000ms exceeded",
            "https://github.com/cabalmail/cabal-infra/blob/main/docs/operations/runbooks/"
                + "probe-failure.md",
            labels(), FIRING, null, null)),
        batch);
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
