package com.cabalmail.alert.ledger;

import java.util.Objects;

/** The answer to {@link DeliveryLedger#claim}: the key is ours, or someone holds it. */
public sealed interface Claim permits Claim.Granted, Claim.Held {

  /**
   * The key was free (absent, expired, or a lapsed claim) and is now claimed.
   *
   * @param entry the claim written
   */
  record Granted(LedgerEntry entry) implements Claim {
    /** Validates. */
    public Granted {
      Objects.requireNonNull(entry, "entry");
    }
  }

  /**
   * The key is held by a live entry: a delivery done within the repeat window, a rejection,
   * or another claim still in its lease.
   *
   * @param holder the entry that holds the key
   */
  record Held(LedgerEntry holder) implements Claim {
    /** Validates. */
    public Held {
      Objects.requireNonNull(holder, "holder");
    }
  }
}
