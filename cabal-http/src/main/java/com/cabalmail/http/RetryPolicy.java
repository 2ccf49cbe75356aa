package com.cabalmail.http;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What {@link HttpDelivery} may retry and how patiently. Connection failures and timeouts are
 * always retryable; of the statuses, only those listed (by default 429, 502, 503, 504) are. Any
 * other answer, every other 4xx above all, is returned at once. Backoff is exponential with
 * jitter, never shorter than {@code minRetryDelay} (a provider's documented minimum), and a
 * {@code Retry-After} header is honoured; no wait ever runs past the deadline.
 *
 * @param retryableStatuses HTTP statuses worth another attempt
 * @param maxAttempts attempts in all, the first included (at least 1)
 * @param initialBackoff base wait before the second attempt
 * @param maxBackoff cap of the exponential wait
 * @param minRetryDelay floor under every wait (Pushover asks for 5 s)
 * @param attemptTimeout cap of one attempt, itself capped by what is left of the deadline
 */
public record RetryPolicy(
    Set<Integer> retryableStatuses,
    int maxAttempts,
    Duration initialBackoff,
    Duration maxBackoff,
    Duration minRetryDelay,
    Duration attemptTimeout) {

  /** Validates and copies. */
  public RetryPolicy {
    retryableStatuses = Set.copyOf(retryableStatuses);
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    Objects.requireNonNull(minRetryDelay, "minRetryDelay");
    Objects.requireNonNull(attemptTimeout, "attemptTimeout");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
    }
    if (attemptTimeout.isZero() || attemptTimeout.isNegative()) {
      throw new IllegalArgumentException("attemptTimeout must be positive");
    }
  }

  /** 429, 502, 503 and 504; 4 attempts; 250 ms doubling to 4 s; 5 s per attempt. */
  public static RetryPolicy standard() {
    return new RetryPolicy(
        Set.of(429, 502, 503, 504),
        4,
        Duration.ofMillis(250),
        Duration.ofSeconds(4),
        Duration.ZERO,
        Duration.ofSeconds(5));
  }

  /** This policy, also retrying {@code statuses} (e.g. 500 where a provider calls it transient). */
  public RetryPolicy alsoRetrying(int... statuses) {
    Set<Integer> all = new TreeSet<>(retryableStatuses);
    for (int status : statuses) {
      all.add(status);
    }
    return new RetryPolicy(
        all, maxAttempts, initialBackoff, maxBackoff, minRetryDelay, attemptTimeout);
  }

  /** This policy, answering {@code statuses} at once instead (e.g. Pushover's quota 429). */
  public RetryPolicy notRetrying(int... statuses) {
    Set<Integer> all = new TreeSet<>(retryableStatuses);
    for (int status : statuses) {
      all.remove(status);
    }
    return new RetryPolicy(
        all, maxAttempts, initialBackoff, maxBackoff, minRetryDelay, attemptTimeout);
  }

  /** This policy with at most {@code attempts} attempts. */
  public RetryPolicy withMaxAttempts(int attempts) {
    return new RetryPolicy(
        retryableStatuses, attempts, initialBackoff, maxBackoff, minRetryDelay, attemptTimeout);
  }

  /** This policy with a floor under every wait between attempts. */
  public RetryPolicy withMinRetryDelay(Duration delay) {
    return new RetryPolicy(
        retryableStatuses, maxAttempts, initialBackoff, maxBackoff, delay, attemptTimeout);
  }

  /** This policy with {@code backoff} before the second attempt, doubling up to {@code max}. */
  public RetryPolicy withBackoff(Duration backoff, Duration max) {
    return new RetryPolicy(
        retryableStatuses, maxAttempts, backoff, max, minRetryDelay, attemptTimeout);
  }

  /** This policy with each attempt capped at {@code timeout}. */
  public RetryPolicy withAttemptTimeout(Duration timeout) {
    return new RetryPolicy(
        retryableStatuses, maxAttempts, initialBackoff, maxBackoff, minRetryDelay, timeout);
  }

  /** Whether an answer with {@code status} is worth another attempt. */
  public boolean retries(int status) {
    return retryableStatuses.contains(status);
  }
}
