package com.cabalmail.heartbeat;

import com.cabalmail.http.Deadline;
import com.cabalmail.http.DeliveryException;
import com.cabalmail.http.Exchange;
import com.cabalmail.http.HttpDelivery;
import com.cabalmail.http.RetryPolicy;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends signals of one check on the calling thread: POST (a check set to "POST only" ignores
 * GET), the body cut to the server's limit, retried on connection errors, 429 and 5xx inside a
 * deadline, the answer classified and logged. Never throws. Learns the server's limit from its
 * {@code Ping-Body-Limit} header.
 */
final class Pinger {

  private static final Logger log = LoggerFactory.getLogger(Heartbeat.class);
  private static final String PEER = "healthchecks";
  private static final int MAX_ECHOED_CHARS = 200;

  private final PingTarget target;
  private final HttpDelivery delivery;
  private final Duration timeout;
  private final RetryPolicy policy;
  private final AtomicInteger bodyLimit;

  Pinger(PingTarget target, HttpDelivery delivery, Duration timeout, int bodyLimit) {
    this.target = target;
    this.delivery = delivery;
    this.timeout = timeout;
    this.policy = policyFor(timeout);
    this.bodyLimit = new AtomicInteger(bodyLimit);
  }

  /** 429 and every 5xx retried; one stalled attempt may use at most half the budget. */
  static RetryPolicy policyFor(Duration timeout) {
    RetryPolicy policy = RetryPolicy.standard()
        .alsoRetrying(answer -> answer.statusCode() >= 500)
        .withBackoff(Duration.ofMillis(250), Duration.ofSeconds(2));
    Duration half = timeout.dividedBy(2);
    Duration floor = Duration.ofMillis(500);
    Duration attempt = half.compareTo(floor) >= 0 ? half : floor;
    return policy.withAttemptTimeout(attempt.compareTo(timeout) <= 0 ? attempt : timeout);
  }

  Duration timeout() {
    return timeout;
  }

  String label() {
    return target.label();
  }

  int bodyLimit() {
    return bodyLimit.get();
  }

  /**
   * Sends {@code signal} (path suffix {@code suffix}) with {@code body} (may be null).
   *
   * @param signal the signal's name for logs: success, start, fail, log, exit status n
   */
  PingOutcome send(String signal, String suffix, Optional<UUID> runId, String body) {
    try {
      byte[] bytes = body == null ? new byte[0] : PingBody.truncate(body, bodyLimit.get());
      HttpRequest.Builder request = HttpRequest.newBuilder(target.uri(suffix, runId))
          .header("Content-Type", "text/plain; charset=utf-8")
          .header("User-Agent", "cabal-heartbeat")
          .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
      Exchange answer = delivery.send(
          PEER, request, policy, Deadline.after(timeout, delivery.ticker()));
      learnBodyLimit(answer);
      return classify(signal, answer);
    } catch (DeliveryException e) {
      log.warn("heartbeat {} for {} not delivered: {}", signal, target.label(), e.getMessage());
      return new PingOutcome(PingOutcome.Kind.FAILED, 0, e.getMessage(), e.attempts());
    } catch (RuntimeException e) {
      String detail = e.getClass().getSimpleName() + " while sending";
      log.warn("heartbeat {} for {} not delivered: {}", signal, target.label(), detail, e);
      return new PingOutcome(PingOutcome.Kind.FAILED, 0, detail, 0);
    }
  }

  private PingOutcome classify(String signal, Exchange answer) {
    int status = answer.statusCode();
    String text = echo(answer.bodyText());
    int attempts = answer.attempts();
    if (answer.isSuccess()) {
      if (text.startsWith("OK (not found)")) {
        return notFound(signal, status, text, attempts);
      }
      if (text.startsWith("OK (rate-limited)")) {
        log.warn("heartbeat {} for {} dropped: Healthchecks answered '{}' (more than a few pings"
            + " a minute)", signal, target.label(), text);
        return new PingOutcome(PingOutcome.Kind.FAILED, status, text, attempts);
      }
      log.debug("heartbeat {} for {}: {} {}", signal, target.label(), status, text);
      return new PingOutcome(PingOutcome.Kind.DELIVERED, status, text, attempts);
    }
    if (status == 404) {
      return notFound(signal, status, text, attempts);
    }
    String detail = "HTTP " + status + (text.isEmpty() ? "" : " " + text);
    if (status == 429 || status >= 500) {
      detail += " after " + attempts + (attempts == 1 ? " attempt" : " attempts");
      log.warn("heartbeat {} for {} not delivered: {}", signal, target.label(), detail);
      return new PingOutcome(PingOutcome.Kind.FAILED, status, detail, attempts);
    }
    log.warn("heartbeat {} for {} refused: {}", signal, target.label(), detail);
    return new PingOutcome(PingOutcome.Kind.REJECTED, status, detail, attempts);
  }

  private PingOutcome notFound(String signal, int status, String text, int attempts) {
    String detail = "Healthchecks has no " + target.label() + " (" + status + " " + text + ")";
    log.warn("heartbeat {} not recorded: {}; is the slug or UUID of the ping URL right?",
        signal, detail);
    return new PingOutcome(PingOutcome.Kind.NOT_FOUND, status, detail, attempts);
  }

  private void learnBodyLimit(Exchange answer) {
    answer.header("Ping-Body-Limit").ifPresent(value -> {
      try {
        int limit = Integer.parseInt(value.strip());
        if (limit > 0) {
          bodyLimit.set(limit);
        }
      } catch (NumberFormatException ignored) {
        // Not a number: keep the limit we have.
      }
    });
  }

  /** The server's short answer, fit for one log line. */
  private static String echo(String text) {
    String line = text.strip().replaceAll("\\p{Cntrl}+", " ");
    return line.length() > MAX_ECHOED_CHARS ? line.substring(0, MAX_ECHOED_CHARS) + "..." : line;
  }
}
