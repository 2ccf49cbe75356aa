package com.cabalmail.alert.ledger;

import com.cabalmail.http.Deadline;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ledger in a {@link ConcurrentHashMap}: each key's claim is one atomic conditional write
 * ({@code putIfAbsent}, or {@code replace} of an expired entry).
 * Above its capacity, expired entries are dropped, then those expiring first, down to 90% of
 * the capacity (so that trimming is rare however full the ledger runs): a forgotten entry can
 * only cause a repeat, never a lost alert.
 */
final class InMemoryLedger implements DeliveryLedger {

  static final int DEFAULT_CAPACITY = 100_000;

  private final Map<LedgerKey, LedgerEntry> entries = new ConcurrentHashMap<>();
  private final Map<String, Generation> generations = new ConcurrentHashMap<>();
  private final int capacity;

  InMemoryLedger(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive");
    }
    this.capacity = capacity;
  }

  @Override
  public String name() {
    return "memory";
  }

  @Override
  public boolean answersAtOnce() {
    return true;
  }

  @Override
  public Claim claim(LedgerEntry claim, Instant now, Deadline deadline) {
    // putIfAbsent/replace/remove: as atomic as compute(key, lambda), without the lambda.
    LedgerEntry old = entries.putIfAbsent(claim.key(), claim);
    while (old != null) {
      if (old.state() == LedgerEntry.State.CLAIMED && old.claimId().equals(claim.claimId())) {
        return new Claim.Granted(old); // this very claim, asked again
      }
      if (old.isLive(now)) {
        return new Claim.Held(old);
      }
      if (entries.replace(claim.key(), old, claim)) {
        break;
      }
      old = entries.putIfAbsent(claim.key(), claim);
    }
    if (entries.size() > capacity) {
      trim(now);
    }
    return new Claim.Granted(claim);
  }

  @Override
  public boolean settle(LedgerEntry entry, Deadline deadline) {
    LedgerEntry old = entries.get(entry.key());
    while (old != null && old.claimId().equals(entry.claimId())) {
      if (entries.replace(entry.key(), old, entry)) {
        return true;
      }
      old = entries.get(entry.key());
    }
    return false;
  }

  @Override
  public void release(LedgerKey key, String claimId, Deadline deadline) {
    LedgerEntry old = entries.get(key);
    if (old != null && old.state() == LedgerEntry.State.CLAIMED && old.claimId().equals(claimId)) {
      entries.remove(key, old);
    }
  }

  @Override
  public Optional<LedgerEntry> find(LedgerKey key, Deadline deadline) {
    return Optional.ofNullable(entries.get(key));
  }

  @Override
  public void forget(LedgerKey key, Instant recordedBy, Deadline deadline) {
    LedgerEntry old = entries.get(key);
    if (old != null && !old.recorded().isAfter(recordedBy)) {
      entries.remove(key, old);
    }
  }

  @Override
  public String generation(String scope, Instant now, Deadline deadline) {
    Generation held = generations.get(scope);
    return held == null || !held.expires.isAfter(now) ? "0" : held.name;
  }

  @Override
  public void advance(String scope, String generation, Instant since, Instant expires,
      Deadline deadline) {
    // Only expired generations are dropped (when entries are trimmed): forgetting a live one
    // would key its scope's alerts as generation "0" again, which live entries may hold.
    Generation next = new Generation(generation, since, expires);
    Generation old = generations.putIfAbsent(scope, next);
    while (old != null && old.since.isBefore(since)) {
      if (generations.replace(scope, old, next)) {
        return;
      }
      old = generations.putIfAbsent(scope, next);
    }
  }

  /** How many entries are held, live or not (tests). */
  int size() {
    return entries.size();
  }

  private synchronized void trim(Instant now) {
    if (entries.size() <= capacity) {
      return; // another thread trimmed already
    }
    entries.values().removeIf(entry -> !entry.isLive(now));
    generations.values().removeIf(held -> !held.expires.isAfter(now));
    int excess = entries.size() - capacity + capacity / 10;
    if (excess > 0) {
      List<LedgerEntry> oldest = new ArrayList<>(entries.values());
      oldest.sort(Comparator.comparing(LedgerEntry::expires));
      for (LedgerEntry entry : oldest.subList(0, Math.min(excess, oldest.size()))) {
        entries.remove(entry.key(), entry);
      }
    }
  }

  /** A class, not a record: compared by identity, with no invokedynamic-linked equals. */
  private static final class Generation {
    final String name;
    final Instant since;
    final Instant expires;

    Generation(String name, Instant since, Instant expires) {
      this.name = name;
      this.since = since;
      this.expires = expires;
    }
  }

  @Override
  public String toString() {
    return "InMemoryLedger[" + entries.size() + " of " + capacity + "]";
  }
}
