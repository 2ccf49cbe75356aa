package com.cabalmail.alert.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The hand-written RFC 3339 parser agrees with the JDK's on every time both accept. */
class Rfc3339Test {

  @Test
  void agreesWithTheJdkOnRandomTimesOffsetsAndFractions() {
    SplittableRandom random = new SplittableRandom(3339);
    for (int i = 0; i < 20_000; i++) {
      Instant instant = Instant.ofEpochSecond(random.nextLong(-62_135_596_800L, 253_402_300_799L),
          random.nextInt(1_000_000_000));
      ZoneOffset offset = ZoneOffset.ofTotalSeconds(random.nextInt(-18 * 60, 18 * 60 + 1) * 60);
      int digits = random.nextInt(10);
      String pattern = "uuuu-MM-dd'T'HH:mm:ss" + (digits == 0 ? "" : "." + "S".repeat(digits))
          + "xxx";
      String text = OffsetDateTime.ofInstant(instant, offset)
          .format(DateTimeFormatter.ofPattern(pattern));
      if (text.startsWith("+") || text.startsWith("-")) {
        continue;
      }
      text = text.replace("+00:00", random.nextBoolean() ? "Z" : "+00:00");
      assertEquals(OffsetDateTime.parse(text).toInstant(), Rfc3339.parse(text, true), text);
    }
  }

  @Test
  void readsTheTimesTheToolsSend() {
    assertEquals(Instant.parse("2026-11-23T17:16:36.590402430Z"),
        Rfc3339.parse("2026-11-23T17:16:36.59040243Z", true));
    assertEquals(Instant.parse("0001-01-01T00:00:00Z"),
        Rfc3339.parse("0001-01-01T00:00:00Z", true));
    assertEquals(Instant.parse("2026-08-21T08:20:10Z"),
        Rfc3339.parse("2026-08-21T09:20:10+01:00", true));
    assertEquals(Instant.parse("2026-08-21T09:31:04.221Z"),
        Rfc3339.parse("2026-08-21 09:31:04.221", false));
    assertEquals(Instant.parse("2026-08-21T09:31:04.123456789Z"),
        Rfc3339.parse("2026-08-21t09:31:04.1234567891234z", true));
    assertEquals(Instant.parse("2024-02-29T23:59:59Z"),
        Rfc3339.parse("2024-02-29T23:59:59-00:00", true));
  }

  @Test
  void refusesWhatIsNotAnRfc3339Time() {
    for (String text : new String[] {"", "2026-08-21", "2026-08-21T09:31Z",
        "2026-08-21 09:31:04.221", "2026-13-01T00:00:00Z", "2026-02-29T00:00:00Z",
        "2026-04-31T00:00:00Z", "2026-08-21T24:00:00Z", "2026-08-21T23:60:00Z",
        "2026-08-21T23:59:60Z", "2026-08-21T09:31:04.Z", "2026-08-21T09:31:04+1:00",
        "2026-08-21T09:31:04+01", "2026-08-21T09:31:04+24:00", "2026-08-21T09:31:04Zx",
        "2026-08-21X09:31:04Z", "2026/08/21T09:31:04Z", "yesterday at noon, roughly",
        "2026-08-2aT09:31:04Z", "2026-08-21T09:31:04\uFF10Z"}) {
      assertNull(Rfc3339.parse(text, true), text);
    }
  }
}
