package com.cabalmail.alert.pushover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class PushoverTextTest {

  @Test
  void lengthCountsCodePointsNotChars() {
    assertEquals(3, PushoverText.length("a🚨b"));
    assertEquals(4, "a🚨b".length());
  }

  @Test
  void textWithinTheLimitIsReturnedAsIs() {
    String text = "🚨".repeat(10);
    assertSame(text, PushoverText.truncate(text, 10));
  }

  @Test
  void cutKeepsTheStartAndEndsWithTheMarkerWithinTheLimit() {
    assertEquals("abcd\u2026", PushoverText.truncate("abcdefgh", 5));
  }

  @Test
  void cutNeverSplitsASurrogatePair() {
    String cut = PushoverText.truncate("🚨".repeat(10), 4);
    assertEquals("🚨🚨🚨\u2026", cut);
  }

  @Test
  void cutDropsTrailingSpaceAndDanglingJoiner() {
    String family = "\uD83D\uDC68\u200D\uD83D\uDC69";
    assertEquals("\uD83D\uDC68\u2026", PushoverText.truncate(family + "xyz", 3));
    assertEquals("ab\u2026", PushoverText.truncate("ab   cdef", 5));
  }

  @Test
  void lineTurnsBreaksIntoSpacesAndControlsIntoReplacement() {
    assertEquals("a b c d\uFFFD\uFFFDe", PushoverText.line("a\r\nb\nc\td\u0000\u0085e"));
  }

  @Test
  void bodyKeepsNewLinesAndTabsAndNormalisesCarriageReturns() {
    assertEquals("a\nb\nc\td\uFFFD", PushoverText.body("a\r\nb\rc\td\u007f"));
  }

  @Test
  void loneSurrogatesBecomeReplacementCharacters() {
    assertEquals("x\uFFFDy\uFFFD", PushoverText.body("x\uDC00y\uD800"));
  }

  @Test
  void cleanTextIsNotCopied() {
    String text = "Zürich ✓ 東京 🚨\nok";
    assertSame(text, PushoverText.body(text));
  }
}
