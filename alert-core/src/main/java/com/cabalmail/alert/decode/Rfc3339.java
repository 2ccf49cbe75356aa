package com.cabalmail.alert.decode;

import java.time.Instant;
import java.time.LocalDate;
import java.time.Month;
import java.time.Year;

/**
 * Parses RFC 3339 date-times by hand: {@code 2026-08-21T09:12:30.512Z},
 * {@code 2026-08-21T11:20:10+02:00}, any number of fraction digits (nanoseconds kept, the rest
 * dropped), {@code T}, {@code t} or a space between date and time. The JDK's formatter would
 * allocate a map and a BigDecimal for every alert of a body; this allocates nothing but the
 * result. Returns null for anything else, leap seconds included.
 */
final class Rfc3339 {

  private static final int SECONDS_PER_DAY = 86_400;

  private Rfc3339() {}

  /**
   * The instant {@code text} names, or null.
   *
   * @param offsetRequired when false, a time without offset is UTC (Uptime Kuma's times)
   */
  static Instant parse(String text, boolean offsetRequired) {
    int n = text.length();
    if (n < 19 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(13) != ':'
        || text.charAt(16) != ':') {
      return null;
    }
    char separator = text.charAt(10);
    if (separator != 'T' && separator != 't' && separator != ' ') {
      return null;
    }
    int year = digits(text, 0, 4);
    int month = digits(text, 5, 2);
    int day = digits(text, 8, 2);
    int hour = digits(text, 11, 2);
    int minute = digits(text, 14, 2);
    int second = digits(text, 17, 2);
    if (year < 0 || month < 1 || month > 12 || day < 1
        || day > Month.of(month).length(Year.isLeap(year))
        || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
      return null;
    }
    int i = 19;
    int nanos = 0;
    if (i < n && text.charAt(i) == '.') {
      int first = ++i;
      while (i < n && isDigit(text.charAt(i))) {
        if (i - first < 9) {
          nanos = nanos * 10 + (text.charAt(i) - '0');
        }
        i++;
      }
      int count = i - first;
      if (count == 0) {
        return null;
      }
      for (int k = count; k < 9; k++) {
        nanos *= 10;
      }
    }
    int offsetSeconds;
    if (i == n) {
      if (offsetRequired) {
        return null;
      }
      offsetSeconds = 0;
    } else {
      char c = text.charAt(i);
      if ((c == 'Z' || c == 'z') && i + 1 == n) {
        offsetSeconds = 0;
      } else if ((c == '+' || c == '-') && i + 6 == n && text.charAt(i + 3) == ':') {
        int offsetHours = digits(text, i + 1, 2);
        int offsetMinutes = digits(text, i + 4, 2);
        if (offsetHours < 0 || offsetHours > 23 || offsetMinutes < 0 || offsetMinutes > 59) {
          return null;
        }
        offsetSeconds = (c == '-' ? -1 : 1) * (offsetHours * 3600 + offsetMinutes * 60);
      } else {
        return null;
      }
    }
    long epochDay = LocalDate.of(year, month, day).toEpochDay();
    long seconds = epochDay * SECONDS_PER_DAY + hour * 3600L + minute * 60L + second
        - offsetSeconds;
    return Instant.ofEpochSecond(seconds, nanos);
  }

  /** The number written by {@code count} ASCII digits at {@code from}, or -1. */
  private static int digits(String text, int from, int count) {
    int value = 0;
    for (int i = from; i < from + count; i++) {
      char c = text.charAt(i);
      if (!isDigit(c)) {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
