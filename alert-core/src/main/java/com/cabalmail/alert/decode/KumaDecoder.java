package com.cabalmail.alert.decode;

import com.cabalmail.alert.Alert;
import com.cabalmail.alert.AlertStatus;
import com.cabalmail.alert.Severity;
import com.cabalmail.alert.spi.Text;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Uptime Kuma's default webhook body ({@code heartbeat}, {@code monitor}, {@code msg}).
 * Heartbeat status 0 (down) is a critical alert firing, 1 (up) the same alert resolved, 2
 * (pending) a warning, 3 (maintenance) info. The "test" notification (no heartbeat) is an info
 * alert. Down and up of one monitor get the same fingerprint.
 */
final class KumaDecoder {

  /** The monitor's URL, when it is an http(s) URL with a host. */
  static final String MONITOR_URL = "monitor_url";
  /** The monitor's host name, when it has one. */
  static final String HOSTNAME = "hostname";

  private static final String[] STATES = {"down", "up", "pending", "under maintenance"};

  private KumaDecoder() {}

  static List<Alert> alerts(Body body) throws DecodeException {
    if (!body.heartbeatPresent && !body.monitorPresent && body.msg == null) {
      throw new DecodeException("not an Uptime Kuma body: none of /heartbeat, /monitor, /msg"
          + " is present");
    }
    Body.Monitor monitor = body.monitor;
    Map<String, String> labels = new LinkedHashMap<>();
    String source = "kuma";
    if (monitor != null) {
      source = "kuma/" + Text.singleLine(monitor.name());
      if (monitor.url() != null && BodyReader.httpUrl(monitor.url()) != null) {
        labels.put(MONITOR_URL, Text.singleLine(monitor.url().trim()));
      }
      if (monitor.hostname() != null && !monitor.hostname().isBlank()) {
        labels.put(HOSTNAME, Text.singleLine(monitor.hostname().trim()));
      }
    }
    String msg = body.msg == null ? null : Text.multiLine(body.msg);
    Body.Heartbeat heartbeat = body.heartbeat;
    if (heartbeat == null) {
      String summary = msg == null || msg.isBlank() ? "Uptime Kuma test notification" : msg;
      return List.of(new Alert(Severity.INFO, source, summary, Optional.empty(), labels,
          AlertStatus.FIRING, Optional.empty(), null));
    }
    if (monitor == null) {
      throw new DecodeException("/monitor is " + (body.monitorPresent ? "null" : "missing")
          + " but /heartbeat is set: the monitor's name makes the alert's source");
    }
    int status = heartbeat.status();
    String summary = msg;
    if (summary == null || summary.isBlank()) {
      String beat = heartbeat.msg() == null ? "" : Text.multiLine(heartbeat.msg()).trim();
      summary = Text.singleLine(monitor.name()) + " is " + STATES[status]
          + (beat.isEmpty() || beat.equals("N/A") ? "" : ": " + beat);
    }
    Severity severity;
    AlertStatus alertStatus = AlertStatus.FIRING;
    Instant startsAt = heartbeat.time();
    switch (status) {
      case 0:
        severity = Severity.CRITICAL;
        break;
      case 1:
        severity = Severity.CRITICAL;
        alertStatus = AlertStatus.RESOLVED;
        startsAt = heartbeat.lastDownTime();
        break;
      case 2:
        severity = Severity.WARNING;
        break;
      default:
        severity = Severity.INFO;
        break;
    }
    return List.of(new Alert(severity, source, summary, Optional.empty(), labels, alertStatus,
        Optional.ofNullable(startsAt), null));
  }
}
