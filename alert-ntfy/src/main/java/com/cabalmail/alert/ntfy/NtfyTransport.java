package com.cabalmail.alert.ntfy;

import com.cabalmail.alert.Alert;
import com.cabalmail.alert.Outcome;
import com.cabalmail.alert.Severity;
import com.cabalmail.alert.spi.PriorDelivery;
import com.cabalmail.alert.spi.Transport;
import com.cabalmail.http.Deadline;
import com.cabalmail.http.DeliveryException;
import com.cabalmail.http.Exchange;
import com.cabalmail.http.HttpDelivery;
import com.cabalmail.http.RetryPolicy;
import com.cabalmail.http.Json;
import com.cabalmail.http.Redaction;
import com.cabalmail.http.Text;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes alerts to ntfy as one JSON document posted to the server root. Only ASCII goes into
 * headers ({@code Content-Type}, {@code Authorization}); everything an alert says travels in
 * the body. Thread-safe: holds only immutable settings, the shared delivery and one flag.
 *
 * <p>One notification per alert: every message of an alert carries its {@link #sequenceId},
 * so the recovery replaces the firing notification in place (then clears or deletes it, as
 * {@code NTFY_ON_RESOLVED} says). A warning inside quiet hours is published with a
 * {@code delay} to the window's end, and its recovery before then deletes it. A critical alert
 * also publishes its escalation with a {@code delay}, under the sequence ID plus
 * {@value #ESCALATION_SUFFIX} on the escalation topic: the ntfy server holds it, so it arrives
 * even when this sink is gone; the recovery (or an acknowledgement, through
 * {@link #withdrawEscalation}) deletes it first. A server before 2.16 answers a clear or delete
 * with 404 (40401): logged once, never retried, never sent again.
 *
 * <p>Answers: 2xx with ntfy's stored message is sent, with its id; 3xx and 4xx (401 bad
 * credentials, 403 no write access, 413 too large...) are rejected at once with ntfy's error
 * text; 429, 500, 502, 503, 504, resets and timeouts are retried while the deadline allows, a
 * final 429 then fails as rate limited, except the daily quota (429 with code 42908), which is
 * rejected and never retried; a 2xx that is not ntfy's JSON fails.
 */
final class NtfyTransport implements Transport {

  private static final Logger log = LoggerFactory.getLogger(NtfyTransport.class);

  static final String PEER = "ntfy";
  /** ntfy's code for a visitor's daily message quota used up: retrying today is useless. */
  static final int DAILY_QUOTA = 42908;
  static final int MIN_PRIORITY = 1;
  static final int MAX_PRIORITY = 5;

  /**
   * ntfy answers in milliseconds; 2.5 s per attempt leaves two whole attempts and part of a
   * third inside the default 7 s delivery budget when a server hangs.
   */
  static final Duration ATTEMPT_TIMEOUT = Duration.ofMillis(2_500);

  /**
   * 429 (ntfy sends no Retry-After), 500 (ntfy's transient 50001) and 502-504 are retried; not
   * the daily-quota 429 (code 42908).
   */
  static final RetryPolicy POLICY = retryingAllBut(
      RetryPolicy.standard().alsoRetrying(500).withAttemptTimeout(ATTEMPT_TIMEOUT));

  /** {@code policy}, except that a daily-quota 429 (42908) is answered at once: it lasts all day. */
  private static RetryPolicy retryingAllBut(RetryPolicy policy) {
    return policy.retrying(new RetryableButDailyQuota(policy.retryableAnswer()));
  }

  /** A class, not a lambda: the policy is built on every cold start (ColdPathLambdasIT). */
  private static final class RetryableButDailyQuota
      implements java.util.function.Predicate<Exchange> {
    private final java.util.function.Predicate<Exchange> retryable;

    RetryableButDailyQuota(java.util.function.Predicate<Exchange> retryable) {
      this.retryable = retryable;
    }

    @Override
    public boolean test(Exchange answer) {
      return retryable.test(answer) && !isDailyQuota(answer);
    }
  }

  static boolean isDailyQuota(Exchange answer) {
    if (answer.statusCode() != 429) {
      return false;
    }
    Optional<NtfyAnswer> parsed = NtfyAnswer.parse(answer.body());
    return parsed.isPresent() && parsed.get().code() == DAILY_QUOTA;
  }

  /** What a firing alert's handle says when ntfy holds its message back: {@code held:<unix>}. */
  static final String HELD = "held:";
  /** What an escalation's sequence ID adds to the alert's. */
  static final String ESCALATION_SUFFIX = "-esc";
  /** A sequence ID of the alert's own is at most this long, so the escalation's fits in 64. */
  static final int MAX_SEQUENCE_ID = 64 - ESCALATION_SUFFIX.length();
  /**
   * Quiet hours ending sooner than this are not waited for: ntfy refuses a delay under 10 s
   * (40005), and the request may take a few seconds to arrive.
   */
  static final Duration MIN_HOLD = Duration.ofSeconds(30);
  /** ntfy's answer to a route it does not have: a clear or delete sent to a server before 2.16. */
  static final int NOT_FOUND = 40401;

  private final NtfySettings settings;
  private final HttpDelivery delivery;
  private final Redaction redaction;
  private final Clock clock;
  /** Set by the first 40401 to a clear or delete: the server is older than 2.16. */
  private final AtomicBoolean oldServer = new AtomicBoolean();

  NtfyTransport(NtfySettings settings, HttpDelivery delivery) {
    this(settings, delivery, Clock.systemUTC());
  }

  NtfyTransport(NtfySettings settings, HttpDelivery delivery, Clock clock) {
    this.settings = settings;
    this.delivery = delivery;
    this.redaction = Redaction.of(settings.secrets());
    this.clock = clock;
  }

  /**
   * The sequence ID of every message of {@code alert}: its {@link Alert#scopeToken()} (what its
   * recovery ends: its identity, or its source when it has none) and its severity, e.g.
   * {@code 690985afaa3b8d23-critical}, within ntfy's topic alphabet; one longer than
   * {@value #MAX_SEQUENCE_ID} characters is 16 hex digits of its SHA-256. The same for the
   * firing alert and its recovery. The severity keeps a rise from warning to critical a
   * notification of its own, which sounds, as the ledger keeps it a delivery of its own.
   */
  static String sequenceId(Alert alert) {
    String sid = alert.scopeToken() + "-" + alert.severity().wireName();
    return sid.length() <= MAX_SEQUENCE_ID ? sid : Alert.digest(sid);
  }


  @Override
  public Outcome deliver(Alert alert, int priority, Deadline deadline) {
    return deliver(alert, priority, deadline, PriorDelivery.unknown());
  }

  @Override
  public Outcome deliver(Alert alert, int priority, Deadline deadline, PriorDelivery prior) {
    if (priority < MIN_PRIORITY || priority > MAX_PRIORITY) {
      return Outcome.rejected("priority " + priority + " is outside ntfy's " + MIN_PRIORITY
          + ".." + MAX_PRIORITY, 0);
    }
    String topic = settings.topics().get(alert.severity());
    try {
      if (alert.isTest()) {
        // Every press of a test button is a notification of its own: no sequence ID.
        return publish(NtfyMessage.render(alert, priority, settings), topic, deadline);
      }
      String sid = sequenceId(alert);
      return alert.isResolved()
          ? resolve(alert, priority, deadline, prior, topic, sid)
          : fire(alert, priority, deadline, topic, sid);
    } catch (RuntimeException e) {
      log.warn("ntfy: could not deliver alert {}: {}", alert.fingerprint(),
          scrub(e.toString()));
      return Outcome.failed(scrub("could not publish: " + e), 0);
    }
  }

  /**
   * A firing alert: published under its sequence ID; a warning or info inside quiet hours is
   * held back by ntfy until they end (the handle says until when); a critical alert also
   * schedules its escalation.
   */
  private Outcome fire(Alert alert, int priority, Deadline deadline, String topic, String sid) {
    Instant heldUntil = null;
    if (settings.quietHours() != null && alert.severity() != Severity.CRITICAL) {
      Instant now = clock.instant();
      heldUntil = settings.quietHours().heldUntil(now);
      if (heldUntil != null && heldUntil.isBefore(now.plus(MIN_HOLD))) {
        heldUntil = null;
      }
    }
    String delay = heldUntil == null ? null : Long.toString(heldUntil.getEpochSecond());
    Outcome outcome = publish(NtfyMessage.render(alert, priority, settings, topic, null, sid,
        delay, null), topic, deadline);
    if (heldUntil != null && outcome.kind() == Outcome.Kind.SENT) {
      outcome = outcome.withDetail(outcome.detail() + ", held back until " + heldUntil
          + " (quiet hours " + settings.quietHours() + ")")
          .withHandle(HELD + heldUntil.getEpochSecond());
    } else if (outcome.kind() == Outcome.Kind.SENT) {
      // The sequence ID, kept by the ledger: an acknowledgement replaces the notification by it.
      outcome = outcome.withHandle(sid);
    }
    if (settings.escalationTopic() == null || alert.severity() != Severity.CRITICAL) {
      return outcome;
    }
    // Scheduled even when the page failed: nobody may have seen it, so the escalation matters
    // more. The server holds it, so it arrives even if this sink is gone by then.
    Outcome escalation = publish(NtfyMessage.render(alert, MAX_PRIORITY, settings,
        settings.escalationTopic(), "[ESCALATED] ", sid + ESCALATION_SUFFIX,
        settings.escalateAfter().getSeconds() + "s", "Nobody acknowledged or resolved this "
            + describe(settings.escalateAfter()) + " after it fired."),
        settings.escalationTopic(), deadline);
    if (!escalation.isSent()) {
      log.warn("ntfy: the escalation of alert {} to topic '{}' could not be scheduled: {}",
          alert.fingerprint(), settings.escalationTopic(), escalation.detail());
      String failed = ", but its escalation to topic '" + settings.escalationTopic()
          + "' could not be scheduled: " + escalation.detail();
      if (outcome.isSent() && escalation.isTransient()) {
        // Failed, so that the sender's retry schedules it; the page is replaced in place.
        return Outcome.failed(outcome.detail() + failed,
            outcome.attempts() + escalation.attempts());
      }
      // Refused (no write access to the topic...): a retry would be refused again.
      return outcome.isSent() ? outcome.withDetail(outcome.detail() + failed) : outcome;
    }
    return outcome.withDetail(outcome.detail() + "; escalates to topic '"
        + settings.escalationTopic() + "' in " + describe(settings.escalateAfter())
        + " unless resolved or acknowledged");
  }

  /**
   * A recovery: the firing message still held back by quiet hours is withdrawn (nothing stale
   * waits for the morning); otherwise the notification is replaced in place, then cleared or
   * deleted as {@code NTFY_ON_RESOLVED} says. A critical alert's escalation is withdrawn.
   */
  private Outcome resolve(Alert alert, int priority, Deadline deadline, PriorDelivery prior,
      String topic, String sid) {
    Instant now = clock.instant();
    Instant heldUntil = heldUntil(prior);
    boolean known = heldUntil != null;
    if (heldUntil == null && prior.knowledge() == PriorDelivery.Knowledge.UNKNOWN
        && settings.quietHours() != null && alert.severity() != Severity.CRITICAL) {
      // Without a ledger the firing message may be waiting for the end of this window.
      heldUntil = settings.quietHours().heldUntil(now);
    }
    Outcome escalation = null;
    if (settings.escalationTopic() != null && alert.severity() == Severity.CRITICAL) {
      escalation = withdrawEscalation(sequenceId(alert), deadline);
    }
    if (heldUntil != null && now.isBefore(heldUntil) && !oldServer.get()) {
      Outcome withdrawn = remove(topic, sid, deadline);
      if (withdrawn.isSent()) {
        return withEscalation(Outcome.sent(withdrawn.messageId().orElse(null), known
            ? "withdrew the message held back until " + heldUntil + " (quiet hours): it was"
                + " never shown"
            : "deleted the notification inside quiet hours (until " + heldUntil + "): its"
                + " message may have been held back, and nothing stale waits for the morning",
            withdrawn.attempts()), escalation);
      }
      if (!oldServer.get()) {
        return withEscalation(withdrawn, escalation);
      }
    }
    Outcome outcome;
    if (heldUntil != null && oldServer.get() && now.isBefore(heldUntil.minus(MIN_HOLD))) {
      // A server before 2.16 cannot withdraw the held message: the recovery follows it then.
      outcome = publish(NtfyMessage.render(alert, priority, settings, topic, null, sid,
          Long.toString(heldUntil.getEpochSecond()), null), topic, deadline);
      if (outcome.isSent()) {
        outcome = outcome.withDetail(outcome.detail() + ", held back until " + heldUntil
            + " behind the firing message, which ntfy older than 2.16 cannot withdraw");
      }
      return withEscalation(outcome, escalation);
    }
    outcome = publish(NtfyMessage.render(alert, priority, settings, topic, null, sid, null,
        null), topic, deadline);
    if (outcome.isSent() && settings.onResolved() != NtfySettings.OnResolved.REPLACE) {
      outcome = afterReplacing(outcome, topic, sid, deadline);
    }
    return withEscalation(outcome, escalation);
  }

  /** The recovery's outcome, with the clear or delete that follows the replacement noted. */
  private Outcome afterReplacing(Outcome replaced, String topic, String sid, Deadline deadline) {
    boolean clear = settings.onResolved() == NtfySettings.OnResolved.CLEAR;
    String what = clear ? "cleared" : "deleted";
    if (oldServer.get()) {
      return replaced.withDetail(replaced.detail() + ", not " + what
          + ": ntfy is older than 2.16");
    }
    Outcome done = clear ? clear(topic, sid, deadline) : remove(topic, sid, deadline);
    if (done.isSent()) {
      return replaced.withDetail(replaced.detail() + ", then " + what);
    }
    // The recovery is shown: a failed clear or delete only leaves it in the drawer.
    return replaced.withDetail(replaced.detail() + ", not " + what + ": " + done.detail());
  }

  /**
   * {@code outcome} with what became of the escalation noted; failed when the escalation could
   * not be withdrawn for a reason a retry may cure. A server before 2.16 cannot withdraw it at
   * all: noted, never failed.
   */
  private static Outcome withEscalation(Outcome outcome, Outcome escalation) {
    if (escalation == null || !outcome.isSent()) {
      return outcome;
    }
    if (escalation.isTransient()) {
      return Outcome.failed(outcome.detail() + ", but " + escalation.detail(),
          outcome.attempts() + escalation.attempts());
    }
    return outcome.withDetail(outcome.detail() + "; " + escalation.detail());
  }

  /** When the firing message of {@code prior} is held back until, from its handle, or null. */
  static Instant heldUntil(PriorDelivery prior) {
    if (prior.handle().isEmpty() || !prior.handle().get().startsWith(HELD)) {
      return null;
    }
    try {
      return Instant.ofEpochSecond(Long.parseLong(prior.handle().get().substring(HELD.length())));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Withdraws the escalation of the alert whose sequence ID is {@code sid}. */
  private Outcome withdrawEscalation(String sid, Deadline deadline) {
    String topic = settings.escalationTopic();
    if (topic == null) {
      return Outcome.sent(null, "no escalation is configured", 0);
    }
    if (oldServer.get()) {
      return Outcome.rejected("escalation to topic '" + topic + "' not withdrawn: ntfy is older"
          + " than 2.16, which cannot delete a message", 0);
    }
    try {
      Outcome removed = remove(topic, sid + ESCALATION_SUFFIX, deadline);
      if (removed.isSent()) {
        return Outcome.sent(removed.messageId().orElse(null), "escalation to topic '" + topic
            + "' withdrawn", removed.attempts());
      }
      return removed.withDetail("the escalation to topic '" + topic + "' could not be"
          + " withdrawn: " + removed.detail());
    } catch (RuntimeException e) {
      return Outcome.failed(scrub("could not withdraw the escalation: " + e), 0);
    }
  }

  /** ntfy's default priority: what a recovery is sent at unless routes say; no pop-over. */
  static final int QUIET_PRIORITY = 3;

  /** Publishes one JSON document to the server root. */
  private Outcome publish(byte[] body, String topic, Deadline deadline) {
    HttpRequest.Builder request = HttpRequest.newBuilder(settings.publishUrl())
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    return send(request, topic, deadline);
  }

  /** {@code PUT /<topic>/<sid>/clear}: marked read and dismissed. */
  private Outcome clear(String topic, String sid, Deadline deadline) {
    HttpRequest.Builder request = HttpRequest.newBuilder(
        settings.publishUrl().resolve(topic + "/" + sid + "/clear"))
        .PUT(HttpRequest.BodyPublishers.noBody());
    return sendAction(request, topic, "clear", deadline);
  }

  /** {@code DELETE /<topic>/<sid>}: removed, or withdrawn while ntfy still holds it back. */
  private Outcome remove(String topic, String sid, Deadline deadline) {
    HttpRequest.Builder request = HttpRequest.newBuilder(
        settings.publishUrl().resolve(topic + "/" + sid)).DELETE();
    return sendAction(request, topic, "delete", deadline);
  }

  /**
   * A clear or delete; a 404 with code 40401 means a server before 2.16: reported in the log
   * once, never retried, and no clear or delete is sent to it again.
   */
  private Outcome sendAction(HttpRequest.Builder request, String topic, String what,
      Deadline deadline) {
    Outcome outcome = send(request, topic, deadline);
    if (outcome.kind() == Outcome.Kind.REJECTED && outcome.detail().startsWith("HTTP 404")
        && outcome.detail().contains("(" + NOT_FOUND + ")")) {
      if (oldServer.compareAndSet(false, true)) {
        log.warn("ntfy: the server answered a {} with 404 ({}): it is older than 2.16, which has"
            + " no sequence IDs, clear or delete. Recoveries arrive as a second notification,"
            + " held-back warnings and escalations cannot be withdrawn; no clear or delete is"
            + " sent again until restart. Upgrade ntfy to 2.16 or later.", what, NOT_FOUND);
      }
      return Outcome.rejected("ntfy is older than 2.16: no " + what + " (" + NOT_FOUND + ")",
          outcome.attempts());
    }
    return outcome;
  }

  /** Whether a clear or delete was answered 404/40401: the server is older than 2.16. */
  boolean isOldServer() {
    return oldServer.get();
  }

  private Outcome send(HttpRequest.Builder request, String topic, Deadline deadline) {
    request.header("Accept", "application/json");
    // No lambdas: this is on the cold path (ColdPathLambdasIT).
    if (settings.authorization().isPresent()) {
      request.header("Authorization", settings.authorization().get().reveal());
    }
    try {
      Exchange answer = delivery.send(PEER, request, POLICY, deadline);
      return interpret(answer, topic);
    } catch (DeliveryException e) {
      return Outcome.failed(scrub(e.getMessage()), e.attempts());
    }
  }

  /** {@code 15m}, {@code 90s}, {@code 2h}: a whole duration in its largest exact unit. */
  static String describe(Duration duration) {
    long seconds = duration.getSeconds();
    if (seconds % 3600 == 0) {
      return seconds / 3600 + "h";
    }
    return seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s";
  }

  private Outcome interpret(Exchange answer, String topic) {
    int status = answer.statusCode();
    int attempts = answer.attempts();
    Optional<NtfyAnswer> parsed = NtfyAnswer.parse(answer.body(), redaction);
    if (answer.isSuccess()) {
      Optional<String> id = parsed.isPresent() ? parsed.get().id() : Optional.empty();
      if (id.isPresent()) {
        return Outcome.sent(scrub(id.get()), "published to topic '" + topic + "'", attempts);
      }
      return Outcome.failed("ntfy answered HTTP " + status + " without its JSON message ("
          + answer.header("Content-Type").map(NtfyTransport::ascii).orElse("no content type")
          + ", " + answer.body().length + (answer.bodyTruncated() ? "+" : "")
          + " bytes): is " + NtfySettings.BASE_URL + " the ntfy server?", attempts);
    }
    String said = parsed.map(NtfyAnswer::describe).orElse("no ntfy error in the answer");
    if (status == 429 && parsed.map(p -> p.code() == DAILY_QUOTA).orElse(false)) {
      return Outcome.rejected(scrub("ntfy's daily message quota is used up (" + DAILY_QUOTA
          + (parsed.get().error().isEmpty() ? "" : ": " + parsed.get().error())
          + "); not retried, it resets at midnight (server time)"), attempts);
    }
    if (status == 429) {
      String code = parsed.filter(p -> p.code() != 0).map(p -> String.valueOf(p.code()))
          .orElse("HTTP 429");
      String text = parsed.map(NtfyAnswer::error).filter(e -> !e.isEmpty())
          .map(e -> ": " + e).orElse("");
      return Outcome.failed(scrub("rate limited (" + code + ")" + text + "; gave up after "
          + attempts + (attempts == 1 ? " attempt" : " attempts")), attempts);
    }
    if (status >= 300 && status < 400) {
      return Outcome.rejected("ntfy answered HTTP " + status + " (a redirect): set "
          + NtfySettings.BASE_URL + " to the address ntfy itself serves", attempts);
    }
    if (status >= 400 && status < 500) {
      String where = status == 401 || status == 403 ? " publishing to topic '" + topic + "'" : "";
      return Outcome.rejected(scrub("HTTP " + status + ", " + said + where), attempts);
    }
    return Outcome.failed(scrub("HTTP " + status + ", " + said + "; gave up after " + attempts
        + (attempts == 1 ? " attempt" : " attempts")), attempts);
  }

  /** Whether {@code text} can be a sequence ID: ntfy's topic alphabet, 1 to 64 characters. */
  static boolean isSequenceId(String text) {
    if (text == null || text.isEmpty() || text.length() > 64) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-'
          || c == '_')) {
        return false;
      }
    }
    return true;
  }

  /**
   * Publishes {@code title} and {@code message} under the sequence ID {@code handle} (what
   * {@link #deliver} kept) on the topic of {@code severity}, at low priority: on ntfy 2.16 and
   * later (Android 1.22) it replaces the notification in place without sounding; older servers
   * and iOS show a second, quiet one. A critical alert's escalation is withdrawn first: an
   * acknowledgement (or a silence) before it is due means nobody needs it.
   */
  @Override
  public Outcome replace(String handle, Severity severity, String title, String message,
      Deadline deadline) {
    if (!isSequenceId(handle)) {
      return Outcome.rejected("not an ntfy sequence ID", 0);
    }
    if (severity == Severity.CRITICAL && settings.escalationTopic() != null) {
      Outcome withdrawn = withdrawEscalation(handle, deadline);
      if (!withdrawn.isSent()) {
        log.warn("ntfy: {}", withdrawn.detail());
      }
    }
    String topic = settings.topics().get(severity);
    byte[] body = Json.write(json -> {
      json.writeStartObject();
      json.writeStringField("topic", topic);
      json.writeStringField("sequence_id", handle);
      json.writeStringField("title", NtfyMessage.fit(Text.singleLine(title),
          NtfyMessage.MAX_TITLE_BYTES));
      json.writeStringField("message", NtfyMessage.fit(Text.multiLine(message),
          NtfyMessage.MAX_MESSAGE_BYTES));
      json.writeNumberField("priority", 2);
      json.writeArrayFieldStart("tags");
      json.writeString("white_check_mark");
      json.writeEndArray();
      json.writeEndObject();
    });
    HttpRequest.Builder request = HttpRequest.newBuilder(settings.publishUrl())
        .header("Content-Type", "application/json")
        .header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (settings.authorization().isPresent()) {
      request.header("Authorization", settings.authorization().get().reveal());
    }
    try {
      return interpret(delivery.send(PEER, request, POLICY, deadline), topic);
    } catch (DeliveryException e) {
      return Outcome.failed(scrub(e.getMessage()), e.attempts());
    }
  }

  /** {@code text} with every credential this transport holds blanked out. */
  private String scrub(String text) {
    return redaction.scrub(text);
  }

  private static String ascii(String text) {
    String printable = text.replaceAll("[^\\x20-\\x7e]", "?");
    return printable.length() > 80 ? printable.substring(0, 80) : printable;
  }

  @Override
  public String toString() {
    return "NtfyTransport[" + settings + "]";
  }
}
