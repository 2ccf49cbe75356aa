package com.cabalmail.alert.decode;

import static com.cabalmail.alert.decode.Payloads.bytes;
import static com.cabalmail.alert.decode.Payloads.labels;
import static com.cabalmail.alert.decode.Payloads.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cabalmail.alert.Alert;
import com.cabalmail.alert.AlertStatus;
import com.cabalmail.alert.Labels;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * "The same alert" is the tool's own identity, namespaced by tool: Alertmanager's and
 * Grafana's fingerprint, Kuma's monitor, Healthchecks' check, a direct caller's
 * {@code fingerprint}; an identical string from two tools never collides.
 */
class IdentityTest {

  private static final String SHARED = "5c1e0f9a2b7d3e48";

  private final WebhookDecoder decoder = WebhookDecoder.builder().build();

  private Alert only(String body) throws DecodeException {
    return only(utf8(body), WebhookFormat.AUTO);
  }

  private Alert only(byte[] body, WebhookFormat format) throws DecodeException {
    List<Alert> alerts = decoder.decode(body, "application/json", format).alerts();
    assertEquals(1, alerts.size());
    return alerts.get(0);
  }

  private String rejected(String body) {
    DecodeException e = assertThrows(DecodeException.class,
        () -> decoder.decode(utf8(body), "application/json", WebhookFormat.AUTO));
    assertFalse(e.isTooLarge(), "a bad value is a 400, not a 413");
    return e.getMessage();
  }

  private static String amBody(String extraTop, String fingerprint) {
    return "{" + extraTop + "\"alerts\":[{\"status\":\"firing\",\"labels\":{\"alertname\":\"A\","
        + "\"severity\":\"critical\"},\"annotations\":{\"summary\":\"s\"}"
        + (fingerprint == null ? "" : ",\"fingerprint\":\"" + fingerprint + "\"") + "}]}";
  }

  private static String direct(String severity, String source, String summary, String extra) {
    return "{\"severity\":\"" + severity + "\",\"source\":\"" + source + "\",\"summary\":\""
        + summary + "\"" + extra + "}";
  }

  // Two tools, one string.

  @Test
  void theSameStringFromTwoToolsNeverCollides() throws DecodeException {
    Alert alertmanager = only(amBody("", SHARED));
    Alert grafana = only(amBody("\"orgId\":1,", SHARED));
    Alert direct = only(direct("critical", "alertmanager/A", "s",
        ",\"fingerprint\":\"" + SHARED + "\""));

    assertEquals("alertmanager:" + SHARED, alertmanager.fingerprint());
    assertEquals("grafana:" + SHARED, grafana.fingerprint());
    assertEquals("direct:" + SHARED, direct.fingerprint());
    Set<String> tokens = new HashSet<>(List.of(alertmanager.fingerprintToken(),
        grafana.fingerprintToken(), direct.fingerprintToken()));
    assertEquals(3, tokens.size(), "the ledger keys differ too: " + tokens);
  }

  @Test
  void aDirectCallerCannotTakeAKumaMonitorsOrAHealthchecksChecksIdentity() throws DecodeException {
    Alert kuma = only(bytes("sample-kuma-down.json"), WebhookFormat.AUTO);
    Alert healthchecks = only(bytes("sample-healthchecks-down.json"), WebhookFormat.AUTO);

    assertNotEquals(kuma.fingerprint(), only(direct("critical", "kuma/cabal-imap", "x",
        ",\"fingerprint\":\"7\"")).fingerprint());
    assertNotEquals(healthchecks.fingerprint(), only(direct("critical",
        "backup/healthchecks/certbot-renew", "x",
        ",\"fingerprint\":\"healthchecks/certbot-renew\"")).fingerprint());
  }

  // Alertmanager and Grafana.

  @Test
  void missingFingerprintIsTheOneAlertmanagerWouldHaveSent() throws DecodeException {
    byte[] recorded = bytes("alertmanager-0.25-mixed-severity.json");
    String stripped = new String(recorded, StandardCharsets.UTF_8)
        .replaceAll(",\"fingerprint\":\"[0-9a-f]{16}\"", "");
    assertFalse(stripped.contains("fingerprint"));

    List<Alert> given = decoder.decode(recorded, null, WebhookFormat.AUTO).alerts();
    List<Alert> derived = decoder.decode(utf8(stripped), null, WebhookFormat.AUTO).alerts();

    assertEquals(given, derived, "Alertmanager 0.25's own fingerprints, recomputed");
    assertEquals("6d4e7d215737ab74", AlertmanagerReader.labelSetFingerprint(labels(
        "severity", "warning", "alertname", "DovecotAuthFailuresHigh", "capture", "mixed",
        "instance", "mail-1.cabal.internal:9166", "job", "dovecot", "service", "mail")));
  }

