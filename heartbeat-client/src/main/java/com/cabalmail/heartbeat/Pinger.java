package com.cabalmail.heartbeat;

import com.cabalmail.http.Deadline;
import com.cabalmail.http.DeliveryException;
import com.cabalmail.http.Exchange;
import com.cabalmail.http.HttpDelivery;
import com.cabalmail.http.Redaction;
import com.cabalmail.http.Secret;
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
  /**
   * How many characters before the body limit a failure message keeps for scrubbing: a
   * credential cut at the start of the kept text is that far from anything sent.
   */
  static final int SCRUB_MARGIN_CHARS = 64 * 1024;

  private final PingTarget target;
  private final HttpDelivery delivery;
  private final Duration timeout;
  private final RetryPolicy policy;
  private final AtomicInteger bodyLimit;

  private final boolean failureDetails;
  private final Redaction redaction;

  Pinger(PingTarget target, HttpDelivery delivery, Duration timeout, int bodyLimit) {
    this(target, delivery, timeout, bodyLimit, true);
  }

  Pinger(PingTarget target, HttpDelivery delivery, Duration timeout, int bodyLimit,
      boolean failureDetails) {
    this.failureDetails = failureDetails;
    // The ping URL is a credential (whoever has it can ping); patterns catch the job's own.
    this.redaction = Redaction.of(Secret.of(target.uri("", Optional.empty()).toString()))
        .withPatterns();
    this.target = target;
    this.delivery = delivery;
    this.timeout = timeout;
    this.policy = policyFor(timeout);
    this.bodyLimit = new AtomicInteger(bodyLimit);
  }

  /** 429 and every 5xx retried; one stalled attempt may use at most half the budget. */
  static RetryPolicy policyFor(Duration timeout) {
    RetryPolicy policy = RetryPolicy.standard()
        .alsoRetrying(RetryPolicy.serverErrors())
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
    return send(signal, suffix, runId, body, timeout);
  }

  /** As {@link #send(String, String, Optional, String)}, within {@code budget}. */
  PingOutcome send(String signal, String suffix, Optional<UUID> runId, String body,
      Duration budget) {
    try {
      byte[] bytes = body == null ? new byte[0] : PingBody.truncate(body, bodyLimit.get());
      HttpRequest.Builder request = HttpRequest.newBuilder(target.uri(suffix, runId))
          .header("Content-Type", "text/plain; charset=utf-8")
          .header("User-Agent", "cabal-heartbeat")
          .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
      Exchange answer = delivery.send(
          PEER, request, policy, Deadline.after(budget, delivery.ticker()));
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
      if (text.startsWith("OK (rate limited)") || text.startsWith("OK (rate-limited)")) {
        // Hosted Healthchecks answers 200 but drops the ping (more than a few a minute).
        String detail = "not recorded: Healthchecks answered '" + text + "' (it drops more than"
            + " a few pings a minute per check)";
        log.warn("heartbeat {} for {} {}", signal, target.label(), detail);
        return new PingOutcome(PingOutcome.Kind.FAILED, status, detail, attempts);
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
    java.util.Optional<String> value = answer.header("Ping-Body-Limit");
    if (value.isEmpty()) {
      return;
    }
    try {
      int limit = Integer.parseInt(value.get().strip());
      // Only ever lowered: a server (or whatever answers in its name) cannot make the job
      // send more than it was configured to.
      while (limit > 0) {
        int current = bodyLimit.get();
        if (limit >= current || bodyLimit.compareAndSet(current, limit)) {
          break;
        }
      }
    } catch (NumberFormatException ignored) {
      // Not a number: keep the limit we have.
    }
  }

  /**
   * What a failed job tells Healthchecks: the exception's class and message, scrubbed of the
   * ping URL and of credential patterns ({@link Redaction#withPatterns()}); its class alone
   * when failure details are off.
   */
  String failureBody(Throwable failure) {
    String kind = failure.getClass().getName();
    if (!failureDetails) {
      return kind;
    }
    String message = failure.getMessage();
    if (message == null) {
      return kind;
    }
    int scrubbed = bodyLimit.get() + SCRUB_MARGIN_CHARS;
    if (message.length() > scrubbed) {
      // Only the end is sent (PingBody): scrubbing megabytes to send 10 KB would waste the
      // budget. The margin keeps the cut far before what is sent; an ellipsis shows it.
      message = "\u2026" + message.substring(message.length() - scrubbed);
    }
    return redaction.scrub(kind + ": " + message);
  }

  /** The server's short answer, fit for one log line: scrubbed whole, then cut. */
  private String echo(String text) {
    String line = redaction.scrub(text).strip().replaceAll("\\p{Cntrl}+", " ");
    return line.length() > MAX_ECHOED_CHARS ? line.substring(0, MAX_ECHOED_CHARS) + "..." : line;
  }
}
