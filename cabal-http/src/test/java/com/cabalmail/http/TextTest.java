package com.cabalmail.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The one text and link rule: cleaning, cutting and links. */
class TextTest {

  @Test
  void singleLineTurnsEveryLineBreakAndTabIntoOneSpaceAndTrims() {
    assertEquals("a b c d e f g h i",
        Text.singleLine("  a\r\nb\nc\td\u2028e\u2029f\u0085g\u000Bh\u000C\ti \r\n"));
  }

  @Test
  void singleLineReplacesOtherControlsAndLoneSurrogatesVisibly() {
    assertEquals("a b c d\uFFFD e\uFFFDf\uFFFDg\uFFFD",
        Text.singleLine("a\r\nb\nc\td\u0000\u0085e\u0001f\u009bg\u007f"));
    assertEquals("x\uFFFDy\uFFFD", Text.singleLine("x\uDC00y\uD800"));
  }

  @Test
  void multiLineKeepsLineFeedsAndTabsAndUnifiesEveryBreak() {
    assertEquals("a\nb\nc\nd\te\uFFFD\nf\ng\nh\n",
        Text.multiLine("a\r\nb\rc\u0085d\te\u007f\u2028f\u2029g\u000Bh\u000C"));
  }

  @Test
  void multiLineReplacesLoneSurrogatesAndKeepsPairs() {
    assertEquals("\uFFFDx\uFFFD🚨", Text.multiLine("\uDC00x\uD83D🚨"));
  }

  @Test
  void unicodeIsData() {
    String text = "👨‍👩‍👧 e\u0301 \u200Fשלום\u200E \u202Eabc\u202C Zürich ✓ 東京 𝄞 مرحبا";
    assertSame(text, Text.singleLine(text));
    assertSame(text, Text.multiLine(text));
  }

  @Test
  void cleanTextIsNotCopied() {
    String lines = "Zürich ✓ 東京 🚨\n\tok";
    assertSame(lines, Text.multiLine(lines));
    String line = "[CRITICAL] kuma/Zürich ✓";
    assertSame(line, Text.singleLine(line));
  }

  @Test
  void lengthCountsCodePointsNotChars() {
    assertEquals(3, Text.length("a🚨b"));
    assertEquals(4, "a🚨b".length());
    assertEquals(6, Text.utf8Length("a🚨b"));
    assertEquals(3, Text.utf8Length("\uD800"), "a lone surrogate counts as U+FFFD");
  }

  @Test
  void textWithinTheLimitIsReturnedAsIs() {
    String text = "🚨".repeat(10);
    assertSame(text, Text.truncate(text, 10));
    assertSame(text, Text.truncateUtf8(text, 40));
  }

  @Test
  void cutKeepsTheStartAndEndsWithTheMarkWithinTheLimit() {
    assertEquals("abcd\u2026", Text.truncate("abcdefgh", 5));
    assertEquals("abcd\u2026", Text.truncateUtf8("abcdefgh", 7));
  }

  @Test
  void cutNeverSplitsASurrogatePair() {
    assertEquals("🚨🚨🚨\u2026", Text.truncate("🚨".repeat(10), 4));
    // "ab" + 🚨 (4 bytes) + "c" = 7 bytes; 6 bytes leave room for "ab" and the 3-byte mark.
    assertEquals("ab…", Text.truncateUtf8("ab🚨c", 6));
    assertEquals("ab…", Text.truncateUtf8("ab🚨cd", 7));
    assertEquals("ab🚨…", Text.truncateUtf8("ab🚨cdef", 9));
    assertEquals("ab🚨c", Text.truncateUtf8("ab🚨c", 7));
  }

  @Test
  void cutDropsTrailingSpaceAndDanglingJoiner() {
    String family = "\uD83D\uDC68\u200D\uD83D\uDC69";
    assertEquals("\uD83D\uDC68\u2026", Text.truncate(family + "xyz", 3));
    assertEquals("ab\u2026", Text.truncate("ab   cdef", 5));
    assertEquals("ab\u2026", Text.truncateUtf8("ab   cdef", 7));
  }

  @Test
  void limitTooSmallForTheMarkGivesNothingAndANegativeOneIsRefused() {
    assertEquals("", Text.truncate("abc", 0));
    assertEquals("", Text.truncateUtf8("abc", 2));
    assertThrows(IllegalArgumentException.class, () -> Text.truncate("abc", -1));
    assertThrows(IllegalArgumentException.class, () -> Text.truncateUtf8("abc", -1));
  }

  @Test
  void lastUtf8KeepsTheEndOnACodePoint() {
    assertEquals("c🚨d", Text.lastUtf8("ab🚨c🚨d", 9));
    assertEquals("d", Text.lastUtf8("ab🚨c🚨d", 4));
    assertEquals("ab🚨c🚨d", Text.lastUtf8("ab🚨c🚨d", 100));
  }

  @Test
  void quoteIsShortSingleLineAndSaysNull() {
    assertEquals("'" + "x".repeat(64) + "…'", Text.quote("x".repeat(500) + "\n\u0007"));
    assertEquals("'a b\uFFFD'", Text.quote("a\nb\u0000"));
    assertEquals("null", Text.quote(null));
  }

  @Test
  void linksGetALowerCaseSchemeAndAnAsciiFormToSend() {
    URI link = Text.link(" HTTPS://runbooks.cabal.example/zürich ", 100).orElseThrow();
    assertEquals(URI.create("https://runbooks.cabal.example/zürich"), link);
    assertEquals("https://runbooks.cabal.example/z%C3%BCrich", link.toASCIIString());
    assertEquals(Optional.of(URI.create("http://h.example/a?b=c#d")),
        Text.link("http://h.example/a?b=c#d", 100));
  }

  @Test
  void linksOtherThanHttpWithAHostAndNoCredentialsAreRefusedWithAReason() {
    assertEquals(Optional.of("is not an http(s) URL"),
        Text.linkProblem("ftp://runbooks.cabal.example/", 100));
    assertEquals(Optional.of("is not an http(s) URL"), Text.linkProblem("javascript:x()", 100));
    assertEquals(Optional.of("has no host"), Text.linkProblem("https:///no-host", 100));
    assertEquals(Optional.of("is not a valid URL (Illegal character in path at index 3)"),
        Text.linkProblem("not a url", 100));
    assertEquals(Optional.of("is empty"), Text.linkProblem(" ", 100));
    assertEquals(Optional.of("is not a valid URL (unpaired surrogate at index 10)"),
        Text.linkProblem("https://h/\uD800", 100));
    String withCredentials = "https://alerts:hunter2@ntfy.cabal.example/";
    assertEquals(Optional.empty(), Text.link(withCredentials, 100));
    assertEquals(Optional.of("carries credentials (user:password@), which are never sent"),
        Text.linkProblem(withCredentials, 100));
    assertEquals(Optional.empty(), Text.linkProblem("https://h.example/" + "a".repeat(82), 100));
    assertEquals(Optional.of("is longer than 100 characters"),
        Text.linkProblem("https://h.example/" + "a".repeat(83), 100));
    assertEquals(Optional.of("is longer than 100 characters"),
        Text.linkProblem("https://h.example/" + "ü".repeat(20), 100), "counted in ASCII form");
  }
}
