package com.cabalmail.alert.ledger;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What the ledger holds for one {@link LedgerKey}: a claim on a delivery in progress, a
 * delivery done, or a delivery the provider refused for good. Every entry ends at
 * {@code expires}; after that the key is free, whatever the store still holds (stores such as
 * DynamoDB delete expired items lazily, so readers compare the expiry themselves).
 *
 * @param key what the entry is about
 * @param state claimed, delivered or rejected
 * @param claimId who claimed the key: a random id per claim, so that only the claimant
 *     releases it
 * @param recorded when the entry was written
 * @param expires when the key becomes free: the claim's lease end, or the end of the repeat
 *     window (of the rejection hold, for a rejection)
 * @param messageId the provider's id for the message delivered, if it gave one
 * @param handle what the transport needs to act on the message later, e.g. the receipt of a
 *     Pushover emergency, which its recovery cancels
 * @param detail a short operator-facing note: the rejection reason, or how it was delivered
 * @param acknowledged who acknowledged the alert of a delivered firing entry, once someone did
 * @param silence the id of the Alertmanager silence made for the alert from the phone, once one
 *     was
 */
public record LedgerEntry(
    LedgerKey key,
    State state,
    String claimId,
    Instant recorded,
    Instant expires,
    Optional<String> messageId,
    Optional<String> handle,
    String detail,
    Optional<Acknowledgement> acknowledged,
    Optional<String> silence) {

  /** Longest {@code detail} kept, in characters. */
  public static final int MAX_DETAIL = 300;

  /** The three kinds of entry. */
  public enum State {
    /** A delivery is in progress; the claim lapses at {@code expires} (a short lease). */
    CLAIMED,
    /** The provider accepted the message; repeats are held back until {@code expires}. */
    DELIVERED,
    /** The provider refused it for good; it is not resent until {@code expires}. */
    REJECTED
  }

  /** Validates; a long detail is cut to {@value #MAX_DETAIL} characters. */
  public LedgerEntry {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(claimId, "claimId");
    Objects.requireNonNull(recorded, "recorded");
    Objects.requireNonNull(expires, "expires");
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(handle, "handle");
    Objects.requireNonNull(acknowledged, "acknowledged");
    Objects.requireNonNull(silence, "silence");
    detail = detail == null ? "" : cut(detail);
  }

  /** An entry nobody acknowledged or silenced. */
  public LedgerEntry(LedgerKey key, State state, String claimId, Instant recorded,
      Instant expires, Optional<String> messageId, Optional<String> handle, String detail) {
    this(key, state, claimId, recorded, expires, messageId, handle, detail, Optional.empty(),
        Optional.empty());
  }

  /** A claim by {@code claimId}, made {@code now}, lapsing at {@code leaseEnd}. */
  public static LedgerEntry claim(LedgerKey key, String claimId, Instant now, Instant leaseEnd) {
    return new LedgerEntry(key, State.CLAIMED, claimId, now, leaseEnd, Optional.empty(),
        Optional.empty(), "");
  }

  /** This claim settled as {@code state} at {@code now}, holding the key until {@code until}. */
  public LedgerEntry settled(State newState, Instant now, Instant until, Optional<String> id,
      Optional<String> newHandle, String newDetail) {
    if (newState == State.CLAIMED) {
      throw new IllegalArgumentException("a settled entry is delivered or rejected");
    }
    return new LedgerEntry(key, newState, claimId, now, until, id, newHandle, newDetail);
  }

  /**
   * This delivered entry acknowledged by {@code ack}: everything else kept, so that writing it
   * with {@link DeliveryLedger#settle} (conditional on the claim) amends the entry only while
   * it is still this delivery's.
   */
  public LedgerEntry withAcknowledgement(Acknowledgement ack) {
    return new LedgerEntry(key, state, claimId, recorded, expires, messageId, handle, detail,
        Optional.of(ack), silence);
  }

  /** This delivered entry with the id of the silence made for its alert. */
  public LedgerEntry withSilence(String silenceId) {
    return new LedgerEntry(key, state, claimId, recorded, expires, messageId, handle, detail,
        acknowledged, Optional.of(silenceId));
  }

  /** Whether the entry still holds its key at {@code now}. */
  public boolean isLive(Instant now) {
    return expires.isAfter(now);
  }

  private static String cut(String text) {
    if (text.length() <= MAX_DETAIL) {
      return text;
    }
    int end = MAX_DETAIL - 1;
    if (Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(0, end) + "\u2026";
  }
}
