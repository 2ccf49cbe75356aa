package com.cabalmail.alert;

import java.util.List;
import java.util.stream.Collectors;

/**
 * What {@link AlertRouter#route} did: one {@link Delivery} per (alert, route), plus one per
 * alert that no route took, in the order of the alerts and their routes.
 */
public record DeliveryReport(List<Delivery> deliveries) {

  /** Copies. */
  public DeliveryReport {
    deliveries = List.copyOf(deliveries);
  }

  /** Deliveries that were planned (every one but the dropped). */
  public List<Delivery> planned() {
    return deliveries.stream()
        .filter(d -> d.outcome().kind() != Outcome.Kind.DROPPED)
        .collect(Collectors.toList());
  }

  /** Planned deliveries that were rejected or failed. */
  public List<Delivery> failures() {
    return deliveries.stream().filter(d -> d.outcome().isFailure()).collect(Collectors.toList());
  }

  /** True when every planned delivery was sent (now or before), or none was planned. */
  public boolean allSent() {
    return failures().isEmpty();
  }

  /** True when deliveries were planned and not one was sent. */
  public boolean noneSent() {
    List<Delivery> planned = planned();
    return !planned.isEmpty() && planned.stream().noneMatch(d -> d.outcome().isSent());
  }

  /**
   * True when a delivery failed in a way a retry of the same request could fix (no answer, a
   * timeout, a 5xx, a claim held by a concurrent request); with a ledger, the retry sends only
   * what is still missing.
   */
  public boolean retryHelps() {
    return deliveries.stream().anyMatch(d -> d.outcome().isTransient());
  }

  /** True when a delivery ledger took part in this call (it was configured and used or tried). */
  public boolean ledgerUsed() {
    return deliveries.stream().anyMatch(d -> d.ledger() != Delivery.Ledger.OFF);
  }

  /** Deliveries made while the ledger was unavailable: unprotected against repeats. */
  public List<Delivery> ledgerUnavailable() {
    return deliveries.stream().filter(d -> d.ledger() == Delivery.Ledger.UNAVAILABLE)
        .collect(Collectors.toList());
  }

  /** Deliveries that went out as lines of a storm summary page rather than alone. */
  public List<Delivery> folded() {
    return deliveries.stream().filter(Delivery::folded).collect(Collectors.toList());
  }
}
