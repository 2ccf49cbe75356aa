package com.cabalmail.alert;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One line of a {@link DeliveryReport}: one alert through one route, or an alert that no route
 * took ({@code route} empty, outcome dropped).
 *
 * @param alert the alert
 * @param route the route taken; empty for an alert no route took
 * @param outcome what became of it
 * @param elapsed how long the delivery took
 * @param ledger what the delivery ledger did for this delivery
 * @param folded whether the alert was sent as one line of a summary page, the storm guard
 *     having folded more pages than its limit into one; the outcome is the summary's
 */
public record Delivery(Alert alert, Optional<Route> route, Outcome outcome, Duration elapsed,
    Ledger ledger, boolean folded) {

  /** The name reports use for an alert no route took. */
  public static final String ROUTING = "routing";

  /** What the delivery ledger did for one delivery. */
  public enum Ledger {
    /** No ledger is configured (or nothing was planned). */
    OFF,
    /** The delivery was claimed before sending and its end recorded. */
    RECORDED,
    /**
     * The ledger could not be reached in time or answered an error: the alert was delivered
     * anyway, without protection against repeats.
     */
    UNAVAILABLE;

    /** The lower-case name used in reports. */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Validates. */
  public Delivery {
    Objects.requireNonNull(alert, "alert");
    Objects.requireNonNull(route, "route");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(elapsed, "elapsed");
    Objects.requireNonNull(ledger, "ledger");
  }

  /** A delivery made without a ledger, not folded. */
  public Delivery(Alert alert, Optional<Route> route, Outcome outcome, Duration elapsed) {
    this(alert, route, outcome, elapsed, Ledger.OFF, false);
  }

  /** The transport's name, or {@value #ROUTING} for a dropped alert. */
  public String transport() {
    return route.isPresent() ? route.get().transport() : ROUTING;
  }
}
