package com.cabalmail.sink;

import com.cabalmail.http.Ticker;

/**
 * A token bucket over one kind of acknowledgement request of one process (a Lambda container):
 * at most {@link #BURST} requests at once, refilled one every {@link #REFILL_NANOS}; a request
 * finding it empty is refused (403, like any refusal there). {@link Acknowledgements} keeps two:
 * one for Pushover's callbacks, one for capabilities whose MAC holds (a forged token is refused
 * by its MAC and takes nothing, so a guesser cannot starve the phone's buttons). A phone's button
 * and Pushover's callbacks come a few an incident.
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
