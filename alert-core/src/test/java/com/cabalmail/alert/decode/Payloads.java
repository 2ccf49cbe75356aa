package com.cabalmail.alert.decode;

import com.cabalmail.alert.Alert;
import com.cabalmail.alert.AlertStatus;
import com.cabalmail.alert.Severity;
import com.cabalmail.alert.testkit.WebhookSamples;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Test bodies: the fixtures under {@code src/test/resources/payloads/} and, named
 * {@code sample-<name>}, the test kit's {@link WebhookSamples} (kept once, for every module);
 * and small builders.
 */
final class Payloads {

  /** Every fixture that is a valid webhook body. */
  static final List<String> VALID = List.of(
      "alertmanager-0.25-mixed-severity.json",
      "alertmanager-0.25-resolved.json",
      "alertmanager-0.25-partly-resolved.json",
      "alertmanager-0.25-unicode.json",
      "alertmanager-0.25-truncated.json",
      "sample-alertmanager-firing.json",
      "sample-alertmanager-resolved.json",
      "sample-grafana-firing.json",
      "sample-direct-critical.json",
      "sample-functionurl-base64-body.json",
      "sample-healthchecks-down.json",
      "sample-kuma-down.json",
      "sample-kuma-up.json",
      "kuma-custom-down.json",
      "kuma-test.json",
      "healthchecks-up.json");

  /** Fixtures that are broken as the real tool sends them. */
  static final List<String> BROKEN = List.of(
      "healthchecks-down-quote-in-name.json",
      "healthchecks-down-backslash-in-name.json");

  private static final String SAMPLE = "sample-";

  private Payloads() {}

  static byte[] bytes(String name) {
    String sample = name.startsWith(SAMPLE) ? name.substring(SAMPLE.length()) : "";
    if (WebhookSamples.ALL.contains(sample)) {
      return WebhookSamples.bytes(sample);
    }
    try (InputStream in = Payloads.class.getResourceAsStream("/payloads/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** Labels in the order given: name, value, name, value... */
  static Map<String, String> labels(String... namesAndValues) {
    Map<String, String> labels = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      labels.put(namesAndValues[i], namesAndValues[i + 1]);
    }
    return labels;
  }

  /** An expected alert, every field given; a null fingerprint means the derived one. */
  static Alert alert(Severity severity, String source, String summary, String runbook,
      Map<String, String> labels, AlertStatus status, String startsAt, String fingerprint) {
    return new Alert(severity, source, summary,
        Optional.ofNullable(runbook).map(URI::create), labels, status,
        Optional.ofNullable(startsAt).map(Instant::parse), fingerprint);
  }
}
