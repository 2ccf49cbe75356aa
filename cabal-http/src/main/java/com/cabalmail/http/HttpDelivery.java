package com.cabalmail.http;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLHandshakeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way this project sends an HTTP request: one shared {@link HttpClient} per process,
 * each attempt bounded by what is left of a {@link Deadline}, retries only where a
 * {@link RetryPolicy} says they are safe, response bodies read up to a cap.
 *
 * <p>Thread-safe; meant to be shared. {@link #shared()} is the process-wide instance.
 */
public final class HttpDelivery {

  private static final Logger log = LoggerFactory.getLogger(HttpDelivery.class);

  /** Default cap on a response body: provider answers are a few hundred bytes. */
  public static final int DEFAULT_MAX_RESPONSE_BYTES = 256 * 1024;

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);

  private final HttpClient client;
  private final Ticker ticker;
  private final int maxResponseBytes;

  private HttpDelivery(HttpClient client, Ticker ticker, int maxResponseBytes) {
    this.client = client;
    this.ticker = ticker;
    this.maxResponseBytes = maxResponseBytes;
  }

  /** The process-wide delivery on the system clock; its client is built on first use. */
  public static HttpDelivery shared() {
    return Shared.INSTANCE;
  }

  /** Builds the process's HTTP client now, e.g. during a Lambda's init phase. */
  public static void warmUp() {
    Objects.requireNonNull(Shared.INSTANCE.client);
  }

  /** A delivery on {@code ticker}, sharing the process's client (tests inject a ticker). */
  public static HttpDelivery create(Ticker ticker) {
    return new HttpDelivery(Shared.CLIENT, ticker, DEFAULT_MAX_RESPONSE_BYTES);
  }

  /** A delivery with its own client, ticker and response cap. */
  public static HttpDelivery create(HttpClient client, Ticker ticker, int maxResponseBytes) {
    if (maxResponseBytes < 1) {
      throw new IllegalArgumentException("maxResponseBytes must be positive");
    }
    return new HttpDelivery(client, ticker, maxResponseBytes);
  }

  private static HttpClient newSharedClient() {
    Timeline.mark("http-client", "build");
    HttpClient client = newClient();
    Timeline.mark("http-client", "built");
    return client;
  }

  /** A new client configured as the shared one: HTTP/2 where offered, 3 s to connect. */
  public static HttpClient newClient() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_2)
        .connectTimeout(CONNECT_TIMEOUT)
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  /**
   * The client this delivery sends with: for {@link #shared()}, the process's one client, which
   * other HTTP peers of the process (e.g. a Lambda Runtime API loop) should share rather than
   * build a second one with its own threads.
   */
  public HttpClient client() {
    return client;
  }

  /** The ticker this delivery waits on. */
  public Ticker ticker() {
    return ticker;
  }

  /**
   * Sends the request built by {@code request} until an answer is final, the policy's attempts
   * are spent or the deadline comes.
   *
   * @param peer a short name for logs and messages ("pushover"); the URL is never logged
   * @param request the request; each attempt sends a copy with its own timeout
   * @return the last answer: a non-retryable one, or a retryable one when no further attempt
   *     fitted (the caller decides what e.g. a final 503 means)
   * @throws DeliveryException when no attempt produced an answer
   */
  public Exchange send(String peer, HttpRequest.Builder request, RetryPolicy policy,
      Deadline deadline) throws DeliveryException {
    Exchange last = null;
    Exception lastError = null;
    int attempt = 0;
    String host = request.copy().build().uri().getHost();
    while (true) {
      Duration left = deadline.remaining();
      if (left.isZero()) {
        break;
      }
      attempt++;
      Duration timeout = min(policy.attemptTimeout(), left);
      Duration wait;
      try {
        Timeline.mark(peer, "request");
        Exchange answer = attempt(request, timeout, attempt);
        if (Timeline.on()) {
          Timeline.mark(peer, "answered " + answer.statusCode());
        }
        if (!policy.retries(answer)) {
          return answer;
        }
        last = answer;
        lastError = null;
        Duration retryAfter =
            answer.header("Retry-After").map(v -> parseRetryAfter(v, ticker.now())).orElse(null);
        wait = retryAfter != null ? retryAfter : backoff(policy, attempt);
        log.debug("{}: attempt {} answered {}", peer, attempt, answer.statusCode());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new DeliveryException(peer + ": interrupted during attempt " + attempt, attempt, e);
      } catch (IOException e) {
        Timeline.mark(peer, "failed");
        if (!isTransient(e)) {
          throw new DeliveryException(peer + ": " + describe(e, host), attempt, e);
        }
        lastError = e;
        wait = backoff(policy, attempt);
        log.debug("{}: attempt {} failed: {}", peer, attempt, describe(e, host));
      }
      if (attempt >= policy.maxAttempts()) {
        break;
      }
      wait = max(wait, policy.minRetryDelay());
      if (wait.compareTo(deadline.remaining()) >= 0) {
        log.debug("{}: next attempt would start after the deadline; giving up", peer);
        break;
      }
      try {
        ticker.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new DeliveryException(peer + ": interrupted while waiting to retry", attempt, e);
      }
    }
    if (last != null && lastError == null) {
      return last;
    }
    String why = lastError == null ? "deadline passed before the first attempt"
        : describe(lastError, host);
    throw new DeliveryException(
        peer + ": " + why + " (" + attempt + (attempt == 1 ? " attempt)" : " attempts)"),
        attempt, lastError);
  }

  private Exchange attempt(HttpRequest.Builder template, Duration timeout, int attempt)
      throws IOException, InterruptedException {
    HttpRequest.Builder builder = template.copy().timeout(timeout);
    HttpRequest probe = builder.build();
    if ("http".equalsIgnoreCase(probe.uri().getScheme())) {
      // No h2c upgrade dance on cleartext: loopback peers, proxies and test servers speak 1.1.
      builder.version(HttpClient.Version.HTTP_1_1);
      probe = builder.build();
    }
    CompletableFuture<HttpResponse<CappedBody.Bytes>> future =
        client.sendAsync(probe, CappedBody.handler(maxResponseBytes));
    try {
      HttpResponse<CappedBody.Bytes> response =
          future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      CappedBody.Bytes body = response.body();
      return new Exchange(
          response.statusCode(), response.headers(), body.bytes(), body.truncated(), attempt);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new HttpTimeoutException("no complete answer within " + timeout.toMillis() + " ms");
    } catch (InterruptedException e) {
      future.cancel(true);
      throw e;
    } catch (CancellationException e) {
      throw new IOException("request cancelled", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException) {
        throw (IOException) cause;
      }
      throw new IOException(cause == null ? "request failed" : cause.toString(), cause);
    }
  }

  private Duration backoff(RetryPolicy policy, int attempt) {
    long base = policy.initialBackoff().toNanos();
    long cap = policy.maxBackoff().toNanos();
    long exponential = base << Math.min(attempt - 1, 20);
    long bounded = exponential <= 0 || exponential > cap ? cap : exponential;
    return Duration.ofNanos(jitter(bounded));
  }

  /** Equal jitter: half the wait fixed, half random, so retries spread but still back off. */
  private static long jitter(long nanos) {
    long half = nanos / 2;
    return half + (half > 0 ? ThreadLocalRandom.current().nextLong(half + 1) : 0);
  }

  /** Seconds, or an HTTP date read against {@code now}; unparseable values are ignored. */
  static Duration parseRetryAfter(String value, Instant now) {
    String text = value.trim();
    try {
      return Duration.ofSeconds(Math.max(0, Long.parseLong(text)));
    } catch (NumberFormatException notSeconds) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration wait = Duration.between(now, at.toInstant());
        return wait.isNegative() ? Duration.ZERO : wait;
      } catch (DateTimeParseException notDate) {
        return null;
      }
    }
  }

  /** A failed TLS handshake (bad certificate, no common cipher) will fail the same way again. */
  static boolean isTransient(IOException e) {
    return !(e instanceof SSLHandshakeException);
  }

  /**
   * What went wrong, in the operator's terms: a host that does not resolve (a typo in a URL
   * setting, a missing DNS record) is told apart from one that refuses or cannot be reached.
   */
  static String describe(Exception e, String host) {
    if (e instanceof HttpTimeoutException) {
      return "timed out (" + e.getMessage() + ")";
    }
    if (doesNotResolve(e)) {
      return "host '" + host + "' does not resolve (no DNS record: check the URL setting)";
    }
    if (e instanceof ConnectException) {
      return "connection refused or unreachable";
    }
    String message = e.getMessage();
    String kind = e.getClass().getSimpleName();
    return message == null || message.isBlank() ? kind : kind + ": " + message;
  }

  private static boolean doesNotResolve(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  /** Holder idiom: the client is built on first use, once, by the class loader's lock. */
  private static final class Shared {
    static final HttpClient CLIENT = newSharedClient();
    static final HttpDelivery INSTANCE =
        new HttpDelivery(CLIENT, Ticker.system(), DEFAULT_MAX_RESPONSE_BYTES);
  }
}
