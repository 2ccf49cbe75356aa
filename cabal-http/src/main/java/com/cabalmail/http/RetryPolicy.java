package com.cabalmail.http;

import java.time.Duration;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What {@link HttpDelivery} may retry and how patiently. Connection failures and timeouts are
 * always retryable; an answer is retried when {@code retryableAnswer} says so, by default when
 * its status is 429, 502, 503 or 504. Any other answer, every other 4xx above all, is returned
 * at once. The predicate sees the whole answer (status, headers, body), so a service that
 * reports throttling as a 400 with a code in its body (AWS) is still one ordinary policy. Backoff
 * is exponential with jitter, never shorter than {@code minRetryDelay} (a provider's documented
 * minimum), and a {@code Retry-After} header is honoured; no wait ever runs past the deadline.
 *
 * @param retryableAnswer decides whether an answer is worth another attempt; must not throw
 * @param maxAttempts attempts in all, the first included (at least 1)
 * @param initialBackoff base wait before the second attempt
 * @param maxBackoff cap of the exponential wait
 * @param minRetryDelay floor under every wait (Pushover asks for 5 s)
 * @param attemptTimeout cap of one attempt, itself capped by what is left of the deadline
 */
public record RetryPolicy(
    Predicate<Exchange> retryableAnswer,
    int maxAttempts,
    Duration initialBackoff,
    Duration maxBackoff,
    Duration minRetryDelay,
    Duration attemptTimeout) {

  /** Validates. */
  public RetryPolicy {
    Objects.requireNonNull(retryableAnswer, "retryableAnswer");
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
        statusIn(429, 502, 503, 504),
        4,
        Duration.ofMillis(250),
        Duration.ofSeconds(4),
        Duration.ZERO,
        Duration.ofSeconds(5));
  }

  /** A predicate true for answers whose status is one of {@code statuses}. */
  public static Predicate<Exchange> statusIn(int... statuses) {
    Set<Integer> set = new HashSet<>();
    for (int status : statuses) {
      set.add(status);
    }
    return new StatusIn(set, false);
  }

  /** A predicate true for every 5xx answer (for peers that call them all transient). */
  public static Predicate<Exchange> serverErrors() {
    return new StatusIn(Set.of(), true);
  }

  /**
   * Statuses a predicate accepts: a class, not a lambda, since policies are built on every
   * cold start of the Lambda sink (ColdPathLambdasIT).
   */
  private static final class StatusIn implements Predicate<Exchange> {
    private final Set<Integer> statuses;
    private final boolean serverErrors;

    StatusIn(Set<Integer> statuses, boolean serverErrors) {
      this.statuses = statuses;
      this.serverErrors = serverErrors;
    }

    @Override
    public boolean test(Exchange answer) {
      return serverErrors ? answer.statusCode() >= 500 : statuses.contains(answer.statusCode());
    }
  }

  /** This policy, also retrying {@code statuses} (e.g. 500 where a provider calls it transient). */
  public RetryPolicy alsoRetrying(int... statuses) {
    return alsoRetrying(statusIn(statuses));
  }

  /** This policy, also retrying every answer {@code predicate} accepts (e.g. every 5xx). */
  public RetryPolicy alsoRetrying(Predicate<Exchange> predicate) {
    return retrying(retryableAnswer.or(predicate));
  }

  /** This policy, answering {@code statuses} at once instead (e.g. Pushover's quota 429). */
  public RetryPolicy notRetrying(int... statuses) {
    return retrying(retryableAnswer.and(statusIn(statuses).negate()));
  }

  /** This policy with {@code predicate} alone deciding which answers are retried. */
  public RetryPolicy retrying(Predicate<Exchange> predicate) {
    return new RetryPolicy(
        predicate, maxAttempts, initialBackoff, maxBackoff, minRetryDelay, attemptTimeout);
  }

  /** This policy with at most {@code attempts} attempts. */
  public RetryPolicy withMaxAttempts(int attempts) {
    return new RetryPolicy(
        retryableAnswer, attempts, initialBackoff, maxBackoff, minRetryDelay, attemptTimeout);
  }

  /** This policy with a floor under every wait between attempts. */
  public RetryPolicy withMinRetryDelay(Duration delay) {
    return new RetryPolicy(
        retryableAnswer, maxAttempts, initialBackoff, maxBackoff, delay, attemptTimeout);
  }

  /** This policy with {@code backoff} before the second attempt, doubling up to {@code max}. */
  public RetryPolicy withBackoff(Duration backoff, Duration max) {
    return new RetryPolicy(
        retryableAnswer, maxAttempts, backoff, max, minRetryDelay, attemptTimeout);
  }

  /** This policy with each attempt capped at {@code timeout}. */
  public RetryPolicy withAttemptTimeout(Duration timeout) {
    return new RetryPolicy(
        retryableAnswer, maxAttempts, initialBackoff, maxBackoff, minRetryDelay, timeout);
  }

  /** Whether {@code answer} is worth another attempt. */
  public boolean retries(Exchange answer) {
    return retryableAnswer.test(answer);
  }
}
