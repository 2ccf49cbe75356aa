package com.cabalmail.heartbeat;

import java.util.Objects;

/**
 * What became of one heartbeat signal. Returned, never thrown: callers who care (their own logs,
 * their tests) look at it; everyone else may ignore it, since every outcome but
 * {@link Kind#DELIVERED} and {@link Kind#SKIPPED} has already been logged as a warning.
 *
 * @param kind delivered, not found, rejected, failed or skipped
 * @param statusCode the HTTP status of the last answer, 0 when there was none
 * @param detail what happened, in words fit for an operator; never the ping URL's secret parts
 * @param attempts HTTP attempts made (0 when none was)
 */
public record PingOutcome(Kind kind, int statusCode, String detail, int attempts) {

  /** The ends of a signal. */
  public enum Kind {
    /** Healthchecks recorded the ping ({@code OK} or {@code Created}). */
    DELIVERED,
    /** Healthchecks knows no such check: 404, or {@code OK (not found)} from the hosted service. */
    NOT_FOUND,
    /** Healthchecks refused the ping (e.g. 400 {@code invalid url format}, 409 ambiguous slug). */
    REJECTED,
    /** No answer, a 429/5xx that outlived the retries, or the deadline came first. */
    FAILED,
    /** Nothing was sent: the heartbeat is off (paused, blank or malformed URL). */
    SKIPPED
  }

  /** Validates. */
  public PingOutcome {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(detail, "detail");
  }

  /** Whether Healthchecks recorded the signal. */
  public boolean delivered() {
    return kind == Kind.DELIVERED;
  }
}
