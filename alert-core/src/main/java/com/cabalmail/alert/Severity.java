package com.cabalmail.alert;

import java.util.Locale;

/** How urgent an alert is; the routing table maps each to transports. */
public enum Severity {
  CRITICAL,
  WARNING,
  INFO;

  /** The lower-case name used on the wire and in settings. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses {@code text} case-insensitively.
   *
   * @throws IllegalArgumentException naming the allowed values
   */
  public static Severity parse(String text) {
    if (text != null) {
      for (Severity severity : values()) {
        if (severity.name().equalsIgnoreCase(text.trim())) {
          return severity;
        }
      }
    }
    throw new IllegalArgumentException(
        "unknown severity " + quote(text) + "; allowed: critical, warning, info");
  }

  static String quote(String text) {
    return text == null ? "null" : "'" + text + "'";
  }
}
