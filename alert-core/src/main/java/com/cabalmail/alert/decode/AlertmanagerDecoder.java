package com.cabalmail.alert.decode;

import com.cabalmail.alert.Alert;
import com.cabalmail.alert.Labels;
import com.cabalmail.alert.Severity;
import com.cabalmail.http.Text;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Alertmanager's webhook (version 4) and Grafana's (version 1, the same shape with extras):
 * every element of {@code alerts[]} becomes its own alert. Free-form parts the operator wrote
 * in many rules (a severity label, a runbook annotation) never reject the body: an unusable
 * value is replaced and the reason recorded in a label the operator sees. The identity is the
 * tool's fingerprint, namespaced by tool ({@link AlertmanagerReader#identity}). Grafana's
 * contact-point test is a test notification ({@link Alert#isTest()}).
 */
final class AlertmanagerDecoder {

  private AlertmanagerDecoder() {}

  /** Grafana's contact-point test: {@code alertname} {@value}. */
  static final String GRAFANA_TEST_ALERTNAME = "TestAlert";
  /** Grafana's contact-point test: {@code instance} {@value}. */
  static final String GRAFANA_TEST_INSTANCE = "Grafana";
  /** Grafana's contact-point test: the {@code summary} annotation {@value}. */
  static final String GRAFANA_TEST_SUMMARY = "Notification test";

  static List<Alert> alerts(AlertmanagerReader body, boolean grafana, SeverityAliases aliases)
      throws DecodeException {
    if (body.alerts == null) {
      throw new DecodeException("/alerts is missing: an " + (grafana ? "Grafana" : "Alertmanager")
          + " body carries its alerts in an array");
    }
    if (body.alerts.isEmpty()) {
      throw new DecodeException("/alerts is empty: a notification carries at least one alert");
    }
    String tool = grafana ? "grafana" : "alertmanager";
    List<Alert> alerts = new ArrayList<>(body.alerts.size());
    for (AlertmanagerReader.AmAlert given : body.alerts) {
      alerts.add(alert(given, tool, grafana, body.truncatedAlerts, aliases));
    }
    return alerts;
  }

  /**
   * Whether {@code given} is Grafana's contact-point test ({@code newTestAlert} in
   * grafana/alerting): alertname {@value #GRAFANA_TEST_ALERTNAME}, instance
   * {@value #GRAFANA_TEST_INSTANCE} and the summary annotation {@value #GRAFANA_TEST_SUMMARY}.
   */
  static boolean isGrafanaTest(AlertmanagerReader.AmAlert given) {
    return GRAFANA_TEST_ALERTNAME.equals(given.labels().get("alertname"))
        && GRAFANA_TEST_INSTANCE.equals(given.labels().get("instance"))
        && GRAFANA_TEST_SUMMARY.equals(given.annotations().get("summary"));
  }

  private static Alert alert(AlertmanagerReader.AmAlert given, String tool, boolean grafana,
      int truncated, SeverityAliases aliases) {
    String identity = AlertmanagerReader.identity(tool, given);
    boolean test = grafana && isGrafanaTest(given);
    Map<String, String> labels = given.labels();
    String alertname = labels.get("alertname");
    String instance = labels.get("instance");
    String source = tool + "/" + alertname
        + (instance == null || instance.isBlank() ? "" : "/" + instance);

    Severity severity = Severity.WARNING;
    String label = labels.get("severity");
    if (label == null) {
      labels.put(Labels.SEVERITY_ASSUMED, "labels.severity missing");
    } else {
      Severity named = aliases.find(label);
      if (named == null) {
        labels.put(Labels.SEVERITY_ASSUMED, "labels.severity " + Text.quote(label)
            + " unknown; allowed: critical, warning, info, or an alias ("
            + WebhookDecoder.SEVERITY_ALIASES + ")");
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
        labels.put(Labels.RUNBOOK_TEXT, Text.singleLine(runbookText.strip()));
      }
    }

    putLink(labels, Labels.GENERATOR_URL, given.generatorUrl());
    putLink(labels, Labels.DASHBOARD_URL, given.dashboardUrl());
    putLink(labels, Labels.PANEL_URL, given.panelUrl());
    putLink(labels, Labels.SILENCE_URL, given.silenceUrl());
    if (truncated > 0) {
      labels.put(Labels.TRUNCATED_ALERTS, Integer.toString(truncated));
    }
    if (test) {
      labels.put(Labels.TEST, "true");
    }
    return new Alert(severity, source, summary, Optional.ofNullable(runbook), labels,
        given.status(), Optional.ofNullable(given.startsAt()), identity);
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