  @Test
  void derivedAlertmanagerFingerprintIsPrefixedAndStableAcrossFiringAndResolved()
      throws DecodeException {
    Alert firing = only(amBody("", null));
    Alert resolved = only(amBody("", null).replace("firing", "resolved"));
    Alert blank = only(amBody("", " "));

    assertTrue(firing.fingerprint().startsWith("alertmanager:"), firing.fingerprint());
    assertEquals(firing.fingerprint(), resolved.fingerprint());
    assertEquals(firing.fingerprint(), blank.fingerprint(), "a blank fingerprint is none");
    assertTrue(only(amBody("\"state\":\"alerting\",", null)).fingerprint()
        .startsWith("grafana:"));
  }

  // Uptime Kuma.

  @Test
  void kumaDownAndUpOfOneMonitorShareItsIdentity() throws DecodeException {
    Alert down = only(bytes("sample-kuma-down.json"), WebhookFormat.AUTO);
    Alert up = only(bytes("sample-kuma-up.json"), WebhookFormat.AUTO);

    assertEquals(AlertStatus.FIRING, down.status());
    assertEquals(AlertStatus.RESOLVED, up.status());
    assertEquals("kuma:7", down.fingerprint());
    assertEquals(down.fingerprint(), up.fingerprint());
    assertEquals(down.fingerprintToken(), up.fingerprintToken());
  }

  private static String kuma(int status, String monitor, String msg) {
    return "{\"heartbeat\":{\"status\":" + status + ",\"msg\":\"x\"},\"monitor\":" + monitor
        + ",\"msg\":\"" + msg + "\"}";
  }

  @Test
  void kumaMonitorIsItsIdElseItsName() throws DecodeException {
    String withId = "{\"id\":12,\"name\":\"Webmail\"}";
    String otherId = "{\"id\":13,\"name\":\"Webmail\"}";
    String nameOnly = "{\"name\":\" Web\\nmail \",\"id\":null}";

    assertEquals("kuma:12", only(kuma(0, withId, "down")).fingerprint());
    assertEquals("kuma:12", only(kuma(1, withId, "up, another text")).fingerprint());
    assertNotEquals(only(kuma(0, withId, "down")).fingerprint(),
        only(kuma(0, otherId, "down")).fingerprint(), "two monitors of one name differ");
    assertEquals("kuma:Web mail", only(kuma(0, nameOnly, "down")).fingerprint());
    assertEquals("kuma:Web mail", only(kuma(1, nameOnly, "up")).fingerprint());
  }

  @Test
  void kumaMonitorIdThatIsNoWholeNumberIsNamed() {
    assertEquals("/monitor/id must be a whole number or null, got a string",
        rejected(kuma(0, "{\"id\":\"12\",\"name\":\"W\"}", "down")));
    assertEquals("/monitor/id must be a whole number or null, got a number",
        rejected(kuma(0, "{\"id\":1.5,\"name\":\"W\"}", "down")));
  }

  // Healthchecks.

  @Test
  void healthchecksDownAndUpOfOneCheckShareItsIdentity() throws DecodeException {
    Alert down = only(direct("critical", "healthchecks/certbot-renewal",
        "Missed heartbeat: certbot-renewal", ""));
    Alert up = only(direct("warning", "healthchecks/certbot-renewal",
        "Recovered: certbot-renewal", ",\"status\":\"up\""));
    Alert other = only(direct("critical", "healthchecks/aws-backup",
        "Missed heartbeat: aws-backup", ""));

    assertEquals("healthchecks:healthchecks/certbot-renewal", down.fingerprint());
    assertEquals(down.fingerprint(), up.fingerprint());
    assertTrue(up.isResolved());
    assertNotEquals(down.fingerprint(), other.fingerprint());
  }

  @Test
  void healthchecksBodyWithAFingerprintKeepsItInTheHealthchecksNamespace()
      throws DecodeException {
    assertEquals("healthchecks:1f0e5b8a-check", only(direct("critical",
        "healthchecks/certbot-renewal", "x", ",\"fingerprint\":\"1f0e5b8a-check\""))
        .fingerprint());
  }

  // The direct shape.

  @Test
  void directFingerprintIsTheIdentityWhateverTheTexts() throws DecodeException {
    Alert first = only(direct("critical", "backup/vol", "backup of vol-1 failed: disk full",
        ",\"fingerprint\":\"backup-vol-1\""));
    Alert second = only(direct("warning", "backup/other", "still failing",
        ",\"fingerprint\":\" backup-vol-1\\t\""));
    Alert unicode = only(direct("critical", "s", "x",
        ",\"fingerprint\":\"Z\u00FCrich \u2713 \uD83D\uDD25\""));

    assertEquals("direct:backup-vol-1", first.fingerprint());
    assertEquals(first.fingerprint(), second.fingerprint(), "cleaned to one line, trimmed");
    assertEquals("direct:Z\u00FCrich \u2713 \uD83D\uDD25", unicode.fingerprint());
    assertEquals(16, unicode.fingerprintToken().length(), "hashed for the ledger");
  }

