package com.cabalmail.alert.testkit;

import com.cabalmail.alert.ledger.Claim;
import com.cabalmail.alert.ledger.DeliveryLedger;
import com.cabalmail.alert.ledger.LedgerEntry;
import com.cabalmail.alert.ledger.LedgerException;
import com.cabalmail.alert.ledger.LedgerKey;
import com.cabalmail.http.Deadline;
import java.time.Instant;
import java.util.Optional;

/**
 * A delivery ledger whose every call fails as an unreachable store does, with one message;
 * override a method to make that call hang or answer instead.
 */
public class UnreachableLedger implements DeliveryLedger {

  private final String message;

  /** A ledger failing every call with {@code message}. */
  public UnreachableLedger(String message) {
    this.message = message;
  }

  /** The failure every call throws. */
  protected LedgerException failure() {
    return new LedgerException(message);
  }

  @Override
  public String name() {
    return "unreachable";
  }

  @Override
  public Claim claim(LedgerEntry claim, Instant now, Deadline deadline) {
    throw failure();
  }

  @Override
  public boolean settle(LedgerEntry entry, Deadline deadline) {
    throw failure();
  }

  @Override
  public void release(LedgerKey key, String claimId, Deadline deadline) {
    throw failure();
  }

  @Override
  public Optional<LedgerEntry> find(LedgerKey key, Deadline deadline) {
    throw failure();
  }

  @Override
  public void forget(LedgerKey key, Instant recordedBy, Deadline deadline) {
    throw failure();
  }

  @Override
  public String generation(String scope, Instant now, Deadline deadline) {
    throw failure();
  }

  @Override
  public void advance(String scope, String generation, Instant since, Instant expires,
      Deadline deadline) {
    throw failure();
  }
}
