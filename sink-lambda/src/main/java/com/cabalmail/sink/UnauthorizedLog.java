package com.cabalmail.sink;

import com.cabalmail.http.Ticker;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs 401s in a bounded way, so that a flood of callers without the secret cannot fill the
 * logs: one WARN line for the first, then the rest are counted and summed up in one WARN line
 * at most once per {@link #INTERVAL} ({@code 1234 more requests answered 401 in the last 61
 * s}). The summary is written by the 401 that finds the interval over (no thread, no timer), so
 * a count can wait for the next 401 to be reported. Thread-safe; time from a {@link Ticker}.
 */
final class UnauthorizedLog {

  private static final Logger log = LoggerFactory.getLogger(UnauthorizedLog.class);

  /** The shortest time between two lines. */
  static final Duration INTERVAL = Duration.ofMinutes(1);

  private final Ticker ticker;
  private boolean seen;
  private long since;
  private long unreported;

  UnauthorizedLog(Ticker ticker) {
    this.ticker = ticker;
  }

  /** Counts one 401 answered to {@code requestId}, logging a line when one is due. */
  void record(String requestId) {
    long now = ticker.nanoTime();
    String line = null;
    long count = 0;
    long seconds = 0;
    synchronized (this) {
      if (!seen) {
        seen = true;
        since = now;
        line = "first";
      } else {
        unreported++;
        if (now - since >= INTERVAL.toNanos()) {
          count = unreported;
          seconds = Duration.ofNanos(now - since).toSeconds();
          unreported = 0;
          since = now;
          line = "summary";
        }
      }
    }
    if ("first".equals(line)) {
      log.warn("request {} answered 401: {}; further 401s are counted and logged at most once"
          + " a minute", requestId, SecretCheck.ACCEPTED_HEADERS);
    } else if (line != null) {
      log.warn("{} more {} answered 401 in the last {} s (latest: request {})", count,
          count == 1 ? "request" : "requests", seconds, requestId);
    }
  }
}
