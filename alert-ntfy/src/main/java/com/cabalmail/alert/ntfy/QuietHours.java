package com.cabalmail.alert.ntfy;

import com.cabalmail.alert.spi.Settings;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * A daily window in a time zone, {@code 22:00-07:00 Europe/Berlin}: a window whose end is
 * before its start crosses midnight. Read once at startup; {@link #heldUntil} answers whether
 * an instant is inside and when the window it is in ends, on the wall clock of the zone, so a
 * change to or from summer time moves the end with the clocks (an end that falls into the hour
 * skipped in spring is the first instant after the gap).
 *
 * <p>Plain loops and no regular expression: the reading runs on every cold start of the Lambda
 * sink that sets the window.
 */
final class QuietHours {

  private final LocalTime start;
  private final LocalTime end;
  private final ZoneId zone;
  private final String text;

  QuietHours(LocalTime start, LocalTime end, ZoneId zone, String text) {
    this.start = start;
    this.end = end;
    this.zone = zone;
    this.text = text;
  }

  /**
   * The window set under {@code key}, or null when it is not set or bad (then a problem naming
   * {@code key} is recorded).
   */
  static QuietHours read(Settings settings, String key) {
    Optional<String> given = settings.optional(key);
    if (given.isEmpty()) {
      return null;
    }
    QuietHours parsed = parse(given.get().trim());
    if (parsed == null) {
      settings.problem(key + "='" + given.get() + "' must be a daily window HH:MM-HH:MM and a"
          + " time zone, e.g. 22:00-07:00 Europe/Berlin (the end before the start crosses"
          + " midnight; without a zone it is UTC); start and end must differ");
    }
    return parsed;
  }

  /** {@code HH:MM-HH:MM [zone]}, or null. */
  static QuietHours parse(String text) {
    int space = text.indexOf(' ');
    String times = space < 0 ? text : text.substring(0, space);
    String zoneText = space < 0 ? "" : text.substring(space + 1).trim();
    int dash = times.indexOf('-');
    if (dash < 0) {
      return null;
    }
    LocalTime start = time(times.substring(0, dash));
    LocalTime end = time(times.substring(dash + 1));
    if (start == null || end == null || start.equals(end)) {
      return null;
    }
    ZoneId zone;
    try {
      zone = zoneText.isEmpty() ? ZoneOffset.UTC : ZoneId.of(zoneText);
    } catch (DateTimeException e) {
      return null;
    }
    return new QuietHours(start, end, zone, text);
  }

  /** {@code H:MM} or {@code HH:MM}, 00:00 to 23:59, or null. */
  private static LocalTime time(String text) {
    int colon = text.indexOf(':');
    if (colon < 1 || colon > 2 || text.length() != colon + 3) {
      return null;
    }
    int hour = number(text, 0, colon);
    int minute = number(text, colon + 1, text.length());
    if (hour < 0 || hour > 23 || minute < 0 || minute > 59) {
      return null;
    }
    return LocalTime.of(hour, minute);
  }

  private static int number(String text, int from, int to) {
    int value = 0;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  /**
   * When the window {@code now} is in ends, or null when {@code now} is outside the window.
   */
  Instant heldUntil(Instant now) {
    ZonedDateTime local = now.atZone(zone);
    LocalTime time = local.toLocalTime();
    LocalDate endDate;
    if (start.isBefore(end)) {
      if (time.isBefore(start) || !time.isBefore(end)) {
        return null;
      }
      endDate = local.toLocalDate();
    } else if (!time.isBefore(start)) {
      endDate = local.toLocalDate().plusDays(1);
    } else if (time.isBefore(end)) {
      endDate = local.toLocalDate();
    } else {
      return null;
    }
    // ZonedDateTime.of moves a wall time in a spring gap forward by the gap's length.
    return ZonedDateTime.of(endDate, end, zone).toInstant();
  }

  @Override
  public String toString() {
    return text;
  }
}
