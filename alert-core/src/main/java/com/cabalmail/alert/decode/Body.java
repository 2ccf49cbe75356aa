package com.cabalmail.alert.decode;

import com.cabalmail.alert.AlertStatus;
import com.cabalmail.alert.Severity;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The fields of one body that any decoder uses, read in a single streaming pass before the
 * format is known. Each top-level name has exactly one reading rule, whatever the format, so
 * reading is deterministic; values are already type-checked and parsed, with JSON pointers in
 * every error. A field absent from the body stays null.
 */
final class Body {

  /** Top-level names in body order (at most a few), for the "cannot tell" message. */
  final List<String> names = new ArrayList<>();

  // Alertmanager and Grafana.
  List<AmAlert> alerts;
  int truncatedAlerts;
  boolean grafanaMarker;

  // Uptime Kuma's default body.
  boolean heartbeatPresent;
  boolean monitorPresent;
  Heartbeat heartbeat;
  Monitor monitor;
  String msg;

  // The direct shape (Kuma's custom body, Healthchecks).
  Severity severity;
  String source;
  String summary;
  URI runbook;
  /** A {@code runbook_url} that is not a link, kept as text. */
  String runbookText;
  Map<String, String> labels;
  AlertStatus status;

  /**
   * One element of {@code alerts[]}. Its labels are already cleaned single-line text, in a
   * mutable map the decoder completes with the well-known labels before building the alert.
   */
  record AmAlert(
      int index,
      AlertStatus status,
      Map<String, String> labels,
      Map<String, String> annotations,
      Instant startsAt,
      String generatorUrl,
      String fingerprint,
      String silenceUrl,
      String dashboardUrl,
      String panelUrl) {}

  /** Kuma's {@code heartbeat}. */
  record Heartbeat(int status, String msg, Instant time, Instant lastDownTime) {}

  /** Kuma's {@code monitor}, the little of it that is used. */
  record Monitor(String name, String url, String hostname) {}
}
