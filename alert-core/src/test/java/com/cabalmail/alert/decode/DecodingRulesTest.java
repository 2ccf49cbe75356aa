package com.cabalmail.alert.decode;

import static com.cabalmail.alert.AlertStatus.FIRING;
import static com.cabalmail.alert.AlertStatus.RESOLVED;
import static com.cabalmail.alert.Severity.CRITICAL;
import static com.cabalmail.alert.Severity.INFO;
import static com.cabalmail.alert.Severity.WARNING;
import static com.cabalmail.alert.decode.Payloads.alert;
import static com.cabalmail.alert.decode.Payloads.labels;
import static com.cabalmail.alert.decode.Payloads.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.cabalmail.alert.Alert;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The mapping rules of each format, on small bodies that isolate one rule each. */
class DecodingRulesTest {

  private final WebhookDecoder decoder = WebhookDecoder.builder().build();

  private AlertBatch decode(String body) throws DecodeException {
    return decoder.decode(utf8(body), "application/json", WebhookFormat.AUTO);
  }

  private Alert only(String body) throws DecodeException {
    List<Alert> alerts = decode(body).alerts();
    assertEquals(1, alerts.size());
    return alerts.get(0);
  }

  private static String amAlert(String labels, String annotations) {
    return "{\"alerts\":[{\"status\":\"firing\",\"labels\":{" + labels + "},\"annotations\":{"
        + annotations + "},\"startsAt\":\"2026-08-21T09:12:30Z\","
        + "\"endsAt\":\"0001-01-01T00:00:00Z\",\"generatorURL\":\"\","
        + "\"fingerprint\":\"00000000000000aa\"}]}";
  }

  // Alertmanager.

  @Test
  void unknownSeverityLabelIsAWarningWithTheReasonAsALabel() throws DecodeException {
    assertEquals(
        alert(WARNING, "alertmanager/A", "s", null,
            labels("alertname", "A", "severity", "sev9",
                "severity_assumed", "labels.severity 'sev9' unknown; allowed: critical, warning,"
                    + " info, or an alias (ALERT_SEVERITY_ALIASES)"),
            FIRING, "2026-08-21T09:12:30Z", "alertmanager:00000000000000aa"),
        only(amAlert("\"alertname\":\"A\",\"severity\":\"sev9\"", "\"summary\":\"s\"")));
  }

  @Test
  void severityWordsPeopleUseAreAliases() throws DecodeException {
    String[][] cases = {{"page", "CRITICAL"}, {"crit", "CRITICAL"}, {"P1", "CRITICAL"},
        {"error", "CRITICAL"}, {"Warn", "WARNING"}, {"ticket", "WARNING"}, {"none", "INFO"},
        {" p5 ", "INFO"}};
    for (String[] c : cases) {
      Alert alert = only(amAlert("\"alertname\":\"A\",\"severity\":\"" + c[0] + "\"", ""));
      assertEquals(c[1], alert.severity().name(), c[0]);
      assertEquals(null, alert.labels().get("severity_assumed"), c[0]);
      assertEquals(c[1], only("{\"severity\":\"" + c[0] + "\",\"source\":\"s\","
          + "\"summary\":\"x\"}").severity().name(), "direct shape: " + c[0]);
    }
  }

