package com.cabalmail.sink;

import com.cabalmail.alert.Alert;
import com.cabalmail.alert.spi.Settings;
import com.cabalmail.heartbeat.Heartbeat;
import com.cabalmail.heartbeat.PingOutcome;
import com.cabalmail.http.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dead man's switch: alerts that exist only to prove the alerting path works (Alertmanager's
 * always-firing {@code Watchdog}) are never routed to a transport; each request carrying one
 * pings a Healthchecks check instead, which pages through its own integrations when the pings
 * stop.
 *
 * <p>Which alerts: {@value #MATCH} (default {@value #DEFAULT_MATCH}), one or more matchers
 * separated by commas, any of which makes an alert a watchdog. A matcher is {@code name=value}:
 * {@code source=<source>} compares the alert's source exactly ({@code alertmanager/Watchdog},
 * {@code kuma/Watchdog}, {@code healthchecks/sink-watchdog}, or a direct body's own
 * {@code source}); any other name compares that label exactly ({@code alertname=Watchdog}).
 * {@code none} turns the switch off: such alerts are then routed like any other.
 *
 * <p>Answers: the ping delivered: 200 {@code {"watchdog":"pinged",…}}; the ping failed (no
 * answer, 5xx, 429, unknown check): 503 {@code {"error":…,"watchdog":"ping-failed",…}} so the
 * sender retries; no ping URL, or one that is not http(s) (the {@code paused} convention): 200
 * {@code {"watchdog":"dropped",…}}, logged once per cold start; only resolved watchdogs (their
 * source stopped sending them): 200 {@code {"watchdog":"not-pinged",…}} and a warning, since
 * nothing proves the path works. Thread-safe.
 */
final class Watchdog {

  private static final Logger log = LoggerFactory.getLogger(Watchdog.class);

  /** Which alerts are watchdogs. */
  static final String MATCH = "ALERT_WATCHDOG";
  /** The Healthchecks ping URL (a secret: the URL is the credential). */
  static final String PING_URL = "ALERT_WATCHDOG_PING_URL";
  /** Alertmanager's conventional always-firing alert. */
  static final String DEFAULT_MATCH = "alertname=Watchdog";
  /** The matcher name that compares the alert's source instead of a label. */
  static final String SOURCE = "source";
  /** The longest a ping may take: Healthchecks' own client guidance is 10 s per attempt. */
  static final Duration MAX_PING = Heartbeat.DEFAULT_TIMEOUT;

  /** One condition: a label, or the source, equal to a value. */
  record Matcher(String name, String value) {
    boolean matches(Alert alert) {
      return name.equals(SOURCE) ? alert.source().equals(value)
          : value.equals(alert.labels().get(name));
    }

    @Override
    public String toString() {
      return name + "=" + value;
    }
  }

  /** What {@value #MATCH} says, parsed. */
  record Spec(List<Matcher> matchers) {
    Spec {
      matchers = List.copyOf(matchers);
    }

    boolean isOff() {
      return matchers.isEmpty();
    }

    @Override
    public String toString() {
      StringBuilder text = new StringBuilder();
      for (Matcher matcher : matchers) {
        text.append(text.length() == 0 ? "" : ",").append(matcher);
      }
      return isOff() ? "none" : text.toString();
    }
  }

  /** Alerts split into watchdogs and the rest, each in the order given. */
  record Split(List<Alert> watchdogs, List<Alert> others) {}

  private final Spec spec;
  private final Heartbeat heartbeat;
  private final String offReason;
  private final AtomicBoolean dropLogged = new AtomicBoolean();

  Watchdog(Spec spec, Heartbeat heartbeat, String offReason) {
    this.spec = spec;
    this.heartbeat = heartbeat;
    this.offReason = offReason;
  }

  /**
   * Reads {@value #MATCH}, recording a problem in {@code settings} for each malformed matcher.
   */
  static Spec spec(Settings settings) {
    String text = settings.string(MATCH, DEFAULT_MATCH);
    if (text.equalsIgnoreCase("none")) {
      return new Spec(List.of());
    }
    List<Matcher> matchers = new ArrayList<>();
    for (String raw : text.split(",", -1)) {
      String entry = raw.trim();
      int eq = entry.indexOf('=');
      String name = eq < 0 ? "" : entry.substring(0, eq).trim();
      String value = eq < 0 ? "" : entry.substring(eq + 1).trim();
      if (name.isEmpty() || value.isEmpty()) {
        settings.problem(MATCH + ": '" + entry + "' is not name=value (e.g. "
            + DEFAULT_MATCH + " or source=kuma/Watchdog; 'none' turns the watchdog off)");
        continue;
      }
      matchers.add(new Matcher(name, value));
    }
    return new Spec(matchers);
  }

