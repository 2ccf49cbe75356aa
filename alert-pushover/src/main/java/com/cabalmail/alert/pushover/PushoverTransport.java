package com.cabalmail.alert.pushover;

import com.cabalmail.alert.Alert;
import com.cabalmail.alert.Labels;
import com.cabalmail.alert.Outcome;
import com.cabalmail.alert.ledger.Acknowledgement;
import com.cabalmail.alert.spi.PriorDelivery;
import com.cabalmail.alert.spi.Transport;
import com.cabalmail.http.Deadline;
import com.cabalmail.http.DeliveryException;
import com.cabalmail.http.Exchange;
import com.cabalmail.http.HttpDelivery;
import com.cabalmail.http.Redaction;
import com.cabalmail.http.RetryPolicy;
import com.cabalmail.http.Secret;
import com.cabalmail.http.Text;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends alerts through Pushover's Messages API ({@code POST /1/messages.json}, form-encoded,
 * UTF-8). Stateless and thread-safe.
 *
 * <p><b>Answers.</b> 200 with {@code status: 1} is sent (the request id as message id, an
 * emergency's receipt in the detail); any other 4xx is rejected with Pushover's own
 * {@code errors[]} and never resent; 429, the monthly quota being used up, is rejected and not
 * retried; 500, 502-504, resets and timeouts are retried by {@link #POLICY}, never sooner than
 * Pushover's 5 s minimum; a 200 whose body is not Pushover's JSON is failed. A warning is
 * logged when under 10% of the application's monthly quota is left. At most two requests are
 * in flight at once, as Pushover asks; others wait for a slot within their deadline.
 *
 * <p><b>Recoveries.</b> A resolved alert first cancels the repeats of the emergency sent for
 * the same fingerprint, then the recovery is sent at the route's priority, 2 being lowered to
 * 1. With a delivery ledger that kept the emergency's receipt (the {@link Outcome#handle()} of
 * a sent emergency), the cancel is {@code POST /1/receipts/{receipt}/cancel.json}. Otherwise a
 * cancel is made only when the routing table could have sent an emergency for the alert (its
 * firing route here is priority 2, {@link Labels#FIRING_PRIORITY}) and the ledger does not know
 * that no emergency went out: then {@code POST /1/receipts/cancel_by_tag/{tag}.json} cancels
 * whatever emergency carried the fingerprint's tag. The cancel gets at most half
 * of the delivery budget, so the recovery always has the rest. When the cancel fails, the
 * recovery is still sent and says, in its last line, that the repeats could not be stopped;
 * the outcome then is <em>failed</em> if the cancel had no answer or a 5xx (a caller that
 * retries will cancel again), or the recovery's own if Pushover refused the cancel (sending it
 * again would be refused again); the detail reports both steps.
 *
 * <p>Outcome details, message ids and log lines never contain the token or user key, nor a
 * piece of one: whatever Pushover (or a middlebox in front of it) echoes is scrubbed whole
 * before it is cut to length ({@link Text#excerpt}).
 */
final class PushoverTransport implements Transport {

  private static final Logger log = LoggerFactory.getLogger(PushoverTransport.class);

  /**
   * Pushover's documented policy: 429 is a spent quota (not retried), 500 is transient, retry
   * no sooner than 5 s. 3 s per attempt: a fast failure plus the 5 s wait plus a retry fit the
   * default 7 s delivery budget; a hung attempt leaves no room for a second one.
   */
  static final RetryPolicy POLICY = RetryPolicy.standard()
      .notRetrying(429)
      .alsoRetrying(500)
      .withMinRetryDelay(Duration.ofSeconds(5))
      .withAttemptTimeout(Duration.ofSeconds(3));

  static final String PEER = "pushover";
  /** A receipt as Pushover issues them (30 letters and digits; accepted up to 64). */
  static final Pattern RECEIPT = Pattern.compile("[A-Za-z0-9]{1,64}");
  static final String CANCEL_FAILED_NOTE =
      "\u26a0 Emergency repeats of this alert could not be cancelled: acknowledge it in Pushover"
          + " to stop them.";
  /** Pushover asks for at most two concurrent requests per client. */
  static final int MAX_IN_FLIGHT = 2;
  private static final String NO_SLOT = "pushover: no request slot freed up before the deadline"
      + " (Pushover allows " + MAX_IN_FLIGHT + " concurrent requests)";
  private static final String INTERRUPTED = "pushover: interrupted while waiting for a request"
      + " slot (the router is closing); not sent";
  private static final int LOW_QUOTA_PERCENT = 10;

  private final PushoverSettings settings;
  private final HttpDelivery delivery;
  private final URI messagesUrl;
  private final Redaction redaction;
  private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT, true);
  /** The latest {@code X-Limit-App-Remaining}, or -1 before any answer carried one. */
  private final AtomicLong quotaRemaining = new AtomicLong(-1);

  PushoverTransport(PushoverSettings settings, HttpDelivery delivery) {
    this.settings = settings;
    this.delivery = delivery;
    this.messagesUrl = URI.create(settings.apiUrl() + "/1/messages.json");
    List<Secret> all = new ArrayList<>(List.of(settings.appToken(), settings.userKey()));
    for (String key : settings.userKey().reveal().split(",")) {
      all.add(Secret.of(key));
    }
    this.redaction = Redaction.of(all);
  }

  @Override
  public Outcome deliver(Alert alert, int priority, Deadline deadline) {
    return deliver(alert, priority, deadline, PriorDelivery.unknown());
  }

  @Override
  public Outcome deliver(Alert alert, int priority, Deadline deadline, PriorDelivery prior) {
    if (priority < -2 || priority > 2) {
      return Outcome.rejected("priority " + priority + " is outside Pushover's -2..2", 0);
    }
    if (!alert.isResolved()) {
      return send(PushoverMessage.of(alert, priority, settings, null), deadline);
    }
    String receipt = prior.handle().filter(h -> RECEIPT.matcher(h).matches()).orElse(null);
    String target;
    URI cancelUrl;
    if (receipt != null) {
      target = "emergency repeats of receipt " + receipt;
      cancelUrl = URI.create(settings.apiUrl() + "/1/receipts/" + receipt + "/cancel.json");
    } else if (!couldHavePaged(alert)) {
      // The routing table never sends an emergency for this alert: nothing to cancel.
      return send(PushoverMessage.of(alert, priority, settings, null), deadline);
    } else if (prior.knowledge() == PriorDelivery.Knowledge.UNKNOWN
        || prior.handle().isPresent()) { // unknown, or a handle that is no receipt
      String tag = PushoverMessage.tag(alert);
      target = "emergency repeats tagged " + tag;
      cancelUrl = URI.create(settings.apiUrl() + "/1/receipts/cancel_by_tag/" + tag + ".json");
    } else {
      // The ledger knows no emergency of this alert went out: nothing to cancel.
      Outcome sent = send(PushoverMessage.of(alert, priority, settings, null), deadline);
      return sent.withDetail("recovery: " + sent.detail() + "; no emergency was sent, none"
          + " cancelled");
    }
    Deadline cancelBy = deadline.atMost(deadline.remaining().dividedBy(2));
    Step cancel = cancel(cancelUrl, cancelBy);
    PushoverMessage recovery = PushoverMessage.of(
        alert, priority, settings, cancel.kind == Outcome.Kind.SENT ? null : CANCEL_FAILED_NOTE);
    Outcome sent = send(recovery, deadline);
    return combine(target, cancel, sent);
  }

  /**
   * Asks Pushover's receipts API ({@code GET /1/receipts/{receipt}.json}) whether the emergency
   * {@code handle} was acknowledged. {@code by} is never the user key itself: "user " and 8 hex
   * digits of its SHA-256. Empty when not acknowledged, unknown, or Pushover could not be asked
   * (logged). One call per acknowledgement; {@link #POLICY} keeps a retry 5 s after the last
   * try, Pushover's rule for polling receipts.
   */
  @Override
  public Optional<Acknowledgement> acknowledgement(String handle, Deadline deadline) {
    if (handle == null || !RECEIPT.matcher(handle).matches()) {
      return Optional.empty();
    }
    URI url = URI.create(settings.apiUrl() + "/1/receipts/" + handle + ".json?token="
        + URLEncoder.encode(settings.appToken().reveal(), StandardCharsets.UTF_8));
    Exchange answer;
    try {
      answer = delivery.send(PEER, HttpRequest.newBuilder(url).header("Accept",
          "application/json").GET(), POLICY, deadline);
    } catch (DeliveryException e) {
      log.warn("pushover: receipt {} could not be read: {}", handle, scrub(e.getMessage()));
      return Optional.empty();
    }
    Optional<PushoverReceipt> receipt = PushoverReceipt.parse(answer.body());
    if (!answer.isSuccess() || receipt.isEmpty() || receipt.get().status() != 1) {
      log.warn("pushover: receipt {} not confirmed: answered {}", handle, answer.statusCode());
      return Optional.empty();
    }
    PushoverReceipt r = receipt.get();
    if (!r.acknowledged()) {
      return Optional.empty();
    }
    return Optional.of(new Acknowledgement(userHash(r.acknowledgedBy()),
        Text.singleLine(r.device().isBlank() ? "pushover" : r.device()),
        Instant.ofEpochSecond(r.acknowledgedAt()), PEER));
  }

  /** "user" and 8 hex digits of the key's SHA-256: who, without the key. */
  static String userHash(String userKey) {
    if (userKey == null || userKey.isBlank()) {
      return "pushover user";
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(userKey.getBytes(StandardCharsets.UTF_8));
      StringBuilder hex = new StringBuilder("user ");
      for (int i = 0; i < 4; i++) {
        hex.append(Character.forDigit((digest[i] >> 4) & 0xf, 16))
            .append(Character.forDigit(digest[i] & 0xf, 16));
      }
      return hex.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Cancels the emergency {@code handle} by its receipt ({@code POST .../cancel.json}). */
  @Override
  public Outcome cancel(String handle, Deadline deadline) {
    if (handle == null || !RECEIPT.matcher(handle).matches()) {
      return Outcome.rejected("not a Pushover receipt", 0);
    }
    Step step = cancel(URI.create(settings.apiUrl() + "/1/receipts/" + handle + "/cancel.json"),
        deadline);
    return new Outcome(step.kind, Optional.empty(), "emergency repeats of receipt " + handle + " cancel: "
        + step.detail, step.attempts);
  }

  /**
   * Whether an emergency could have been sent for this alert while it fired: the router says
   * so in {@link Labels#FIRING_PRIORITY}; without that label (a caller outside the router) the
   * cancel is made, the safe side.
   */
  static boolean couldHavePaged(Alert alert) {
    String firing = alert.labels().get(Labels.FIRING_PRIORITY);
    return firing == null || firing.equals(Integer.toString(PushoverMessage.EMERGENCY));
  }

  private Outcome send(PushoverMessage message, Deadline deadline) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("token", settings.appToken().reveal());
    form.put("user", settings.userKey().reveal());
    form.putAll(message.fields());
    Exchange answer;
    try {
      answer = exchange(messagesUrl, form, deadline);
    } catch (DeliveryException e) {
      return Outcome.failed(scrub(e.getMessage()), e.attempts());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Outcome.failed(INTERRUPTED, 0);
    }
    if (answer == null) {
      return Outcome.failed(NO_SLOT, 0);
    }
    watchQuota(answer);
    int status = answer.statusCode();
    Optional<PushoverAnswer> parsed = PushoverAnswer.parse(answer.body(), redaction);
    if (answer.isSuccess()) {
      if (parsed.isEmpty()) {
        return Outcome.failed(scrub("Pushover answered " + status + " with a body that is not"
            + " its JSON: " + excerpt(answer, redaction)), answer.attempts());
      }
      PushoverAnswer json = parsed.get();
      if (!json.accepted()) {
        return Outcome.failed(scrub("Pushover answered " + status + " with status "
            + json.status() + ": " + json.reasons()), answer.attempts());
      }
      // No lambdas: this is on the cold path (ColdPathLambdasIT).
      String request = json.request().isPresent() ? scrub(Text.singleLine(json.request().get()))
          : null;
      String receipt = json.receipt().orElse(null);
      return Outcome.sent(request, scrub(sentDetail(message, json)), answer.attempts())
          .withHandle(receipt != null && RECEIPT.matcher(receipt).matches() ? receipt : null);
    }
    if (status == 429) {
      return Outcome.rejected(scrub("Pushover's message quota is used up (429), not retried"
          + resetPhrase(answer) + parsed.map(a -> ": " + a.reasons()).orElse("")),
          answer.attempts());
    }
    if (status >= 400 && status < 500) {
      return Outcome.rejected(scrub("Pushover rejected the message (" + status + "): "
          + parsed.map(PushoverAnswer::reasons).orElse("no Pushover JSON: " + excerpt(answer, redaction))),
          answer.attempts());
    }
    return Outcome.failed(scrub("Pushover answered " + status + " after " + answer.attempts()
        + (answer.attempts() == 1 ? " attempt" : " attempts")
        + parsed.map(a -> ": " + a.reasons()).orElse("")), answer.attempts());
  }

  /** One step of a recovery: the cancel, reported as sent (done), rejected or failed. */
  private static final class Step {
    final Outcome.Kind kind;
    final String detail;
    final int attempts;

    Step(Outcome.Kind kind, String detail, int attempts) {
      this.kind = kind;
      this.detail = detail;
      this.attempts = attempts;
    }
  }

  private Step cancel(URI url, Deadline deadline) {
    Map<String, String> form = Map.of("token", settings.appToken().reveal());
    Exchange answer;
    try {
      answer = exchange(url, form, deadline);
    } catch (DeliveryException e) {
      return new Step(Outcome.Kind.FAILED, scrub(e.getMessage()), e.attempts());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Step(Outcome.Kind.FAILED, INTERRUPTED, 0);
    }
    if (answer == null) {
      return new Step(Outcome.Kind.FAILED, NO_SLOT, 0);
    }
    int status = answer.statusCode();
    Optional<PushoverAnswer> parsed = PushoverAnswer.parse(answer.body(), redaction);
    if (answer.isSuccess() && parsed.isPresent() && parsed.get().accepted()) {
      return new Step(Outcome.Kind.SENT, "accepted", answer.attempts());
    }
    String reason = parsed.isPresent() ? parsed.get().reasons() : excerpt(answer, redaction);
    Outcome.Kind kind = status >= 400 && status < 500 ? Outcome.Kind.REJECTED : Outcome.Kind.FAILED;
    return new Step(kind, scrub((kind == Outcome.Kind.REJECTED ? "refused (" : "answered ")
        + status + (kind == Outcome.Kind.REJECTED ? "): " : ": ") + reason), answer.attempts());
  }

  /**
   * Sends one request once one of Pushover's {@value #MAX_IN_FLIGHT} concurrent request slots
   * is free, waiting at most until the deadline; null when none frees up before it.
   *
   * @throws InterruptedException when interrupted while waiting: not a missing slot
   */
  private Exchange exchange(URI url, Map<String, String> form, Deadline deadline)
      throws DeliveryException, InterruptedException {
    if (!inFlight.tryAcquire(deadline.remaining().toNanos(), TimeUnit.NANOSECONDS)) {
      return null;
    }
    try {
      return delivery.send(PEER, post(url, form), POLICY, deadline);
    } finally {
      inFlight.release();
    }
  }

  private Outcome combine(String cancelled, Step cancel, Outcome sent) {
    int attempts = cancel.attempts + sent.attempts();
    if (cancel.kind == Outcome.Kind.SENT) {
      return new Outcome(sent.kind(), sent.messageId(),
          "recovery: " + sent.detail() + "; " + cancelled + " cancelled", attempts);
    }
    log.warn("pushover: {} were not cancelled ({}); the recovery asks to acknowledge them",
        cancelled, cancel.detail);
    String detail = "recovery: " + sent.detail() + "; " + cancelled + " NOT cancelled, they go on"
        + " until acknowledged or expired: " + cancel.detail;
    Outcome.Kind kind = cancel.kind == Outcome.Kind.FAILED ? Outcome.Kind.FAILED : sent.kind();
    return new Outcome(kind, sent.messageId(), detail, attempts);
  }

  private String sentDetail(PushoverMessage message, PushoverAnswer answer) {
    StringBuilder detail = new StringBuilder("queued");
    if (answer.receipt().isPresent()) {
      detail.append("; emergency receipt ")
          .append(Text.singleLine(answer.receipt().get())).append(", repeats every ")
          .append(settings.emergencyRetry().toSeconds()).append(" s for up to ")
          .append(settings.emergencyExpire().toSeconds()).append(" s until acknowledged, tag ")
          .append(message.fields().get("tags"));
    }
    if (!message.notes().isEmpty()) {
      detail.append("; ").append(String.join("; ", message.notes()));
    }
    return detail.toString();
  }

  private void watchQuota(Exchange answer) {
    OptionalLong limit = number(answer, "X-Limit-App-Limit");
    OptionalLong remaining = number(answer, "X-Limit-App-Remaining");
    if (remaining.isPresent()) {
      quotaRemaining.set(remaining.getAsLong());
    }
    if (limit.isPresent() && remaining.isPresent() && limit.getAsLong() > 0
        && remaining.getAsLong() * 100 < limit.getAsLong() * LOW_QUOTA_PERCENT) {
      log.warn("pushover: only {} of the application's {} monthly messages are left{}",
          remaining.getAsLong(), limit.getAsLong(), resetPhrase(answer));
    }
  }

  /** The application's messages left this month, as Pushover's latest answer stated. */
  @Override
  public OptionalLong quotaRemaining() {
    long remaining = quotaRemaining.get();
    return remaining < 0 ? OptionalLong.empty() : OptionalLong.of(remaining);
  }

  private static String resetPhrase(Exchange answer) {
    OptionalLong reset = number(answer, "X-Limit-App-Reset");
    return reset.isPresent() ? "; the quota resets at " + Instant.ofEpochSecond(reset.getAsLong())
        : "";
  }

  private static OptionalLong number(Exchange answer, String header) {
    Optional<String> value = answer.header(header);
    if (value.isEmpty()) {
      return OptionalLong.empty();
    }
    try {
      long parsed = Long.parseLong(value.get().trim());
      return parsed >= 0 ? OptionalLong.of(parsed) : OptionalLong.empty();
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /** The start of a body that is not Pushover's JSON, one line, for the outcome. */
  private static String excerpt(Exchange answer, Redaction redaction) {
    String type = answer.header("Content-Type")
        .map(t -> " (" + Text.excerpt(t, 80, redaction) + ")").orElse("");
    String text = answer.bodyText().strip();
    if (text.isEmpty()) {
      return "empty body" + type;
    }
    return "'" + Text.excerpt(text, 80, redaction) + "'" + type;
  }

  private static HttpRequest.Builder post(URI url, Map<String, String> form) {
    StringBuilder body = new StringBuilder();
    for (Map.Entry<String, String> field : form.entrySet()) {
      if (body.length() > 0) {
        body.append('&');
      }
      body.append(URLEncoder.encode(field.getKey(), StandardCharsets.UTF_8)).append('=')
          .append(URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8));
    }
    return HttpRequest.newBuilder(url)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.US_ASCII));
  }

  /** Once more over a whole detail: provider text in it was already scrubbed before its cut. */
  private String scrub(String text) {
    return redaction.scrub(text);
  }
}
