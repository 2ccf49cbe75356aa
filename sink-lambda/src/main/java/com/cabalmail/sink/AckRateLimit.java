package com.cabalmail.sink;

import com.cabalmail.http.Ticker;

/**
 * A token bucket over the acknowledgement endpoints of one process (a Lambda container): at
 * most {@link #BURST} requests at once, refilled one every {@link #REFILL_NANOS}; a request
 * finding it empty is refused (403, like any refusal there) before anything is checked. A
 * phone's button and Pushover's callbacks come a few an incident; a guesser gets a few hundred
 * tries an hour against a 128-bit MAC.
 */
final class AckRateLimit {

  /** Requests answered at once. */
  static final int BURST = 20;
  /** One more request allowed every 3 s. */
  static final long REFILL_NANOS = 3_000_000_000L;

  private final Ticker ticker;
  private final int burst;
  private double tokens;
  private long last;

  AckRateLimit(Ticker ticker) {
    this(ticker, BURST);
  }

  AckRateLimit(Ticker ticker, int burst) {
    this.ticker = ticker;
    this.burst = burst;
    this.tokens = burst;
    this.last = ticker.nanoTime();
  }

  /** Takes one token; false when none is left. */
  synchronized boolean tryAcquire() {
    long now = ticker.nanoTime();
    tokens = Math.min(burst, tokens + (double) (now - last) / REFILL_NANOS);
    last = now;
    if (tokens < 1) {
      return false;
    }
    tokens -= 1;
    return true;
  }
}
