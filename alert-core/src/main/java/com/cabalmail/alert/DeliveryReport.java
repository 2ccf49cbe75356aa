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

  /** True when every planned delivery was sent, or none was planned. */
  public boolean allSent() {
    return failures().isEmpty();
  }

  /** True when deliveries were planned and not one was sent. */
  public boolean noneSent() {
    List<Delivery> planned = planned();
    return !planned.isEmpty() && planned.stream().noneMatch(d -> d.outcome().isSent());
  }
}
