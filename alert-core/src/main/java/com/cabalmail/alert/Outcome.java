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
 * @param handle what the transport needs to act on this message later, kept by the delivery
 *     ledger and given back with the alert's recovery ({@link
 *     com.cabalmail.alert.spi.PriorDelivery}): e.g. a Pushover emergency's receipt
 */
public record Outcome(
    Kind kind, Optional<String> messageId, String detail, int attempts, Optional<String> handle) {

  /** The ends of a delivery. */
  public enum Kind {
    /** The provider accepted the message. */
    SENT,
    /** The provider refused it; sending it again would be refused again. */
    REJECTED,
    /** No answer, or a transient error that outlived the retries or the deadline. */
    FAILED,
    /** No route: nothing was sent, on purpose. */
    DROPPED,
    /**
     * Not sent again: the delivery ledger shows this alert, in this state, was delivered
     * through this transport within the repeat window.
     */
    ALREADY_DELIVERED;

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
    Objects.requireNonNull(handle, "handle");
  }

  /** An outcome without a handle. */
  public Outcome(Kind kind, Optional<String> messageId, String detail, int attempts) {
    this(kind, messageId, detail, attempts, Optional.empty());
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

  /**
   * Delivered earlier, as the ledger shows: {@code messageId} and {@code detail} from that
   * delivery's entry.
   */
  public static Outcome alreadyDelivered(String messageId, String detail) {
    return new Outcome(Kind.ALREADY_DELIVERED, Optional.ofNullable(messageId), detail, 0);
  }

  /** This outcome with {@code newHandle} to be kept for the alert's recovery. */
  public Outcome withHandle(String newHandle) {
    return new Outcome(kind, messageId, detail, attempts, Optional.ofNullable(newHandle));
  }

  /** This outcome with another detail. */
  public Outcome withDetail(String newDetail) {
    return new Outcome(kind, messageId, newDetail, attempts, handle);
  }

  /** Whether the message reached the provider: in this call, or already before. */
  public boolean isSent() {
    return kind == Kind.SENT || kind == Kind.ALREADY_DELIVERED;
  }

  /**
   * Whether a retry of the same request could succeed where this failed: a failure (no
   * answer, a timeout, a 5xx, a rate limit that outlived the deadline), not a rejection.
   */
  public boolean isTransient() {
    return kind == Kind.FAILED;
  }

  /** Whether a planned delivery did not happen: rejected or failed. */
  public boolean isFailure() {
    return kind == Kind.REJECTED || kind == Kind.FAILED;
  }
}
