package com.cabalmail.alert;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One line of a {@link DeliveryReport}: one alert through one route, or an alert that no route
 * took ({@code route} empty, outcome dropped).
 */
public record Delivery(Alert alert, Optional<Route> route, Outcome outcome, Duration elapsed) {

  /** The name reports use for an alert no route took. */
  public static final String ROUTING = "routing";

  /** Validates. */
  public Delivery {
    Objects.requireNonNull(alert, "alert");
    Objects.requireNonNull(route, "route");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(elapsed, "elapsed");
  }

  /** The transport's name, or {@value #ROUTING} for a dropped alert. */
  public String transport() {
    return route.map(Route::transport).orElse(ROUTING);
  }
}
