package com.cabalmail.alert;

import java.util.Objects;

/**
 * One leg of a fan-out: deliver through {@code transport} at {@code priority}. The priority is
 * the transport's own scale (Pushover -2..2, ntfy 1..5), checked against the provider when the
 * table is validated.
 */
public record Route(String transport, int priority) {

  /** Validates. */
  public Route {
    Objects.requireNonNull(transport, "transport");
    if (transport.isBlank()) {
      throw new IllegalArgumentException("transport name is blank");
    }
  }

  @Override
  public String toString() {
    return transport + "=" + priority;
  }
}
