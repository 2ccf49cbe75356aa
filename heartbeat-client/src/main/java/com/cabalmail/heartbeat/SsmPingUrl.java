package com.cabalmail.heartbeat;

import com.cabalmail.aws.SsmException;
import com.cabalmail.aws.SsmParameters;
import com.cabalmail.http.Deadline;
import com.cabalmail.http.HttpDelivery;
import com.cabalmail.http.Secret;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The look-up of a ping URL in SSM Parameter Store, through {@code cabal-aws}'s client with the
 * process's credentials: once, on a daemon thread, within the heartbeat's timeout and a grace,
 * so that a stalled endpoint never holds the caller. Never throws: a URL, or why there is none.
 */
final class SsmPingUrl {

  private SsmPingUrl() {}

  /** The URL read, or (when {@code url} is null) the {@code problem}: the end of a sentence. */
  record Read(String url, String problem) {}

  /**
   * Reads {@code parameterName} with the credentials and region of {@code environment}, over
   * {@code http}, giving up after {@code timeout}.
   */
  static Read read(String parameterName, Map<String, String> environment, HttpDelivery http,
      Duration timeout) {
    CompletableFuture<String> read = CompletableFuture.supplyAsync(() -> {
      try {
        SsmParameters ssm = SsmParameters.fromEnvironment(environment, http);
        Secret value = ssm.get(List.of(parameterName), Deadline.after(timeout, http.ticker()))
            .get(parameterName);
        return value.reveal();
      } catch (SsmException e) {
        throw new IllegalStateException(e.getMessage());
      }
    }, RunTiming.DAEMON_THREADS);
    try {
      return new Read(
          read.get(timeout.plus(RunTiming.HANDOVER_GRACE).toNanos(), TimeUnit.NANOSECONDS),
          null);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      String why = cause instanceof IllegalStateException ? cause.getMessage()
          : String.valueOf(cause);
      return new Read(null, "could not be read: " + why);
    } catch (TimeoutException e) {
      return new Read(null, "could not be read within " + timeout.toMillis() + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Read(null, "was not read: the calling thread was interrupted");
    }
  }
}
