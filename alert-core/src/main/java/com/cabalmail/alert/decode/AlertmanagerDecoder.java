package com.cabalmail.alert.decode;

import com.cabalmail.alert.Alert;
import com.cabalmail.alert.Labels;
import com.cabalmail.alert.Severity;
import com.cabalmail.alert.spi.Text;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Alertmanager's webhook (version 4) and Grafana's (version 1, the same shape with extras):
 * every element of {@code alerts[]} becomes its own alert. Free-form parts the operator wrote
 * in many rules (a severity label, a runbook annotation) never reject the body: an unusable
 * value is replaced and the reason recorded in a label the operator sees.
 */
final class AlertmanagerDecoder {

  /** Set when {@code annotations.runbook_url} is not an absolute http(s) URL. */
  static final String RUNBOOK_URL_INVALID = "runbook_url_invalid";

  private AlertmanagerDecoder() {}

  static List<Alert> alerts(Body body, boolean grafana) throws DecodeException {
    if (body.alerts == null) {
      throw new DecodeException("/alerts is missing: an " + (grafana ? "Grafana" : "Alertmanager")
          + " body carries its alerts in an array");
    }
    if (body.alerts.isEmpty()) {
      throw new DecodeException("/alerts is empty: a notification carries at least one alert");
    }
    String prefix = grafana ? "grafana/" : "alertmanager/";
    List<Alert> alerts = new ArrayList<>(body.alerts.size());
    for (Body.AmAlert given : body.alerts) {
      alerts.add(alert(given, prefix, body.truncatedAlerts));
    }
    return alerts;
  }

  private static Alert alert(Body.AmAlert given, String prefix, int truncated) {
    Map<String, String> labels = given.labels();
    String alertname = labels.get("alertname");
    String instance = labels.get("instance");
    String source = prefix + alertname
        + (instance == null || instance.isBlank() ? "" : "/" + instance);

    Severity severity = Severity.WARNING;
    String label = labels.get("severity");
    if (label == null) {
      labels.put(Labels.SEVERITY_ASSUMED, "labels.severity missing");
    } else {
      Severity named = BodyReader.severityOrNull(label);
      if (named == null) {
        labels.put(Labels.SEVERITY_ASSUMED, "labels.severity " + Text.quote(label)
            + " unknown; allowed: critical, warning, info");
      } else {
        severity = named;
      }
    }

    Map<String, String> annotations = given.annotations();
    String summary = firstText(annotations.get("summary"), annotations.get("description"));
    if (summary == null) {
      summary = alertname;
    }

    URI runbook = null;
    String runbookText = annotations.get("runbook_url");
    if (runbookText != null && !runbookText.isBlank()) {
      runbook = BodyReader.httpUrl(runbookText);
      if (runbook == null) {
        labels.put(RUNBOOK_URL_INVALID, Text.singleLine(runbookText));
      }
    }

    putLink(labels, Labels.GENERATOR_URL, given.generatorUrl());
    putLink(labels, Labels.DASHBOARD_URL, given.dashboardUrl());
    putLink(labels, Labels.PANEL_URL, given.panelUrl());
    putLink(labels, Labels.SILENCE_URL, given.silenceUrl());
    if (truncated > 0) {
      labels.put(Labels.TRUNCATED_ALERTS, Integer.toString(truncated));
    }
    return new Alert(severity, source, summary, Optional.ofNullable(runbook), labels,
        given.status(), Optional.ofNullable(given.startsAt()),
        Text.singleLine(given.fingerprint()));
  }

  /** The first of {@code candidates} that is not blank once cleaned, or null. */
  private static String firstText(String... candidates) {
    for (String candidate : candidates) {
      if (candidate != null) {
        String clean = Text.multiLine(candidate);
        if (!clean.isBlank()) {
          return clean;
        }
      }
    }
    return null;
  }

  private static void putLink(Map<String, String> labels, String name, String value) {
    if (!value.isBlank()) {
      labels.put(name, Text.singleLine(value));
    }
  }
}
