package com.cabalmail.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertTest {

  @Test
  void severityAndStatusParseCaseInsensitivelyAndListTheAllowedValues() {
    assertEquals(Severity.CRITICAL, Severity.parse(" Critical "));
    assertEquals(AlertStatus.RESOLVED, AlertStatus.parse("RESOLVED"));
    assertEquals("unknown severity 'page'; allowed: critical, warning, info",
        assertThrows(IllegalArgumentException.class, () -> Severity.parse("page")).getMessage());
    assertEquals("unknown status null; allowed: firing, resolved",
        assertThrows(IllegalArgumentException.class, () -> AlertStatus.parse(null)).getMessage());
  }

  @Test
  void theDerivedFingerprintCoversWhatTheOperatorReadsButNotLabelOrderOrStatus() {
    Map<String, String> ab = new LinkedHashMap<>();
    ab.put("a", "1");
    ab.put("b", "2");
    Map<String, String> ba = new LinkedHashMap<>();
    ba.put("b", "2");
    ba.put("a", "1");
    Alert firing = Alert.firing(Severity.CRITICAL, "src", "x").withLabels(ab);
    Alert resolved = Alert.resolved(Severity.CRITICAL, "src", "x").withLabels(ba);

    assertEquals(firing.fingerprint(), resolved.fingerprint());
    assertEquals(16, firing.fingerprint().length());
    assertFalse(firing.isIdentified());
    assertNotEquals(firing.fingerprint(), firing.withLabel("c", "3").fingerprint(),
        "a derived fingerprint follows the labels");
    assertNotEquals(firing.fingerprint(), firing.withSummary("y").fingerprint(),
        "a different problem from the same source is another alert");
    assertNotEquals(firing.fingerprint(),
        Alert.firing(Severity.WARNING, "src", "x").withLabels(ab).fingerprint(),
        "so is the same text at another severity");
    assertEquals(firing.fingerprint(), firing.withLabel("__firing_priority", "2").fingerprint(),
        "internal markers are not what the operator reads");
  }

  @Test
  void anIdentityIsKeptAndScopesTheRecoveryToItselfWhileADerivedOneScopesToTheSource() {
    Alert given = Alert.firing(Severity.CRITICAL, "src", "x").withFingerprint("direct:abc");
    assertTrue(given.isIdentified());
    assertEquals("direct:abc", given.withSummary("y").withLabel("c", "3").fingerprint());
    assertEquals(given.fingerprintToken(), given.scopeToken());

    Alert one = Alert.firing(Severity.CRITICAL, "backup/vol", "vol-1 failed: disk full");
    Alert two = Alert.firing(Severity.CRITICAL, "backup/vol", "vol-2 failed: access denied");
    Alert recovery = Alert.resolved(Severity.CRITICAL, "backup/vol", "backups ok");
    assertNotEquals(one.fingerprintToken(), two.fingerprintToken());
    assertEquals(one.scopeToken(), two.scopeToken());
    assertEquals(one.scopeToken(), recovery.scopeToken());
    assertNotEquals(one.scopeToken(), Alert.firing(Severity.CRITICAL, "backup/db", "x")
        .scopeToken());
  }

  @Test
  void aGivenFingerprintIsKept() {
    Alert alert = Alert.firing(Severity.WARNING, "am/X", "x").withFingerprint("3f2a9c1d7b4e6a05");

    assertEquals("3f2a9c1d7b4e6a05", alert.withLabel("k", "v").fingerprint());
  }

  @Test
  void theFingerprintTokenIsUrlSafeAndStable() {
    Alert plain = Alert.firing(Severity.WARNING, "am/X", "x").withFingerprint("3f2a9c1d7b4e6a05");
    Alert odd = plain.withFingerprint("kuma/Zürich ✓:7");

    assertEquals("3f2a9c1d7b4e6a05", plain.fingerprintToken());
    assertEquals(16, odd.fingerprintToken().length());
    assertEquals(odd.fingerprintToken(), odd.withStatus(AlertStatus.RESOLVED).fingerprintToken());
    assertEquals(true, odd.fingerprintToken().chars().allMatch(Character::isLetterOrDigit));
  }

  @Test
  void labelsKeepTheirOrderAndCannotBeChanged() {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("z", "1");
    labels.put("a", "2");
    Alert alert = Alert.firing(Severity.INFO, "s", "x").withLabels(labels);
    labels.put("m", "3");

    assertEquals(List.of("z", "a"), List.copyOf(alert.labels().keySet()));
    assertThrows(UnsupportedOperationException.class, () -> alert.labels().put("q", "4"));
  }

  @Test
  void blankSummaryOrSourceIsRefused() {
    assertEquals("summary is blank", assertThrows(IllegalArgumentException.class,
        () -> Alert.firing(Severity.INFO, "s", " ")).getMessage());
    assertEquals("source is blank", assertThrows(IllegalArgumentException.class,
        () -> Alert.firing(Severity.INFO, "", "x")).getMessage());
  }

  @Test
  void withersChangeOneThing() {
    Alert alert = Alert.firing(Severity.CRITICAL, "s", "x")
        .withRunbook(URI.create("https://runbooks.example/x"));

    assertEquals("https://runbooks.example/x", alert.runbook().orElseThrow().toString());
    assertEquals(AlertStatus.RESOLVED, alert.withStatus(AlertStatus.RESOLVED).status());
    assertEquals("y", alert.withSummary("y").summary());
  }
}
