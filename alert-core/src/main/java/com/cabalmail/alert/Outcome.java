package com.cabalmail.alert;

import java.util.Objects;
import java.util.Optional;

/**
 * What became of one delivery of one alert through one transport.
 *
 * @param kind sent, rejected, failed or dropped
 * @param messageId the provider's id for the message, when it gave one
 * @param detail why, in words fit for an operator (never a secret): the provider's own error
 *     text, the last failure, or e.g. a Pushover receipt for a sent emergency
 * @param attempts HTTP attempts made (0 when none was)
 */
public record Outcome(Kind kind, Optional<String> messageId, String detail, int attempts) {

  /** The four ends of a delivery. */
  public enum Kind {
    /** The provider accepted the message. */
    SENT,
    /** The provider refused it; sending it again would be refused again. */
    REJECTED,
    /** No answer, or a transient error that outlived the retries or the deadline. */
    FAILED,
    /** No route: nothing was sent, on purpose. */
    DROPPED;

    /** The lower-case name used in reports. */
    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** Validates. */
  public Outcome {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(detail, "detail");
  }

  /** Accepted by the provider, which named it {@code messageId} (may be null). */
  public static Outcome sent(String messageId, String detail, int attempts) {
    return new Outcome(Kind.SENT, Optional.ofNullable(messageId), detail, attempts);
  }

  /** Refused by the provider for {@code reason}: not to be retried. */
  public static Outcome rejected(String reason, int attempts) {
    return new Outcome(Kind.REJECTED, Optional.empty(), reason, attempts);
  }

  /** Not delivered for {@code reason} after {@code attempts} attempts. */
  public static Outcome failed(String reason, int attempts) {
    return new Outcome(Kind.FAILED, Optional.empty(), reason, attempts);
  }

  /** Not routed anywhere, for {@code reason}. */
  public static Outcome dropped(String reason) {
    return new Outcome(Kind.DROPPED, Optional.empty(), reason, 0);
  }

  /** Whether the message reached the provider. */
  public boolean isSent() {
    return kind == Kind.SENT;
  }

  /** Whether a planned delivery did not happen: rejected or failed. */
  public boolean isFailure() {
    return kind == Kind.REJECTED || kind == Kind.FAILED;
  }
}