  /**
   * The watchdog for {@code spec}, pinging {@code pingUrl} (absent: watchdogs are dropped) with
   * at most {@code budget} per ping, capped at {@link #MAX_PING}.
   */
  static Watchdog create(Spec spec, Optional<String> pingUrl, Duration budget) {
    if (spec.isOff()) {
      return new Watchdog(spec, null, MATCH + " is none");
    }
    if (pingUrl.isEmpty()) {
      return new Watchdog(spec, null, PING_URL + " is not set (nor " + PING_URL + "_PARAM)");
    }
    Duration timeout = budget.compareTo(MAX_PING) < 0 ? budget : MAX_PING;
    Heartbeat heartbeat = Heartbeat.builder().timeout(timeout).forUrl(pingUrl.get());
    if (!heartbeat.isEnabled()) {
      String shown = pingUrl.get().strip().toLowerCase(Locale.ROOT).startsWith("http")
          ? "is not a usable ping URL" : "is '" + pingUrl.get().strip() + "', not a URL";
      return new Watchdog(spec, null, PING_URL + " " + shown + " (pinging is paused)");
    }
    return new Watchdog(spec, heartbeat, null);
  }

  /** Which alerts are watchdogs. */
  Spec spec() {
    return spec;
  }

  /** Whether watchdogs are pinged (false: no URL, paused, or the switch is off). */
  boolean pings() {
    return heartbeat != null;
  }

  /** Whether {@code alert} is a watchdog. */
  boolean matches(Alert alert) {
    for (Matcher matcher : spec.matchers()) {
      if (matcher.matches(alert)) {
        return true;
      }
    }
    return false;
  }

  /** Splits {@code alerts}; with the switch off, nothing is a watchdog. */
  Split split(List<Alert> alerts) {
    List<Alert> watchdogs = new ArrayList<>();
    List<Alert> others = new ArrayList<>();
    for (Alert alert : alerts) {
      (matches(alert) ? watchdogs : others).add(alert);
    }
    return new Split(watchdogs, others);
  }

  /**
   * Answers a request whose alerts are all {@code watchdogs} (at least one): one ping however
   * many there are, within the ping budget.
   */
  SinkResponse answer(List<Alert> watchdogs, String requestId) {
    if (watchdogs.stream().allMatch(Alert::isResolved)) {
      String why = "only resolved watchdog alerts: their source stopped sending them, so nothing"
          + " proves the alerting path works; not pinged (Healthchecks pages when its grace"
          + " runs out)";
      log.warn("request {}: watchdog: {}", requestId, why);
      return body(200, requestId, "not-pinged", why, null);
    }
    if (heartbeat == null) {
      String why = "dropped, never routed: " + offReason;
      if (dropLogged.compareAndSet(false, true)) {
        log.warn("request {}: watchdog alert {}; later ones are dropped without a log line"
            + " until the next cold start", requestId, why);
      }
      return body(200, requestId, "dropped", why, null);
    }
    PingOutcome outcome = heartbeat.success();
    String done = outcome.detail() + " (" + outcome.attempts() + " attempt"
        + (outcome.attempts() == 1 ? "" : "s") + ")";
    if (outcome.delivered()) {
      log.info("request {}: watchdog: pinged {}: {}", requestId, heartbeat.label(), done);
      return body(200, requestId, "pinged", done, heartbeat.label());
    }
    String why = "watchdog ping " + outcome.kind().name().toLowerCase(Locale.ROOT)
        .replace('_', ' ') + ": " + done + "; retry";
    log.warn("request {}: {} ({}); answering 503 so the sender retries", requestId, why,
        heartbeat.label());
    return SinkResponse.json(503, requestId, Json.write(g -> {
      g.writeStartObject();
      g.writeStringField("error", why);
      g.writeStringField("watchdog", "ping-failed");
      g.writeStringField("check", heartbeat.label());
      g.writeStringField("requestId", requestId);
      g.writeEndObject();
    }));
  }

  private static SinkResponse body(int status, String requestId, String what, String detail,
      String check) {
    return SinkResponse.json(status, requestId, Json.write(g -> {
      g.writeStartObject();
      g.writeStringField("watchdog", what);
      g.writeStringField("detail", detail);
      if (check != null) {
        g.writeStringField("check", check);
      }
      g.writeStringField("requestId", requestId);
      g.writeEndObject();
    }));
  }

  @Override
  public String toString() {
    return "Watchdog[" + spec + (heartbeat == null ? ", " + offReason : ", pings") + "]";
  }
}
