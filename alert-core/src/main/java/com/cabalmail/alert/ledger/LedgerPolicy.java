package com.cabalmail.alert.ledger;

import java.time.Duration;
import java.util.Objects;

/**
 * How the router uses its delivery ledger.
 *
 * @param repeatWindow how long a delivered state is not sent again through the same transport
 *     (Alertmanager's {@code repeat_interval} default, 4 h); after it a reminder goes through
 * @param lease how long a claim holds its key while the delivery runs; a claim left by a
 *     crashed or timed-out invocation lapses after it. Longer than any delivery may take
 * @param rejectionHold how long a rejection is remembered, so that retries do not resend what
 *     the provider refused; a re-send after it (e.g. once the credentials are fixed) tries again
 * @param callTimeout the most one ledger call may take; past it the ledger counts as
 *     unavailable and the alert is delivered anyway
 */
public record LedgerPolicy(Duration repeatWindow, Duration lease, Duration rejectionHold,
    Duration callTimeout) {

  /** Alertmanager's default {@code repeat_interval}. */
  public static final Duration DEFAULT_REPEAT_WINDOW = Duration.ofHours(4);
  /** Longer than the default delivery budget (7 s) plus the ledger calls around it. */
  public static final Duration DEFAULT_LEASE = Duration.ofSeconds(15);
  /** Covers every retry Alertmanager and Healthchecks make of one notification. */
  public static final Duration DEFAULT_REJECTION_HOLD = Duration.ofMinutes(15);
  /** The most a ledger call may add before (and after) a delivery. */
  public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofMillis(250);

  /** Validates: every duration positive. */
  public LedgerPolicy {
    positive(repeatWindow, "repeatWindow");
    positive(lease, "lease");
    positive(rejectionHold, "rejectionHold");
    positive(callTimeout, "callTimeout");
  }

  /** The defaults: 4 h window, 15 s lease, 15 min rejection hold, 250 ms per ledger call. */
  public static LedgerPolicy defaults() {
    return new LedgerPolicy(DEFAULT_REPEAT_WINDOW, DEFAULT_LEASE, DEFAULT_REJECTION_HOLD,
        DEFAULT_CALL_TIMEOUT);
  }

  /** This policy with another repeat window. */
  public LedgerPolicy withRepeatWindow(Duration window) {
    return new LedgerPolicy(window, lease, rejectionHold, callTimeout);
  }

  /** This policy with another lease. */
  public LedgerPolicy withLease(Duration newLease) {
    return new LedgerPolicy(repeatWindow, newLease, rejectionHold, callTimeout);
  }

  /** This policy with another rejection hold. */
  public LedgerPolicy withRejectionHold(Duration hold) {
    return new LedgerPolicy(repeatWindow, lease, hold, callTimeout);
  }

  /** This policy with another per-call timeout. */
  public LedgerPolicy withCallTimeout(Duration timeout) {
    return new LedgerPolicy(repeatWindow, lease, rejectionHold, timeout);
  }

  private static void positive(Duration d, String what) {
    Objects.requireNonNull(d, what);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive");
    }
  }
}
