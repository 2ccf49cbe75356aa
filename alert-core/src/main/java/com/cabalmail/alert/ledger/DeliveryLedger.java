package com.cabalmail.alert.ledger;

import com.cabalmail.http.Deadline;
import java.time.Instant;
import java.util.Optional;

/**
 * Remembers deliveries, so that an alert re-sent by its tool, or a request retried by its
 * caller, is not delivered twice (SPI). The router claims a key before sending, settles it
 * after (delivered, or rejected for good) and releases it when the delivery failed in a way a
 * retry may fix. The semantics are those of Alertmanager's notification log: a repeat of the
 * same state through the same transport within the repeat window is not sent again.
 *
 * <p>Implementations: {@link #inMemory()} in this module, DynamoDB in
 * {@code alert-ledger-dynamodb}; others plug in through {@link LedgerProvider}. Each write is
 * atomic per key. Implementations are thread-safe, answer or throw {@link LedgerException} by
 * the deadline given, and compare expiry against the {@code now} given (never their own clock),
 * so that every caller agrees on time and tests need no sleeping.
 */
public interface DeliveryLedger extends AutoCloseable {

  /** The ledger's name in logs and reports, e.g. {@code memory}. */
  String name();

  /**
   * Writes {@code claim} if its key is free at {@code now}: no entry, an entry whose
   * {@code expires} is not after {@code now} (a window that ended, or a lease that lapsed), or
   * this very claim (same {@code claimId}: a retry of a write that was applied but whose answer
   * was lost is the caller's own, never "another request").
   *
   * @return {@link Claim.Granted} with the claim written, or {@link Claim.Held} with the live
   *     entry that holds the key
   * @throws LedgerException when the store cannot answer by {@code deadline}
   */
  Claim claim(LedgerEntry claim, Instant now, Deadline deadline);

  /**
   * Records how a claimed delivery ended: {@code entry} replaces the key's entry if that entry
   * is still this claim (same {@code claimId}); otherwise nothing is written. So a recovery
   * that {@link #forget forgot} the claim while its page was in flight ends the incident, and
   * the page's late result cannot bring it back.
   *
   * @return whether the entry was written
   * @throws LedgerException when the store cannot answer by {@code deadline}
   */
  boolean settle(LedgerEntry entry, Deadline deadline);

  /**
   * Frees {@code key} if it still holds the claim {@code claimId} (a failed delivery, which a
   * retry may send); leaves it alone otherwise.
   *
   * @throws LedgerException when the store cannot answer by {@code deadline}
   */
  void release(LedgerKey key, String claimId, Deadline deadline);

  /**
   * The entry held for {@code key}, live or not (callers compare {@code expires}); a
   * consistent read.
   *
   * @throws LedgerException when the store cannot answer by {@code deadline}
   */
  Optional<LedgerEntry> find(LedgerKey key, Deadline deadline);

  /**
   * Removes what {@code key} holds if it was recorded at or before {@code recordedBy} (a claim
   * in progress included), so that the next delivery of that key goes through: a recovery
   * ends the incident its page began, even while the page is still being sent. An entry
   * recorded later (a new incident, when a failed clear is replayed) is left alone.
   *
   * @throws LedgerException when the store cannot answer by {@code deadline}
   */
  void forget(LedgerKey key, Instant recordedBy, Deadline deadline);

  /**
   * The current generation of {@code scope} (a token naming a source whose alerts carry no
   * identity of their own), or {@code "0"} when none was started or it expired at
   * {@code now}. Firing alerts
   * of the scope are keyed within its generation; a recovery of the scope starts a new one, so
   * that every alert of the source pages again after it.
   *
   * @throws LedgerException when the store cannot answer by {@code deadline}
   */
  String generation(String scope, Instant now, Deadline deadline);

  /**
   * Starts generation {@code generation} (a new, unique token) of {@code scope}, begun by a
   * recovery at {@code since} and remembered until {@code expires} (at least twice the repeat
   * window, so that no entry of the generation before the first is still live when it ends;
   * the router keeps one 30 days).
   * A generation begun later than {@code since} is left alone, so that a replayed recovery
   * never brings back an older generation.
   *
   * @throws LedgerException when the store cannot answer by {@code deadline}
   */
  void advance(String scope, String generation, Instant since, Instant expires,
      Deadline deadline);

  /**
   * Whether every call answers at once, never waiting on I/O (a ledger in memory): the router
   * then calls it on its own thread, without the hop to a worker that bounds a remote call.
   * The default is false.
   */
  default boolean answersAtOnce() {
    return false;
  }

  /** Releases what the ledger holds (connections); the default does nothing. */
  @Override
  default void close() {}

  /**
   * A ledger in this process's memory, at most {@value InMemoryLedger#DEFAULT_CAPACITY}
   * entries (expired ones are dropped first): it catches re-sends and retries that reach the
   * same process, and forgets everything when the process ends.
   */
  static DeliveryLedger inMemory() {
    return new InMemoryLedger(InMemoryLedger.DEFAULT_CAPACITY);
  }

  /** An in-memory ledger holding at most {@code capacity} entries. */
  static DeliveryLedger inMemory(int capacity) {
    return new InMemoryLedger(capacity);
  }
}
