package com.cabalmail.alert.ledger;

import java.time.Instant;
import java.util.Objects;

/**
 * Who acknowledged an alert, on which device, when, and through which channel: kept on the
 * alert's firing entries, so that a second acknowledgement changes nothing.
 *
 * @param by who acknowledged, as the operator reads it (never a credential: a Pushover user key
 *     is kept as a short hash of it); at most 64 characters
 * @param device the device or client it was done from, e.g. a Pushover device name or
 *     {@code ntfy}; at most 64 characters
 * @param at when
 * @param via the channel: {@code pushover} (its callback) or {@code ntfy} (the action button)
 */
public record Acknowledgement(String by, String device, Instant at, String via) {

  /** Longest {@code by} and {@code device} kept, in characters. */
  public static final int MAX_TEXT = 64;

  /** Validates; long texts are cut to {@value #MAX_TEXT} characters. */
  public Acknowledgement {
    by = cut(Objects.requireNonNull(by, "by"));
    device = cut(Objects.requireNonNull(device, "device"));
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(via, "via");
  }

  private static String cut(String text) {
    if (text.length() <= MAX_TEXT) {
      return text;
    }
    int end = Character.isHighSurrogate(text.charAt(MAX_TEXT - 1)) ? MAX_TEXT - 1 : MAX_TEXT;
    return text.substring(0, end);
  }
}