  @Test
  void directWithoutFingerprintLeavesTheIdentityToAlert() throws DecodeException {
    Alert decoded = only(direct("critical", "backup/vol", "backup of vol-1 failed: disk full",
        ",\"labels\":{\"volume\":\"vol-1\"}"));
    Alert rebuilt = new Alert(decoded.severity(), decoded.source(), decoded.summary(),
        decoded.runbook(), decoded.labels(), decoded.status(), decoded.startsAt(), null);

    assertEquals(rebuilt.fingerprint(), decoded.fingerprint());
    assertFalse(decoded.fingerprint().startsWith("direct:"), decoded.fingerprint());
    assertEquals(decoded, only(utf8(direct("critical", "backup/vol",
        "backup of vol-1 failed: disk full", ",\"labels\":{\"volume\":\"vol-1\"}")),
        WebhookFormat.DIRECT));
  }

  @Test
  void directFingerprintOfUpTo200CharactersIsKept() throws DecodeException {
    String longest = "\uD83D\uDD25".repeat(200);
    assertEquals("direct:" + longest, only(direct("info", "s", "x",
        ",\"fingerprint\":\"" + longest + "\"")).fingerprint(), "200 code points, 400 chars");
    assertEquals("direct:a", only(direct("info", "s", "x", ",\"fingerprint\":\"a\""))
        .fingerprint());
  }

  @Test
  void badFingerprintValuesAreA400NamingThePointer() {
    String base = "{\"severity\":\"critical\",\"source\":\"s\",\"summary\":\"x\",\"fingerprint\":";
    assertEquals("/fingerprint must be a string, got a number", rejected(base + "42}"));
    assertEquals("/fingerprint must be a string, got null", rejected(base + "null}"));
    assertEquals("/fingerprint must be a string, got an object", rejected(base + "{}}"));
    assertEquals("/fingerprint must be a string, got an array", rejected(base + "[\"a\"]}"));
    assertEquals("/fingerprint must be a string, got a boolean", rejected(base + "true}"));
    String blank = "/fingerprint is blank: a fingerprint is 1 to 200 characters that name"
        + " the alert";
    assertEquals(blank, rejected(base + "\"\"}"));
    assertEquals(blank, rejected(base + "\" \\n\\t \"}"));
    assertEquals("/fingerprint is 201 characters long, over the limit of 200",
        rejected(base + "\"" + "a".repeat(201) + "\"}"));
    assertEquals("/fingerprint must be a string, got a number",
        rejected("{\"fingerprint\":1,\"severity\":\"critical\",\"source\":\"s\",\"summary\":\"x\"}"),
        "named wherever it stands");
  }

  // Tests are tests.

  private static String grafanaTest(String alertname, String instance, String summary) {
    return "{\"receiver\":\"cabal\",\"status\":\"firing\",\"orgId\":1,\"state\":\"alerting\","
        + "\"alerts\":[{\"status\":\"firing\",\"labels\":{\"alertname\":\"" + alertname + "\","
        + "\"instance\":\"" + instance + "\"},\"annotations\":{\"summary\":\"" + summary + "\"},"
        + "\"startsAt\":\"2026-08-21T09:20:10Z\",\"endsAt\":\"0001-01-01T00:00:00Z\","
        + "\"generatorURL\":\"\",\"fingerprint\":\"57c6d9296de2ad39\",\"silenceURL\":"
        + "\"https://g/silence\",\"dashboardURL\":\"\",\"panelURL\":\"\",\"values\":null,"
        + "\"valueString\":\"[ metric='foo' labels={instance=bar} value=10 ]\"}],"
        + "\"groupLabels\":{\"alertname\":\"TestAlert\",\"instance\":\"Grafana\"},"
        + "\"commonLabels\":{},\"commonAnnotations\":{},\"externalURL\":\"https://g/\","
        + "\"version\":\"1\",\"groupKey\":\"test-57c6d9296de2ad39-1787300410\","
        + "\"truncatedAlerts\":0,\"title\":\"[FIRING:1] TestAlert Grafana\","
        + "\"message\":\"**Firing**\"}";
  }

  @Test
  void grafanaContactPointTestIsATestNotification() throws DecodeException {
    Alert test = only(grafanaTest("TestAlert", "Grafana", "Notification test"));

    assertTrue(test.isTest());
    assertEquals("true", test.labels().get(Labels.TEST));
    assertEquals("grafana/TestAlert/Grafana", test.source());
    assertEquals("Notification test", test.summary());
    assertEquals("grafana:57c6d9296de2ad39", test.fingerprint());
  }

  @Test
  void onlyGrafanasOwnTestAlertIsATest() throws DecodeException {
    assertFalse(only(grafanaTest("TestAlert", "mail-1", "Notification test")).isTest());
    assertFalse(only(grafanaTest("TestAlert", "Grafana", "disk full")).isTest());
    assertFalse(only(grafanaTest("DiskFull", "Grafana", "Notification test")).isTest());
    assertFalse(only(utf8(grafanaTest("TestAlert", "Grafana", "Notification test")),
        WebhookFormat.ALERTMANAGER).isTest(), "Alertmanager has no such test");
    assertTrue(only(utf8(grafanaTest("TestAlert", "Grafana", "Notification test")),
        WebhookFormat.GRAFANA).isTest());
  }

  @Test
  void kumaTestButtonIsStillATestNotification() throws DecodeException {
    assertTrue(only("{\"heartbeat\":null,\"monitor\":null,\"msg\":\"Cabal sink Testing\"}")
        .isTest());
  }
}
