package com.cabalmail.alert;

import java.util.ArrayList;
import java.util.List;

/**
 * What {@link AlertRouter#route} did: one {@link Delivery} per (alert, route), plus one per
 * alert that no route took, in the order of the alerts and their routes.
 */
public record DeliveryReport(List<Delivery> deliveries) {

  // No lambdas: this is on the cold path (ColdPathLambdasIT).

  /** Copies. */
  public DeliveryReport {
    deliveries = List.copyOf(deliveries);
  }

  /** Deliveries that were planned (every one but the dropped). */
  public List<Delivery> planned() {
    List<Delivery> planned = new ArrayList<>();
    for (Delivery d : deliveries) {
      if (d.outcome().kind() != Outcome.Kind.DROPPED) {
        planned.add(d);
      }
    }
    return planned;
  }

  /** Planned deliveries that were rejected or failed. */
  public List<Delivery> failures() {
    List<Delivery> failures = new ArrayList<>();
    for (Delivery d : deliveries) {
      if (d.outcome().isFailure()) {
        failures.add(d);
      }
    }
    return failures;
  }

  /** True when every planned delivery was sent (now or before), or none was planned. */
  public boolean allSent() {
    for (Delivery d : deliveries) {
      if (d.outcome().isFailure()) {
        return false;
      }
    }
    return true;
  }

  /** True when deliveries were planned and not one was sent. */
  public boolean noneSent() {
    boolean planned = false;
    for (Delivery d : deliveries) {
      if (d.outcome().kind() != Outcome.Kind.DROPPED) {
        if (d.outcome().isSent()) {
          return false;
        }
        planned = true;
      }
    }
    return planned;
  }

  /**
   * True when a delivery failed in a way a retry of the same request could fix (no answer, a
   * timeout, a 5xx, a claim held by a concurrent request); with a ledger, the retry sends only
   * what is still missing.
   */
  public boolean retryHelps() {
    for (Delivery d : deliveries) {
      if (d.outcome().isTransient()) {
        return true;
      }
    }
    return false;
  }

  /** True when a delivery ledger took part in this call (it was configured and used or tried). */
  public boolean ledgerUsed() {
    for (Delivery d : deliveries) {
      if (d.ledger() != Delivery.Ledger.OFF) {
        return true;
      }
    }
    return false;
  }

  /** Deliveries made while the ledger was unavailable: unprotected against repeats. */
  public List<Delivery> ledgerUnavailable() {
    List<Delivery> unprotected = new ArrayList<>();
    for (Delivery d : deliveries) {
      if (d.ledger() == Delivery.Ledger.UNAVAILABLE) {
        unprotected.add(d);
      }
    }
    return unprotected;
  }

  /**
   * Deliveries the ledger held back as repeats of what was already delivered (each outcome's
   * detail names the earlier delivery): nothing was sent for them.
   */
  public List<Delivery> suppressed() {
    List<Delivery> held = new ArrayList<>();
    for (Delivery d : deliveries) {
      if (d.outcome().kind() == Outcome.Kind.ALREADY_DELIVERED) {
        held.add(d);
      }
    }
    return held;
  }

  /** Deliveries that went out as lines of a storm summary page rather than alone. */
  public List<Delivery> folded() {
    List<Delivery> folded = new ArrayList<>();
    for (Delivery d : deliveries) {
      if (d.folded()) {
        folded.add(d);
      }
    }
    return folded;
  }
}
