package com.cabalmail.alert.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/** A wall clock that moves only when a test says: lease and window expiry without sleeping. */
public final class TestClock extends Clock {

  private final AtomicReference<Instant> now;

  /** A clock reading {@code start}. */
  public TestClock(Instant start) {
    this.now = new AtomicReference<>(start);
  }

  /** A clock at 2026-08-21T10:00:00Z. */
  public static TestClock atTen() {
    return new TestClock(Instant.parse("2026-08-21T10:00:00Z"));
  }

  /** Moves the clock on by {@code step}. */
  public void advance(Duration step) {
    now.updateAndGet(t -> t.plus(step));
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
