package com.cabalmail.alert.ntfy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The quiet-hours window: inside or not, when it ends, across midnight and summer time. */
class QuietHoursTest {

  private static Instant heldUntil(String window, String now) {
    QuietHours quiet = QuietHours.parse(window);
    assertNotNull(quiet, window);
    return quiet.heldUntil(Instant.parse(now));
  }

  @Test
  void aWindowAcrossMidnightEndsTheNextMorningOrThisMorning() {
    // Berlin is UTC+1 in January: 23:30 local is 22:30Z, 06:59 local is 05:59Z.
    assertEquals(Instant.parse("2026-01-16T06:00:00Z"),
        heldUntil("22:00-07:00 Europe/Berlin", "2026-01-15T22:30:00Z"));
    assertEquals(Instant.parse("2026-01-16T06:00:00Z"),
        heldUntil("22:00-07:00 Europe/Berlin", "2026-01-16T05:59:00Z"));
    assertEquals(Instant.parse("2026-01-16T06:00:00Z"),
        heldUntil("22:00-07:00 Europe/Berlin", "2026-01-15T21:00:00Z"), "22:00 is inside");
  }

  @Test
  void outsideTheWindowNothingIsHeld() {
    assertNull(heldUntil("22:00-07:00 Europe/Berlin", "2026-01-16T06:00:00Z"), "07:00 is outside");
    assertNull(heldUntil("22:00-07:00 Europe/Berlin", "2026-01-15T12:00:00Z"));
    assertNull(heldUntil("22:00-07:00 Europe/Berlin", "2026-01-15T20:59:59Z"));
  }

  @Test
  void aWindowWithinOneDay() {
    assertEquals(Instant.parse("2026-01-15T14:00:00Z"),
        heldUntil("12:00-14:00", "2026-01-15T13:10:00Z"));
    assertNull(heldUntil("12:00-14:00", "2026-01-15T14:00:00Z"));
    assertNull(heldUntil("12:00-14:00", "2026-01-15T11:59:59Z"));
  }

  @Test
  void theEndFollowsTheWallClockAcrossSummerTime() {
    // 2026-03-29: Berlin goes from UTC+1 to UTC+2 at 02:00. 07:00 that morning is 05:00Z.
    assertEquals(Instant.parse("2026-03-29T05:00:00Z"),
        heldUntil("22:00-07:00 Europe/Berlin", "2026-03-28T22:00:00Z"));
    // 02:30 does not exist that night: the end is the first instant after the gap, 03:30 CEST.
    assertEquals(Instant.parse("2026-03-29T01:30:00Z"),
        heldUntil("22:00-02:30 Europe/Berlin", "2026-03-28T22:00:00Z"));
    // 2026-10-25: back to UTC+1 at 03:00. 07:00 that morning is 06:00Z.
    assertEquals(Instant.parse("2026-10-25T06:00:00Z"),
        heldUntil("22:00-07:00 Europe/Berlin", "2026-10-24T21:00:00Z"));
    // 21:00Z on 2026-10-24 is 23:00 CEST: inside; 20:30Z is 22:30: inside; 19:59Z is 21:59.
    assertNull(heldUntil("22:00-07:00 Europe/Berlin", "2026-10-24T19:59:00Z"));
  }

  @Test
  void badWindowsAreRefused() {
    for (String bad : new String[] {"22:00", "22:00-7", "22:00-07:00 Mars/Olympus", "24:00-07:00",
        "22:60-07:00", "07:00-07:00", "22.00-07.00", "-07:00", "22:00-07:00x"}) {
      assertNull(QuietHours.parse(bad), bad);
    }
    assertNotNull(QuietHours.parse("7:30-9:00 America/New_York"));
  }
}
