package com.cabalmail.http;

import java.time.Duration;
import java.util.Objects;

/**
 * A point in time by which work must be done, read from a {@link Ticker}. Immutable; every
 * HTTP attempt takes its timeout from what is left of one deadline.
 */
public final class Deadline {

  private final Ticker ticker;
  private final long endNanos;

  private Deadline(Ticker ticker, long endNanos) {
    this.ticker = ticker;
    this.endNanos = endNanos;
  }

  /** A deadline {@code budget} from now on the system ticker. */
  public static Deadline after(Duration budget) {
    return after(budget, Ticker.system());
  }

  /** A deadline {@code budget} from now on {@code ticker}. */
  public static Deadline after(Duration budget, Ticker ticker) {
    Objects.requireNonNull(ticker, "ticker");
    return new Deadline(ticker, saturatedAdd(ticker.nanoTime(), budget.toNanos()));
  }

  /** The earlier of this deadline and {@code budget} from now. */
  public Deadline atMost(Duration budget) {
    long other = saturatedAdd(ticker.nanoTime(), budget.toNanos());
    return other - endNanos < 0 ? new Deadline(ticker, other) : this;
  }

  /** What is left, never negative. */
  public Duration remaining() {
    long left = endNanos - ticker.nanoTime();
    return left > 0 ? Duration.ofNanos(left) : Duration.ZERO;
  }

  /** True once nothing is left. */
  public boolean isExpired() {
    return endNanos - ticker.nanoTime() <= 0;
  }

  /** The ticker this deadline is read from; waiting inside the deadline goes through it. */
  public Ticker ticker() {
    return ticker;
  }

  private static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
  }

  @Override
  public String toString() {
    return "Deadline[" + remaining().toMillis() + " ms left]";
  }
}