  @Test
  void configuredAliasesAddToTheDefaultsAndOverrideThem() throws DecodeException {
    WebhookDecoder custom = WebhookDecoder.builder()
        .severityAliases("sev1:critical, error:warning").build();
    assertEquals(CRITICAL, custom.decode(utf8("{\"severity\":\"SEV1\",\"source\":\"s\","
        + "\"summary\":\"x\"}"), null, WebhookFormat.AUTO).alerts().get(0).severity());
    assertEquals(WARNING, custom.decode(utf8("{\"severity\":\"error\",\"source\":\"s\","
        + "\"summary\":\"x\"}"), null, WebhookFormat.AUTO).alerts().get(0).severity());
    assertEquals(CRITICAL, custom.decode(utf8("{\"severity\":\"page\",\"source\":\"s\","
        + "\"summary\":\"x\"}"), null, WebhookFormat.AUTO).alerts().get(0).severity());
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> WebhookDecoder.builder().severityAliases("sev1:urgent"));
  }

  @Test
  void directRunbookThatIsNoLinkIsKeptAsText() throws DecodeException {
    Alert alert = only("{\"severity\":\"warning\",\"source\":\"s\",\"summary\":\"x\","
        + "\"runbook_url\":\" see the wiki page Disk-Full \"}");
    assertEquals(java.util.Optional.empty(), alert.runbook());
    assertEquals("see the wiki page Disk-Full", alert.labels().get("runbook_text"));
  }

  @Test
  void severityLabelIsReadIgnoringCase() throws DecodeException {
    assertEquals(CRITICAL,
        only(amAlert("\"alertname\":\"A\",\"severity\":\"Critical\"", "")).severity());
  }

  @Test
  void summaryFallsBackToDescriptionThenToTheAlertName() throws DecodeException {
    assertEquals("the description", only(amAlert("\"alertname\":\"A\"",
        "\"summary\":\" \",\"description\":\"the description\"")).summary());
    assertEquals("A", only(amAlert("\"alertname\":\"A\"", "")).summary());
  }

  @Test
  void runbookAnnotationThatIsNoUrlIsKeptAsALabelAndTheAlertStillDecodes()
      throws DecodeException {
    assertEquals(
        alert(CRITICAL, "alertmanager/A/h:9100", "s", null,
            labels("alertname", "A", "instance", "h:9100", "severity", "critical",
                "runbook_text", "see the wiki"),
            FIRING, "2026-08-21T09:12:30Z", "alertmanager:00000000000000aa"),
        only(amAlert("\"alertname\":\"A\",\"instance\":\"h:9100\",\"severity\":\"critical\"",
            "\"summary\":\"s\",\"runbook_url\":\"see the wiki\"")));
  }

  @Test
  void missingFingerprintAndZeroStartTimeAreDerivedAndAbsent() throws DecodeException {
    Alert alert = only("{\"alerts\":[{\"status\":\"resolved\",\"labels\":{\"alertname\":\"A\","
        + "\"severity\":\"info\"},\"startsAt\":\"0001-01-01T00:00:00Z\"}]}");
    assertEquals(alert(INFO, "alertmanager/A", "A", null,
        labels("alertname", "A", "severity", "info"), RESOLVED, null, "alertmanager:"
            + AlertmanagerReader.labelSetFingerprint(labels("alertname", "A", "severity", "info"))),
        alert);
  }

  @Test
  void startTimeWithALocalOffsetIsTheSameInstant() throws DecodeException {
    Alert alert = only("{\"alerts\":[{\"status\":\"firing\",\"labels\":{\"alertname\":\"A\"},"
        + "\"startsAt\":\"2026-08-21T11:20:10.5+02:00\"}]}");
    assertEquals(java.time.Instant.parse("2026-08-21T09:20:10.500Z"), alert.startsAt().get());
  }

  @Test
  void alertsWithTheSameFieldsInAnyOrderDecodeAlike() throws DecodeException {
    Alert ordered = only("{\"version\":\"4\",\"alerts\":[{\"status\":\"firing\","
        + "\"labels\":{\"alertname\":\"A\"},\"fingerprint\":\"f\"}],\"truncatedAlerts\":0}");
    Alert reordered = only("{\"truncatedAlerts\":0,\"alerts\":[{\"fingerprint\":\"f\","
        + "\"labels\":{\"alertname\":\"A\"},\"status\":\"firing\"}],\"version\":\"4\"}");
    assertEquals(ordered, reordered);
  }

  @Test
  void unknownFieldsOfEveryKindAreSkipped() throws DecodeException {
    Alert alert = only("{\"notification_reason\":\"x\",\"routeLabels\":{\"a\":[1,{\"b\":null}]},"
        + "\"alerts\":[{\"status\":\"firing\",\"labels\":{\"alertname\":\"A\"},"
        + "\"values\":{\"A\":2.84,\"B\":null},\"enrichments\":[[],{}],\"endsAt\":5}]}");
    assertEquals("alertmanager/A", alert.source());
  }

  // Grafana.

  @Test
  void grafanaIsDetectedByOrgIdOrStateAndEmptyLinksAreLeftOut() throws DecodeException {
    AlertBatch batch = decode("{\"alerts\":[{\"status\":\"firing\",\"labels\":"
        + "{\"alertname\":\"Disk\",\"grafana_folder\":\"Mail\"},\"annotations\":{},"
        + "\"dashboardURL\":\"\",\"panelURL\":\"\",\"silenceURL\":\"https://g/silence\","
        + "\"generatorURL\":\"https://g/rule\",\"fingerprint\":\"5c1e0f9a2b7d3e48\","
        + "\"startsAt\":\"2026-08-21T09:20:10+01:00\"}],\"state\":\"alerting\","
        + "\"truncatedAlerts\":2}");
    assertEquals(WebhookFormat.GRAFANA, batch.format());
    assertEquals(2, batch.truncatedAlerts());
    assertEquals(List.of(alert(WARNING, "grafana/Disk", "Disk", null,
        labels("alertname", "Disk", "grafana_folder", "Mail",
            "severity_assumed", "labels.severity missing", "generator_url", "https://g/rule",
            "silence_url", "https://g/silence", "truncated_alerts", "2"),
        FIRING, "2026-08-21T08:20:10Z", "grafana:5c1e0f9a2b7d3e48")), batch.alerts());
    assertEquals(WebhookFormat.GRAFANA, decode("{\"orgId\":1,\"alerts\":[{\"status\":\"firing\","
        + "\"labels\":{\"alertname\":\"A\"}}]}").format());
  }

  // Uptime Kuma.

  private static String kuma(int status, String monitor, String msg) {
    return "{\"heartbeat\":{\"monitorID\":3,\"status\":" + status + ",\"time\":"
        + "\"2026-08-21 09:31:04.221\",\"msg\":\"timeout\",\"ping\":null},\"monitor\":"
        + monitor + (msg == null ? "" : ",\"msg\":\"" + msg + "\"") + "}";
  }

  private static final String HTTP_MONITOR = "{\"id\":3,\"name\":\"Webmail\","
      + "\"url\":\"https://mail.cabal.example/\",\"hostname\":null,\"type\":\"http\"}";

  @Test
  void kumaPendingIsAWarningAndMaintenanceIsInfo() throws DecodeException {
    assertEquals(alert(WARNING, "kuma/Webmail", "[Webmail] pending", null,
        labels("monitor_url", "https://mail.cabal.example/"), FIRING,
        "2026-08-21T09:31:04.221Z", "kuma:3"), only(kuma(2, HTTP_MONITOR, "[Webmail] pending")));
    assertEquals(alert(INFO, "kuma/Webmail", "[Webmail] maintenance", null,
        labels("monitor_url", "https://mail.cabal.example/"), FIRING,
        "2026-08-21T09:31:04.221Z", "kuma:3"), only(kuma(3, HTTP_MONITOR, "[Webmail] maintenance")));
  }

  @Test
  void kumaWithoutMsgSaysWhatHappenedToTheMonitor() throws DecodeException {
    assertEquals("Webmail is down: timeout", only(kuma(0, HTTP_MONITOR, null)).summary());
    assertEquals("Webmail is up: timeout", only(kuma(1, HTTP_MONITOR, null)).summary());
  }

  @Test
  void kumaTestNotificationWithoutMessageStillDecodes() throws DecodeException {
    assertEquals(alert(INFO, "kuma", "Uptime Kuma test notification", null,
        labels("__test", "true", "notice", "test"), FIRING, null, null),
        only("{\"heartbeat\":null,\"monitor\":null,\"msg\":\"\"}"));
  }

  @Test
  void kumaTimeInIsoFormWithOffsetIsAccepted() throws DecodeException {
    Alert alert = only("{\"heartbeat\":{\"status\":0,\"time\":\"2026-08-21T10:31:04+01:00\"},"
        + "\"monitor\":{\"name\":\"m\"}}");
    assertEquals(java.time.Instant.parse("2026-08-21T09:31:04Z"), alert.startsAt().get());
    assertEquals("m is down", alert.summary());
  }

  // Direct shape.

  @Test
  void directShapeKeepsLabelsAndStatusInEveryAcceptedSpelling() throws DecodeException {
    assertEquals(
        alert(INFO, "cabal/backup", "Backup done", null, labels("job", "aws-backup", "n", "1"),
            RESOLVED, null, null),
        only("{\"severity\":\"INFO\",\"source\":\"cabal/backup\",\"summary\":\"Backup done\","
            + "\"labels\":{\"job\":\"aws-backup\",\"n\":\"1\"},\"status\":\"resolved\","
            + "\"runbook_url\":\"\"}"));
    for (String[] spelling : new String[][] {{"firing", "FIRING"}, {"down", "FIRING"},
        {"Up", "RESOLVED"}, {"RESOLVED", "RESOLVED"}}) {
      assertEquals(spelling[1], only("{\"severity\":\"critical\",\"source\":\"s\",\"summary\":"
          + "\"x\",\"status\":\"" + spelling[0] + "\"}").status().name(), spelling[0]);
    }
  }

  // Detection.

  @Test
  void detectionFollowsTheDocumentedOrder() throws DecodeException {
    assertEquals(WebhookFormat.ALERTMANAGER, decode("{\"severity\":\"info\",\"alerts\":[{"
        + "\"status\":\"firing\",\"labels\":{\"alertname\":\"A\"}}]}").format());
    assertEquals(WebhookFormat.KUMA, decode("{\"summary\":\"x\",\"monitor\":null,"
        + "\"heartbeat\":null,\"msg\":\"t\"}").format());
    assertEquals(WebhookFormat.HEALTHCHECKS, decode("{\"severity\":\"info\",\"source\":"
        + "\"healthchecks/x\",\"summary\":\"x\"}").format());
    assertEquals(WebhookFormat.DIRECT, decode("{\"severity\":\"info\",\"source\":"
        + "\"kuma/healthchecks/x\",\"summary\":\"x\"}").format());
  }

  @Test
  void namedFormatIgnoresTheFieldsOfOtherFormats() throws DecodeException {
    String body = "{\"severity\":\"critical\",\"source\":\"s\",\"summary\":\"x\","
        + "\"alerts\":\"not an array\",\"heartbeat\":5}";
    assertEquals(WebhookFormat.DIRECT,
        decoder.decode(utf8(body), null, WebhookFormat.DIRECT).format());
  }

  // Text.

  @Test
  void oneLineValuesGetSpacesForBreaksAndSummariesKeepLineFeedsAndTabs()
      throws DecodeException {
    Alert alert = only("{\"severity\":\"critical\",\"source\":\"kuma/a\\r\\nX-Injected: 1\","
        + "\"summary\":\"line 1\\r\\nline 2\\rline 3\\n\\tindented \\u0000\\u001b[31m\\u0085\","
        + "\"labels\":{\"k\\n\":\"v\\tw\"}}");
    // The one rule (Text): a break in a one-line value is a space, never a header injection.
    assertEquals("kuma/a X-Injected: 1", alert.source());
    assertEquals("line 1\nline 2\nline 3\n\tindented \uFFFD\uFFFD[31m\n", alert.summary());
    assertEquals(labels("k", "v w"), alert.labels());
  }

  @Test
  void unpairedSurrogatesBecomeReplacementCharactersAndPairsSurvive() throws DecodeException {
    Alert alert = only("{\"severity\":\"critical\",\"source\":\"s\\ud83d\","
        + "\"summary\":\"\\udc69 ok \\ud83d\\udd25\"}");
    assertEquals("s\uFFFD", alert.source());
    assertEquals("\uFFFD ok \uD83D\uDD25", alert.summary());
  }

  @Test
  void unicodeOfEveryKindSurvivesUntouched() throws DecodeException {
    String text = "\uD83D\uDEA8 \u65E5\u672C\u8A9E \u05E9\u05DC\u05D5\u05DD \u0627\u0644\u0639"
        + "\u0631\u0628\u064A\u0629 a\u0310 \u202Eevil\u202C \u200B\uFEFF \uD83D\uDC69\u200D"
        + "\uD83D\uDC67";
    Alert alert = only("{\"severity\":\"critical\",\"source\":\"kuma/" + text + "\",\"summary\":\""
        + text + "\",\"labels\":{\"" + text + "\":\"" + text + "\"}}");
    assertEquals("kuma/" + text, alert.source());
    assertEquals(text, alert.summary());
    assertEquals(labels(text, text), alert.labels());
  }
}
