package com.cabalmail.alert;

import java.util.Locale;

/** Whether the condition an alert describes is still there. */
public enum AlertStatus {
  /** The condition holds. */
  FIRING,
  /** The condition has cleared. */
  RESOLVED;

  /** The lower-case name used on the wire and in settings. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses {@code text} case-insensitively.
   *
   * @throws IllegalArgumentException naming the allowed values
   */
  public static AlertStatus parse(String text) {
    if (text != null) {
      for (AlertStatus status : values()) {
        if (status.name().equalsIgnoreCase(text.trim())) {
          return status;
        }
      }
    }
    throw new IllegalArgumentException(
        "unknown status " + Severity.quote(text) + "; allowed: firing, resolved");
  }
}
