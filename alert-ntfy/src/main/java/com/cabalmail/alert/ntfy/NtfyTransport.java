package com.cabalmail.alert.ntfy;

import com.cabalmail.alert.Alert;
import com.cabalmail.alert.Outcome;
import com.cabalmail.alert.Severity;
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
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes alerts to ntfy as one JSON document posted to the server root. Only ASCII goes into
 * headers ({@code Content-Type}, {@code Authorization}); everything an alert says travels in
 * the body. Thread-safe: holds only immutable settings and the shared delivery.
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
    return policy.retrying(policy.retryableAnswer().and(answer -> !isDailyQuota(answer)));
  }

  static boolean isDailyQuota(Exchange answer) {
    return answer.statusCode() == 429 && NtfyAnswer.parse(answer.body())
        .map(parsed -> parsed.code() == DAILY_QUOTA).orElse(false);
  }

  private final NtfySettings settings;
  private final HttpDelivery delivery;
  private final Redaction redaction;

  NtfyTransport(NtfySettings settings, HttpDelivery delivery) {
    this.settings = settings;
    this.delivery = delivery;
    this.redaction = Redaction.of(settings.secrets());
  }

  @Override
  public Outcome deliver(Alert alert, int priority, Deadline deadline) {
    if (priority < MIN_PRIORITY || priority > MAX_PRIORITY) {
      return Outcome.rejected("priority " + priority + " is outside ntfy's " + MIN_PRIORITY
          + ".." + MAX_PRIORITY, 0);
    }
    String topic = settings.topics().get(alert.severity());
    try {
      byte[] body = NtfyMessage.render(alert, priority, settings);
      HttpRequest.Builder request = HttpRequest.newBuilder(settings.publishUrl())
          .header("Content-Type", "application/json")
          .header("Accept", "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(body));
      // Plain if rather than Optional callbacks on this path (and in interpret's success):
      // it runs on every cold start of the Lambda sink, where a lambda costs a spun class.
      if (settings.authorization().isPresent()) {
        request.header("Authorization", settings.authorization().get().reveal());
      }
      Exchange answer = delivery.send(PEER, request, POLICY, deadline);
      return interpret(answer, topic);
    } catch (DeliveryException e) {
      return Outcome.failed(scrub(e.getMessage()), e.attempts());
    } catch (RuntimeException e) {
      log.warn("ntfy: could not deliver alert {}: {}", alert.fingerprint(),
          scrub(e.toString()));
      return Outcome.failed(scrub("could not publish: " + e), 0);
    }
  }

  private Outcome interpret(Exchange answer, String topic) {
    int status = answer.statusCode();
    int attempts = answer.attempts();
    Optional<NtfyAnswer> parsed = NtfyAnswer.parse(answer.body(), redaction);
    if (answer.isSuccess()) {
      Optional<String> id = parsed.isPresent() ? parsed.get().id() : Optional.empty();
      if (id.isPresent()) {
        // The message's id is its sequence ID (none was given): kept as the handle, so that an
        // acknowledgement can replace the notification in place.
        String sent = scrub(id.get());
        return Outcome.sent(sent, "published to topic '" + topic + "'", attempts)
            .withHandle(isSequenceId(sent) ? sent : null);
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
   * Publishes {@code title} and {@code message} under the sequence ID {@code handle} on the
   * topic of {@code severity}, at low priority: on ntfy 2.16 and later (Android 1.22) it
   * replaces the notification in place without sounding; older servers and iOS show a second,
   * quiet one.
   */
  @Override
  public Outcome replace(String handle, Severity severity, String title, String message,
      Deadline deadline) {
    if (!isSequenceId(handle)) {
      return Outcome.rejected("not an ntfy sequence ID", 0);
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
