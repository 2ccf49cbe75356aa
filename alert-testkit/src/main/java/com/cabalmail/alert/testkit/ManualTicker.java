package com.cabalmail.alert.testkit;

import com.cabalmail.http.Ticker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A ticker for tests: time runs as real time plus whatever {@link #sleep} was asked for, and
 * {@code sleep} returns at once, recording the wait. Retry tests therefore never sleep, yet
 * deadlines still see the waits.
 */
public final class ManualTicker implements Ticker {

  private final AtomicLong skipped = new AtomicLong();
  private final List<Duration> sleeps = new CopyOnWriteArrayList<>();

  @Override
  public long nanoTime() {
    return System.nanoTime() + skipped.get();
  }

  @Override
  public void sleep(Duration duration) {
    sleeps.add(duration);
    skipped.addAndGet(duration.toNanos());
  }

  /** Every wait asked for, in order. */
  public List<Duration> sleeps() {
    return List.copyOf(sleeps);
  }
}
