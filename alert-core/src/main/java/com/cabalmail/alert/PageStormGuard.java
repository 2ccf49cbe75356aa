package com.cabalmail.alert;

import java.util.Objects;

/**
 * Folds a burst of pages into one: when a single routing call would send more than
 * {@code limit} firing alerts through the paging {@code transport}, that transport gets one
 * summary page listing them (counts, sources, the first summaries) instead, at the highest of
 * their priorities. Every other transport (ntfy, the record) still gets each alert on its own,
 * and the report marks the folded deliveries.
 *
 * @param transport the paging transport, e.g. {@code pushover}
 * @param limit the most pages sent one by one in one call; 0 turns the guard off
 */
public record PageStormGuard(String transport, int limit) {

  /** The default paging transport. */
  public static final String DEFAULT_TRANSPORT = "pushover";
  /** The default limit. */
  public static final int DEFAULT_LIMIT = 3;

  /** Validates. */
  public PageStormGuard {
    Objects.requireNonNull(transport, "transport");
    if (limit < 0) {
      throw new IllegalArgumentException("limit must not be negative");
    }
  }

  /** Pushover, more than 3 pages. */
  public static PageStormGuard defaults() {
    return new PageStormGuard(DEFAULT_TRANSPORT, DEFAULT_LIMIT);
  }

  /** No folding. */
  public static PageStormGuard off() {
    return new PageStormGuard(DEFAULT_TRANSPORT, 0);
  }

  /** Whether folding is on. */
  public boolean isOn() {
    return limit > 0;
  }
}
