package com.cabalmail.sink;

import com.cabalmail.alert.Alert;
import com.cabalmail.alert.decode.AlertBatch;
import com.cabalmail.alert.decode.WebhookFormat;
import com.cabalmail.alert.spi.Settings;
import com.cabalmail.heartbeat.Heartbeat;
import com.cabalmail.heartbeat.PingOutcome;
import com.cabalmail.http.Deadline;
import com.cabalmail.http.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
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
 * {@code source}) in a body of any format: the user named that one source. Any other name
 * compares that label exactly ({@code alertname=Watchdog}), in Alertmanager bodies only,
 * whether the matcher is the default or set: the always-firing Watchdog is Alertmanager's
 * convention, and a Grafana, Kuma, Healthchecks or direct alert carrying the label is a real
 * alert, routed like any other (a stray notification costs less than a swallowed page).
 * {@code none} turns the switch off: such alerts are then routed like any other.
 *
 * <p>Answers: the ping delivered: 200 {@code {"watchdog":"pinged",…}}; the ping failed (no
 * answer, 5xx, 429, unknown check): 503 {@code {"error":…,"watchdog":"ping-failed",…}} so the
 * sender retries; no ping URL, or one that is not http(s) (the {@code paused} convention): 200
 * {@code {"watchdog":"dropped",…}}, logged once per cold start; only resolved watchdogs (their
 * source stopped sending them): 200 {@code {"watchdog":"not-pinged",…}} and a warning, since
 * nothing proves the path works. A request that also carries real alerts is answered by their
 * routing, which runs while the ping is in flight ({@link #ping}); the ping's outcome is logged.
 * Thread-safe.
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

  /**
   * One condition: the source equal to a value (in any format), or a label equal to a value
   * (in an Alertmanager body only).
   */
  record Matcher(String name, String value) {
    boolean matches(Alert alert, WebhookFormat format) {
      return name.equals(SOURCE) ? alert.source().equals(value)
          : format == WebhookFormat.ALERTMANAGER && value.equals(alert.labels().get(name));
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

  /**
   * The signal a ping sends, as a class of its own, not a lambda: the first request after a
   * cold start is often a Watchdog (ColdPathLambdasIT).
   */
  private static final class Success implements Function<Heartbeat, PingOutcome> {
    static final Success SIGNAL = new Success();

    @Override
    public PingOutcome apply(Heartbeat heartbeat) {
      return heartbeat.success();
    }
  }

  private final Spec spec;
  private final Heartbeat heartbeat;
  private final String offReason;
  private final Duration deadline;
  private final AtomicBoolean dropLogged = new AtomicBoolean();

  Watchdog(Spec spec, Heartbeat heartbeat, String offReason, Duration deadline) {
    this.spec = spec;
    this.heartbeat = heartbeat;
    this.offReason = offReason;
    this.deadline = deadline;
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
   * at most {@code budget} (the request deadline) per ping, capped at {@link #MAX_PING}.
   */
  static Watchdog create(Spec spec, Optional<String> pingUrl, Duration budget) {
    if (spec.isOff()) {
      return new Watchdog(spec, null, MATCH + " is none", budget);
    }
    if (pingUrl.isEmpty()) {
      return new Watchdog(spec, null, PING_URL + " is not set (nor " + PING_URL + "_PARAM)",
          budget);
    }
    Duration timeout = budget.compareTo(MAX_PING) < 0 ? budget : MAX_PING;
    Heartbeat heartbeat = Heartbeat.builder().timeout(timeout).forUrl(pingUrl.get());
    if (!heartbeat.isEnabled()) {
      String shown = pingUrl.get().strip().toLowerCase(Locale.ROOT).startsWith("http")
          ? "is not a usable ping URL" : "is '" + pingUrl.get().strip() + "', not a URL";
      return new Watchdog(spec, null, PING_URL + " " + shown + " (pinging is paused)", budget);
    }
    return new Watchdog(spec, heartbeat, null, budget);
  }

  /** Which alerts are watchdogs. */
  Spec spec() {
    return spec;
  }

  /** Whether watchdogs are pinged (false: no URL, paused, or the switch is off). */
  boolean pings() {
    return heartbeat != null;
  }

  /** Whether {@code alert}, decoded from a body of {@code format}, is a watchdog. */
  boolean matches(Alert alert, WebhookFormat format) {
    for (Matcher matcher : spec.matchers()) {
      if (matcher.matches(alert, format)) {
        return true;
      }
    }
    return false;
  }

  /** Splits the alerts of {@code batch}; with the switch off, nothing is a watchdog. */
  Split split(AlertBatch batch) {
    List<Alert> watchdogs = new ArrayList<>();
    List<Alert> others = new ArrayList<>();
    for (Alert alert : batch.alerts()) {
      (matches(alert, batch.format()) ? watchdogs : others).add(alert);
    }
    return new Split(watchdogs, others);
  }

  /**
   * Starts answering a request carrying {@code watchdogs} (at least one): one ping however many
   * there are, sent at once on a daemon thread, so that the request's real alerts are routed
   * while it is in flight. Its outcome is waited for within the request deadline, cut to
   * {@code budget} (what is left of the invocation; null: the deadline alone).
   */
  Ping ping(List<Alert> watchdogs, String requestId, Duration budget) {
    Deadline by = Deadline.after(deadline);
    if (budget != null) {
      by = by.atMost(budget);
    }
    boolean due = heartbeat != null && !allResolved(watchdogs);
    return new Ping(watchdogs, requestId, by, due ? heartbeat.async(Success.SIGNAL) : null);
  }

  /** A watchdog ping in flight for one request. */
  final class Ping {
    private final List<Alert> watchdogs;
    private final String requestId;
    private final Deadline by;
    private final CompletableFuture<PingOutcome> sent;

    private Ping(List<Alert> watchdogs, String requestId, Deadline by,
        CompletableFuture<PingOutcome> sent) {
      this.watchdogs = watchdogs;
      this.requestId = requestId;
      this.by = by;
      this.sent = sent;
    }

    /** The answer to a request of watchdogs only, once the ping is over or out of time. */
    SinkResponse answer() {
      return finish(true);
    }

    /**
     * Waits for the ping of a request that also carries real alerts, and logs its outcome;
     * their routing answers the request, since a retry for the ping would send them again. It
     * is waited for, within the same bounds, because Lambda freezes the environment once the
     * request is answered.
     */
    void settle() {
      finish(false);
    }

    private SinkResponse finish(boolean answers) {
      if (sent == null) {
        return unpinged(watchdogs, requestId);
      }
      PingOutcome outcome = await(sent, by.remaining());
      String done = outcome.detail() + " (" + outcome.attempts() + " attempt"
          + (outcome.attempts() == 1 ? "" : "s") + ")";
      if (outcome.delivered()) {
        log.info("request {}: watchdog: pinged {}: {}", requestId, heartbeat.label(), done);
        return body(200, requestId, "pinged", done, heartbeat.label());
      }
      String failed = "watchdog ping " + outcome.kind().name().toLowerCase(Locale.ROOT)
          .replace('_', ' ') + ": " + done;
      String why = failed + "; retry";
      log.warn("request {}: {} ({}); {}", requestId, failed, heartbeat.label(), answers
          ? "answering 503 so the sender retries"
          : "not retried: the request's real alerts were routed, and their routing answers");
      return SinkResponse.json(503, requestId, Json.write(g -> {
        g.writeStartObject();
        g.writeStringField("error", why);
        g.writeStringField("watchdog", "ping-failed");
        g.writeStringField("check", heartbeat.label());
        g.writeStringField("requestId", requestId);
        g.writeEndObject();
      }));
    }
  }

  /** The outcome within {@code limit}; never throws, keeps an interrupt. */
  private static PingOutcome await(CompletableFuture<PingOutcome> sent, Duration limit) {
    try {
      return sent.get(limit.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      return new PingOutcome(PingOutcome.Kind.FAILED, 0, "no outcome within the request's"
          + " time; left to finish in the background", 0);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new PingOutcome(PingOutcome.Kind.FAILED, 0,
          "interrupted while waiting; left to finish in the background", 0);
    } catch (ExecutionException e) {
      return new PingOutcome(PingOutcome.Kind.FAILED, 0, String.valueOf(e.getCause()), 0);
    }
  }

  private static boolean allResolved(List<Alert> alerts) {
    for (Alert alert : alerts) {
      if (!alert.isResolved()) {
        return false;
      }
    }
    return true;
  }

  /** The answer when no ping is sent: only resolved watchdogs, or nowhere to ping. */
  private SinkResponse unpinged(List<Alert> watchdogs, String requestId) {
    if (allResolved(watchdogs)) {
      String why = "only resolved watchdog alerts: their source stopped sending them, so nothing"
          + " proves the alerting path works; not pinged (Healthchecks pages when its grace"
          + " runs out)";
      log.warn("request {}: watchdog: {}", requestId, why);
      return body(200, requestId, "not-pinged", why, null);
    }
    String why = "dropped, never routed: " + offReason;
    if (dropLogged.compareAndSet(false, true)) {
      log.warn("request {}: watchdog alert {}; later ones are dropped without a log line"
          + " until the next cold start", requestId, why);
    }
    return body(200, requestId, "dropped", why, null);
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
