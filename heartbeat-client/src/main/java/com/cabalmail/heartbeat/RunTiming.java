package com.cabalmail.heartbeat;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When a heartbeat's pings go out and how long anyone waits for them, so that the job is never
 * blocked: every ping runs on a daemon thread of its own, the caller waits at most the timeout
 * and a grace ({@link #await}), and a run's end ({@link #finish}) adds at most one timeout to
 * the job, cut to what is left of the invocation less {@link Heartbeat#INVOCATION_RESERVE}.
 *
 * <p>One instance is one run: its start ping, in flight while the job runs, and then its end.
 * The static fields (lambdas) are initialised on first use, not when a constant of
 * {@link Heartbeat} is read, which the Lambda sink does on every cold start.
 */
final class RunTiming {

  private static final Logger log = LoggerFactory.getLogger(Heartbeat.class);

  /** How long past its deadline a caller may wait for a signal's outcome to be handed over. */
  static final Duration HANDOVER_GRACE = Duration.ofMillis(250);

  /** An invocation without a deadline. */
  static final LongSupplier NO_INVOCATION_DEADLINE = () -> Long.MAX_VALUE;

  /** Every signal runs on a new daemon thread of its own: nothing is left to shut down. */
  static final Executor DAEMON_THREADS = task -> {
    Thread thread = new Thread(task, "cabal-heartbeat");
    thread.setDaemon(true);
    thread.start();
  };

  private final Pinger pinger;
  private final Optional<UUID> runId;
  private final CompletableFuture<PingOutcome> started;

  private RunTiming(Pinger pinger, Optional<UUID> runId,
      CompletableFuture<PingOutcome> started) {
    this.pinger = pinger;
    this.runId = runId;
    this.started = started;
  }

  /**
   * A run of {@code pinger} under {@code runId} whose start ping, {@code started}, is already in
   * flight in the background; {@code pinger} is null for a heartbeat that is off.
   */
  static RunTiming begun(Pinger pinger, Optional<UUID> runId,
      CompletableFuture<PingOutcome> started) {
    return new RunTiming(pinger, runId, started);
  }

  /** {@code task} on a new daemon thread; the future completes with its result. */
  static CompletableFuture<PingOutcome> onDaemonThread(Supplier<PingOutcome> task) {
    return CompletableFuture.supplyAsync(task, DAEMON_THREADS);
  }

  /**
   * The end of the run, within one budget: the timeout, cut to what is left of the invocation
   * less {@link Heartbeat#INVOCATION_RESERVE}. The start ping (in flight since the job began)
   * gets at most half of it to finish, so Healthchecks sees start before end; the final ping
   * gets the rest. The worst case added to the job is that budget.
   */
  void finish(Throwable failure, LongSupplier remainingMillis) {
    if (pinger == null) {
      return;
    }
    long began = System.nanoTime();
    Duration budget = pinger.timeout();
    long remaining = remainingMillis.getAsLong();
    if (remaining != Long.MAX_VALUE) {
      Duration invocation = Duration.ofMillis(remaining).minus(Heartbeat.INVOCATION_RESERVE);
      if (invocation.compareTo(budget) < 0) {
        budget = invocation;
      }
    }
    if (budget.isNegative() || budget.isZero()) {
      log.warn("heartbeat {} for {} not sent: {} ms of the invocation left, under the {} ms"
          + " kept for the handler", failure == null ? "success" : "fail", pinger.label(),
          remaining, Heartbeat.INVOCATION_RESERVE.toMillis());
      return;
    }
    awaitAtMost(started, budget.dividedBy(2));
    Duration left = budget.minusNanos(System.nanoTime() - began);
    if (left.isNegative() || left.isZero()) {
      return;
    }
    String suffix = failure == null ? "" : "/fail";
    String name = failure == null ? "success" : "fail";
    long sendBy = System.nanoTime() + left.toNanos();
    // The failure's text is read and scrubbed on the daemon thread, inside the same budget:
    // it is the job's text, of any length, and the job's thread waits no longer than left.
    CompletableFuture<PingOutcome> sent =
        onDaemonThread(() -> sendFinal(name, suffix, failure, sendBy));
    awaitAtMost(sent, left);
  }

  /** The final ping, on a daemon thread: the failure scrubbed, then sent by {@code sendBy}. */
  private PingOutcome sendFinal(String name, String suffix, Throwable failure, long sendBy) {
    String text = failure == null ? null : pinger.failureBody(failure);
    long left = sendBy - System.nanoTime();
    if (left <= 0) {
      String detail = "not sent: the failure took the whole budget to scrub";
      log.warn("heartbeat {} for {} {}", name, pinger.label(), detail);
      return new PingOutcome(PingOutcome.Kind.FAILED, 0, detail, 0);
    }
    return pinger.send(name, suffix, runId, text, Duration.ofNanos(left));
  }

  /** Waits for {@code outcome} at most {@code limit}; never throws, keeps an interrupt. */
  private static void awaitAtMost(CompletableFuture<PingOutcome> outcome, Duration limit) {
    try {
      outcome.get(limit.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException | ExecutionException e) {
      // left to finish in the background; its outcome is logged by the pinger
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The outcome, waiting at most {@code timeout} and a grace; never throws, never interrupts. */
  static PingOutcome await(CompletableFuture<PingOutcome> outcome, Duration timeout) {
    try {
      return outcome.get(timeout.plus(HANDOVER_GRACE).toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      return new PingOutcome(PingOutcome.Kind.FAILED, 0,
          "no outcome within " + timeout.toMillis() + " ms; left to finish in the background", 0);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the caller's own interrupt, kept for the caller
      return new PingOutcome(PingOutcome.Kind.FAILED, 0,
          "the calling thread was interrupted; left to finish in the background", 0);
    } catch (ExecutionException e) {
      return new PingOutcome(PingOutcome.Kind.FAILED, 0, String.valueOf(e.getCause()), 0);
    }
  }
}
