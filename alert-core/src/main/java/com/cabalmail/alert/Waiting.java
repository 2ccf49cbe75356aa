package com.cabalmail.alert;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Bounded waits for the router's tasks. */
final class Waiting {

  /** How long past its deadline a task that ignores it is waited for. */
  static final Duration GRACE = Duration.ofMillis(50);

  private Waiting() {}

  /**
   * Waits for {@code task}; null when it finished, else why not. A task not finished is left
   * running: the caller records its end first, then cancels it, so that a result arriving late
   * cannot overwrite the failure reported.
   */
  static String await(Future<?> task, Duration limit) {
    try {
      task.get(limit.plus(GRACE).toNanos(), TimeUnit.NANOSECONDS);
      return null;
    } catch (TimeoutException e) {
      return "no outcome within the deadline; delivery abandoned";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted while waiting for the delivery";
    } catch (ExecutionException e) {
      return "delivery failed: " + e.getCause();
    } catch (java.util.concurrent.CancellationException e) {
      return "delivery abandoned";
    }
  }

  /** Whether a finished task ran (false: its lane was saturated and it never did). */
  static boolean ran(Future<Boolean> task) {
    try {
      return Boolean.TRUE.equals(task.get(0, TimeUnit.NANOSECONDS));
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }
}
