package com.cabalmail.alert.decode;

import com.cabalmail.alert.AlertStatus;
import com.cabalmail.http.Text;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The fields of Alertmanager's webhook (version 4) and Grafana's (version 1):
 * {@code alerts}, {@code truncatedAlerts}, and {@code orgId} or {@code state}, which only tell
 * Grafana apart. Its identity rule: an alert is its tool's {@code fingerprint}, namespaced by
 * tool ({@code alertmanager:<fingerprint>}, {@code grafana:<fingerprint>}); an alert without one
 * gets the fingerprint Alertmanager itself computes from its labels (FNV-1a 64 over the labels
 * sorted by name), so firing and resolved still match.
 */
final class AlertmanagerReader {

  private static final Instant GO_ZERO_TIME = Instant.parse("0001-01-01T00:00:00Z");
  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;
  private static final byte LABEL_SEPARATOR = (byte) 0xff;

  private final int maxAlerts;

  /** {@code alerts[]}, or null when absent. */
  List<AmAlert> alerts;
  int truncatedAlerts;
  /** Whether {@code orgId} or {@code state} is present: Grafana, in {@code AUTO} mode. */
  boolean grafanaMarker;

  AlertmanagerReader(int maxAlerts) {
    this.maxAlerts = maxAlerts;
  }

  /**
   * One element of {@code alerts[]}. Its labels are already cleaned single-line text, in a
   * mutable map the decoder completes with the well-known labels before building the alert;
   * {@code fingerprint} is the tool's, or the one derived from the labels as received.
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

  /** Whether the body has this format's defining field. */
  boolean present() {
    return alerts != null;
  }

  /**
   * The identity of {@code alert} sent by {@code tool} ({@code alertmanager} or
   * {@code grafana}): {@code <tool>:<fingerprint>}.
   */
  static String identity(String tool, AmAlert alert) {
    return tool + ":" + alert.fingerprint();
  }

  /**
   * Reads the value of top-level field {@code name} if it is one of this format's.
   *
   * @return false when the field is not this format's to read (the caller skips it)
   */
  boolean field(String name, JsonCursor in) throws IOException, DecodeException {
    switch (name) {
      case "alerts":
        alerts = alerts(in);
        return true;
      case "truncatedAlerts":
        truncatedAlerts = in.integer(0, Integer.MAX_VALUE);
        return true;
      case "orgId":
      case "state":
        grafanaMarker = true;
        return false;
      default:
        return false;
    }
  }

  private List<AmAlert> alerts(JsonCursor in) throws IOException, DecodeException {
    in.expect(JsonToken.START_ARRAY, "an array of alerts");
    List<AmAlert> read = new ArrayList<>();
    while (in.next() != JsonToken.END_ARRAY) {
      if (read.size() == maxAlerts) {
        throw DecodeException.tooLarge(
            "/alerts has more than " + maxAlerts + " alerts, the limit of this decoder");
      }
      read.add(alert(in, read.size()));
    }
    return read;
  }

  private static AmAlert alert(JsonCursor in, int index) throws IOException, DecodeException {
    in.expect(JsonToken.START_OBJECT, "an alert object");
    AlertStatus status = null;
    Map<String, String> labels = null;
    Map<String, String> annotations = Map.of();
    Instant startsAt = null;
    String generatorUrl = "";
    String fingerprint = "";
    String silenceUrl = "";
    String dashboardUrl = "";
    String panelUrl = "";
    while (in.next() == JsonToken.FIELD_NAME) {
      String name = in.name();
      in.next();
      switch (name) {
        case "status":
          status = status(in);
          break;
        case "labels":
          labels = in.stringMap(true);
          break;
        case "annotations":
          annotations = in.stringMap(false);
          break;
        case "startsAt":
          startsAt = in.rfc3339(GO_ZERO_TIME);
          break;
        case "generatorURL":
          generatorUrl = in.string();
          break;
        case "fingerprint":
          fingerprint = in.string();
          break;
        case "silenceURL":
          silenceUrl = in.string();
          break;
        case "dashboardURL":
          dashboardUrl = in.string();
          break;
        case "panelURL":
          panelUrl = in.string();
          break;
        default:
          in.skip();
      }
    }
    String at = "/alerts/" + index;
    if (status == null) {
      throw new DecodeException(at + "/status is missing; allowed: firing, resolved");
    }
    if (labels == null) {
      throw new DecodeException(at + "/labels is missing: every alert has labels");
    }
    String alertname = labels.get("alertname");
    if (alertname == null || alertname.isBlank()) {
      throw new DecodeException(at + "/labels/alertname is "
          + (alertname == null ? "missing" : "blank") + ": every alert has a name");
    }
    String identity = Text.singleLine(fingerprint);
    if (identity.isEmpty()) {
      identity = labelSetFingerprint(labels);
    }
    return new AmAlert(index, status, labels, annotations, startsAt, generatorUrl,
        identity, silenceUrl, dashboardUrl, panelUrl);
  }

  private static AlertStatus status(JsonCursor in) throws IOException, DecodeException {
    String text = in.string();
    if (text.equals("firing")) {
      return AlertStatus.FIRING;
    }
    if (text.equals("resolved")) {
      return AlertStatus.RESOLVED;
    }
    throw new DecodeException(in.pointer() + " " + Text.quote(text)
        + " is not an alert status; allowed: firing, resolved");
  }

  /**
   * 16 hex digits of Alertmanager's own label-set fingerprint: FNV-1a 64 over each label's
   * name and value, sorted by name, each followed by the byte 0xff. The same labels always
   * give the same fingerprint, and a body that left it out gets the one Alertmanager would
   * have sent.
   */
  static String labelSetFingerprint(Map<String, String> labels) {
    long hash = FNV_OFFSET;
    for (Map.Entry<String, String> label : new TreeMap<>(labels).entrySet()) {
      hash = fnv(hash, label.getKey().getBytes(StandardCharsets.UTF_8));
      hash = fnv(hash, label.getValue().getBytes(StandardCharsets.UTF_8));
    }
    String hex = Long.toHexString(hash);
    return "0".repeat(16 - hex.length()) + hex;
  }

  private static long fnv(long hash, byte[] bytes) {
    for (byte b : bytes) {
      hash = (hash ^ (b & 0xff)) * FNV_PRIME;
    }
    return (hash ^ (LABEL_SEPARATOR & 0xff)) * FNV_PRIME;
  }
}
