package com.cabalmail.alert.decode;

import com.cabalmail.alert.Alert;
import com.cabalmail.alert.AlertStatus;
import com.cabalmail.alert.Labels;
import com.cabalmail.alert.Severity;
import com.cabalmail.http.Text;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Uptime Kuma's default webhook body ({@code heartbeat}, {@code monitor}, {@code msg}).
 * Heartbeat status 0 (down) is a critical alert firing, 1 (up) the same alert resolved, 2
 * (pending) a warning, 3 (maintenance) info. Without heartbeat and monitor, the Test button is a
 * test notification and a certificate or domain expiry notice a warning (see {@link #notice}).
 * Down and up of one monitor are the same alert: a heartbeat's identity is its monitor
 * ({@link KumaReader#identity}). A notice without a heartbeat has no monitor state to follow, so
 * its identity is left to {@link Alert}, which derives it.
 */
final class KumaDecoder {

  /** The monitor's URL, when it is an http(s) URL with a host. */
  static final String MONITOR_URL = "monitor_url";
  /** The monitor's host name, when it has one. */
  static final String HOSTNAME = "hostname";

  /** What a notice without heartbeat and monitor was: {@code test}, {@code certificate}, … */
  static final String NOTICE = "notice";
  /** Days left before the certificate or domain expires, as Kuma said. */
  static final String DAYS_LEFT = "days_left";

  private static final String[] STATES = {"down", "up", "pending", "under maintenance"};
  /** {@code [<monitor>][<url or host>] Certificate will expire in 14 days} (1.x: "will be expired"). */
  private static final Pattern CERTIFICATE = Pattern.compile(
      "^\\[(.+)\\]\\s*\\[([^\\]]*)\\]\\s*(.*certificate.*?(-?\\d+) days?.*)$",
      Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
  /** {@code Domain name example.com will expire in 7 days} ({@code server/model/domain_expiry.js}). */
  private static final Pattern DOMAIN = Pattern.compile(
      "^Domain name (\\S+) .*?(-?\\d+) days?.*$", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

  private KumaDecoder() {}

  /**
   * A body with {@code heartbeat} and {@code monitor} both null: the Test button
   * ({@code "<notification name> Testing"}) is a test notification, marked
   * {@link Labels#TEST} so the routing table sends it quietly; a certificate or domain expiry
   * notice (or any other notice) is a warning that stays firing, since Kuma never sends its end.
   */
  private static Alert notice(String msg) {
    String text = msg == null ? "" : msg.strip();
    Map<String, String> labels = new LinkedHashMap<>();
    Matcher certificate = CERTIFICATE.matcher(text);
    Matcher domain = DOMAIN.matcher(text);
    String source;
    if (certificate.matches()) {
      labels.put(NOTICE, "certificate-expiry");
      String target = Text.singleLine(certificate.group(2).strip());
      if (!target.isEmpty()) {
        labels.put(BodyReader.httpUrl(target) != null ? MONITOR_URL : HOSTNAME, target);
      }
      labels.put(DAYS_LEFT, certificate.group(4));
      source = "kuma/" + Text.singleLine(certificate.group(1).strip());
    } else if (domain.matches()) {
      labels.put(NOTICE, "domain-expiry");
      labels.put(HOSTNAME, Text.singleLine(domain.group(1)));
      labels.put(DAYS_LEFT, domain.group(2));
      source = "kuma/" + Text.singleLine(domain.group(1));
    } else if (text.isEmpty() || text.endsWith(" Testing") || text.equals("Testing")) {
      // Without a message there is nothing to warn about: the quieter reading, a test.
      labels.put(Labels.TEST, "true");
      labels.put(NOTICE, "test");
      return new Alert(Severity.INFO, "kuma", text.isEmpty() ? "Uptime Kuma test notification"
          : text,
          Optional.empty(), labels, AlertStatus.FIRING, Optional.empty(), null);
    } else {
      labels.put(NOTICE, "other");
      source = "kuma";
    }
    return new Alert(Severity.WARNING, source, text, Optional.empty(), labels,
        AlertStatus.FIRING, Optional.empty(), null);
  }

  static List<Alert> alerts(KumaReader body) throws DecodeException {
    if (!body.heartbeatPresent && !body.monitorPresent && body.msg == null) {
      throw new DecodeException("not an Uptime Kuma body: none of /heartbeat, /monitor, /msg"
          + " is present");
    }
    KumaReader.Monitor monitor = body.monitor;
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
    KumaReader.Heartbeat heartbeat = body.heartbeat;
    if (heartbeat == null && monitor == null) {
      return List.of(notice(msg));
    }
    if (heartbeat == null) {
      String summary = msg == null || msg.isBlank() ? "Uptime Kuma notification" : msg;
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
        Optional.ofNullable(startsAt), KumaReader.identity(monitor)));
  }
}
