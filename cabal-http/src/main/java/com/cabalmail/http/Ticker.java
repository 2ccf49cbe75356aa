package com.cabalmail.http;

import java.time.Duration;
import java.time.Instant;

/**
 * The source of time and of waiting for everything that retries or enforces a deadline.
 * Production code uses {@link #system()}; tests inject a ticker whose {@code sleep} only
 * advances virtual time, so retry tests never sleep.
 */
public interface Ticker {

  /** A monotonic reading in nanoseconds, comparable only with other readings of this ticker. */
  long nanoTime();

  /**
   * The wall-clock time, only for dates received on the wire (an HTTP-date
   * {@code Retry-After}); the system ticker reads the system clock, a test ticker supplies its
   * own.
   */
  default Instant now() {
    return Instant.now();
  }

  /** Waits for {@code duration}; returns early only by throwing when interrupted. */
  void sleep(Duration duration) throws InterruptedException;

  /** The real monotonic clock and {@link Thread#sleep}. */
  static Ticker system() {
    return SystemTicker.INSTANCE;
  }
}

enum SystemTicker implements Ticker {
  INSTANCE;

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public void sleep(Duration duration) throws InterruptedException {
    if (!duration.isNegative() && !duration.isZero()) {
      Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);
    }
  }
}
