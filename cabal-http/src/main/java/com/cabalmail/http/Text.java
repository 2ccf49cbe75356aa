package com.cabalmail.http;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * The one text and link rule of every decoder, transport and the heartbeat client, so that the
 * same alert shows the same characters on every channel.
 *
 * <p>Unicode is data: emoji, CJK, right-to-left text, combining marks, joiners, direction marks
 * and bidi controls pass untouched (they cannot break a line or a header, and every channel
 * renders them alike). What is cleaned:
 *
 * <ul>
 *   <li>{@link #singleLine} (titles, sources, labels): every line break ({@code LF}, {@code CR},
 *       {@code VT}, {@code FF}, {@code NEL} U+0085, U+2028, U+2029) and tab becomes a space,
 *       runs of spaces collapse to one, the ends are trimmed;
 *   <li>{@link #multiLine} (summaries, messages): {@code CR LF} and every other line break
 *       become {@code LF}; {@code LF} and tab stay;
 *   <li>in both, every other control character (category Cc: C0, {@code DEL}, C1) and every
 *       unpaired surrogate becomes U+FFFD ({@link #REPLACEMENT}), visibly, rather than vanishing.
 * </ul>
 *
 * <p>Cuts ({@link #truncate}, {@link #truncateUtf8}) fall between code points, never inside a
 * surrogate pair, drop the whitespace and dangling joiner before the cut, and end with
 * {@value #MARK}, counted within the limit. Links ({@link #link}) are absolute http(s) URLs
 * with a host and no credentials, measured (and sent, {@link URI#toASCIIString()}) in ASCII
 * form, with a lower-case scheme.
 */
public final class Text {

  /** What marks a cut: one code point, three UTF-8 bytes. */
  public static final String MARK = "\u2026";
  /** What a control character or an unpaired surrogate becomes. */
  public static final char REPLACEMENT = '\uFFFD';
  /**
   * The longest link a decoder accepts, in characters of its ASCII form; a transport applies
   * its provider's shorter limit when it sends one.
   */
  public static final int MAX_LINK_LENGTH = 8192;

  private static final int MARK_BYTES = 3;
  private static final int EXCERPT_LENGTH = 64;
  private static final int ZERO_WIDTH_JOINER = 0x200D;

  private Text() {}

  /**
   * {@code text} as one line: line breaks and tabs become spaces, spaces collapse and the ends
   * are trimmed, other control characters and unpaired surrogates become {@link #REPLACEMENT}.
   * Clean text is returned as is.
   */
  public static String singleLine(String text) {
    if (isCleanLine(text)) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    boolean space = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == ' ' || c == '\t' || isLineBreak(c)) {
        space = out.length() > 0;
        continue;
      }
      if (space) {
        out.append(' ');
        space = false;
      }
      i = appendChecked(text, i, out);
    }
    return out.toString();
  }

  /**
   * {@code text} as lines: {@code CR LF} and every other line break become {@code LF}, tab
   * stays, other control characters and unpaired surrogates become {@link #REPLACEMENT}.
   * Clean text is returned as is.
   */
  public static String multiLine(String text) {
    if (isCleanLines(text)) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
        continue; // the LF that follows makes the one break
      }
      if (c == '\n' || isLineBreak(c)) {
        out.append('\n');
      } else if (c == '\t') {
        out.append(c);
      } else {
        i = appendChecked(text, i, out);
      }
    }
    return out.toString();
  }

  /** The length of {@code text} in code points (an emoji outside the BMP is one, not two). */
  public static int length(String text) {
    return text.codePointCount(0, text.length());
  }

  /** The length of {@code text} in UTF-8 bytes (an unpaired surrogate counts as U+FFFD). */
  public static int utf8Length(String text) {
    int bytes = 0;
    for (int i = 0; i < text.length(); ) {
      int codePoint = text.codePointAt(i);
      bytes += utf8Length(codePoint);
      i += Character.charCount(codePoint);
    }
    return bytes;
  }

  /**
   * {@code text} if it has at most {@code maxCodePoints} code points; otherwise its start and
   * {@link #MARK}, {@code maxCodePoints} in all ({@code ""} when not even the mark fits).
   *
   * @throws IllegalArgumentException if {@code maxCodePoints} is negative
   */
  public static String truncate(String text, int maxCodePoints) {
    requireNotNegative(maxCodePoints);
    if (length(text) <= maxCodePoints) {
      return text;
    }
    if (maxCodePoints < 1) {
      return "";
    }
    return mark(text, text.offsetByCodePoints(0, maxCodePoints - 1));
  }

  /**
   * {@code text} if it takes at most {@code maxBytes} bytes of UTF-8; otherwise its start and
   * {@link #MARK}, at most {@code maxBytes} in all ({@code ""} when not even the mark fits).
   *
   * @throws IllegalArgumentException if {@code maxBytes} is negative
   */
  public static String truncateUtf8(String text, int maxBytes) {
    requireNotNegative(maxBytes);
    if (utf8Length(text) <= maxBytes) {
      return text;
    }
    int room = maxBytes - MARK_BYTES;
    if (room < 0) {
      return "";
    }
    int end = 0;
    for (int bytes = 0; end < text.length(); ) {
      int codePoint = text.codePointAt(end);
      bytes += utf8Length(codePoint);
      if (bytes > room) {
        break;
      }
      end += Character.charCount(codePoint);
    }
    return mark(text, end);
  }

  /**
   * The longest end of {@code text} that takes at most {@code maxBytes} bytes of UTF-8,
   * starting on a code point (for output whose end matters most, such as a job's log). No mark
   * is added: the caller says what was dropped.
   */
  public static String lastUtf8(String text, int maxBytes) {
    requireNotNegative(maxBytes);
    int start = text.length();
    for (int bytes = 0; start > 0; ) {
      int codePoint = text.codePointBefore(start);
      bytes += utf8Length(codePoint);
      if (bytes > maxBytes) {
        break;
      }
      start -= Character.charCount(codePoint);
    }
    return text.substring(start);
  }

  /**
   * Untrusted {@code text} (a provider's answer, which may echo the request) for a message:
   * scrubbed whole by {@code redaction} first, then made one line, then cut to
   * {@code maxCodePoints}. In that order, so that a secret cut in half is never left behind.
   */
  public static String excerpt(String text, int maxCodePoints, Redaction redaction) {
    return truncate(redaction.scrub(singleLine(redaction.scrub(text))), maxCodePoints);
  }

  /** As {@link #excerpt}, cut to {@code maxBytes} of UTF-8. */
  public static String excerptUtf8(String text, int maxBytes, Redaction redaction) {
    return truncateUtf8(redaction.scrub(singleLine(redaction.scrub(text))), maxBytes);
  }

  /** A short, single-line, quoted excerpt of untrusted {@code text}, for an error message. */
  public static String quote(String text) {
    return text == null ? "null" : "'" + truncate(singleLine(text), EXCERPT_LENGTH + 1) + "'";
  }

  /**
   * {@code text} (trimmed) as a link: an absolute http(s) URL with a host, no user or password,
   * at most {@code maxLength} characters in ASCII form ({@link URI#toASCIIString()}, what a
   * transport sends); returned with a lower-case scheme. Empty when it is not one;
   * {@link #linkProblem} says why.
   */
  public static Optional<URI> link(String text, int maxLength) {
    Object checked = checkLink(text, maxLength);
    return checked instanceof URI ? Optional.of((URI) checked) : Optional.empty();
  }

  /**
   * Why {@code text} is not a {@link #link}, as the end of a sentence that starts with its name
   * (e.g. "is not an http(s) URL"), never quoting it; empty when it is one.
   */
  public static Optional<String> linkProblem(String text, int maxLength) {
    Object checked = checkLink(text, maxLength);
    return checked instanceof String ? Optional.of((String) checked) : Optional.empty();
  }

  /** The link as a {@link URI}, or the problem as a {@link String}. */
  private static Object checkLink(String text, int maxLength) {
    if (text == null || text.isBlank()) {
      return "is empty";
    }
    String trimmed = text.strip();
    for (int i = 0; i < trimmed.length(); i++) {
      char c = trimmed.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < trimmed.length()
          && Character.isLowSurrogate(trimmed.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return "is not a valid URL (unpaired surrogate at index " + i + ")";
      }
    }
    URI uri;
    try {
      uri = new URI(trimmed);
    } catch (URISyntaxException e) {
      return "is not a valid URL (" + e.getReason() + " at index " + e.getIndex() + ")";
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      return "is not an http(s) URL";
    }
    if (uri.getHost() == null) {
      return "has no host";
    }
    if (uri.getRawUserInfo() != null) {
      return "carries credentials (user:password@), which are never sent";
    }
    if (uri.toASCIIString().length() > maxLength) {
      return "is longer than " + maxLength + " characters";
    }
    // Receivers compare the scheme in lower case ("HTTPS://" is refused by ntfy).
    return uri.getScheme().equals(scheme) ? uri
        : URI.create(scheme + uri.toString().substring(scheme.length()));
  }

  private static void requireNotNegative(int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must not be negative, was " + limit);
    }
  }

  /** {@code text} up to {@code end}, less trailing whitespace and joiners, then the mark. */
  private static String mark(String text, int end) {
    while (end > 0) {
      int last = text.codePointBefore(end);
      if (!Character.isWhitespace(last) && last != ZERO_WIDTH_JOINER
          && !isVariationSelector(last)) {
        break;
      }
      end -= Character.charCount(last);
    }
    return text.substring(0, end) + MARK;
  }

  private static boolean isLineBreak(char c) {
    return c == '\n' || c == '\r' || c == '\u000B' || c == '\u000C' || c == '\u0085'
        || c == '\u2028' || c == '\u2029';
  }

  /** Appends the char at {@code i} (a pair whole) or its replacement; the last index used. */
  private static int appendChecked(String text, int i, StringBuilder out) {
    char c = text.charAt(i);
    if (Character.isHighSurrogate(c) && i + 1 < text.length()
        && Character.isLowSurrogate(text.charAt(i + 1))) {
      out.append(c).append(text.charAt(i + 1));
      return i + 1;
    }
    out.append(Character.isSurrogate(c) || Character.getType(c) == Character.CONTROL
        ? REPLACEMENT : c);
    return i;
  }

  private static boolean isCleanLine(String text) {
    int length = text.length();
    if (length > 0 && (text.charAt(0) == ' ' || text.charAt(length - 1) == ' ')) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      if (c == ' ') {
        if (text.charAt(i - 1) == ' ') {
          return false;
        }
      } else if (c == '\t' || !isKept(text, i)) {
        return false;
      } else if (Character.isHighSurrogate(c)) {
        i++;
      }
    }
    return true;
  }

  private static boolean isCleanLines(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n' || c == '\t') {
        continue;
      }
      if (!isKept(text, i)) {
        return false;
      }
      if (Character.isHighSurrogate(c)) {
        i++;
      }
    }
    return true;
  }

  /** Whether the char at {@code i} is kept as is: no control, no break, a whole pair. */
  private static boolean isKept(String text, int i) {
    char c = text.charAt(i);
    if (c >= 0x20 && c < 0x7f) {
      return true;
    }
    if (Character.isHighSurrogate(c)) {
      return i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
    }
    return !Character.isLowSurrogate(c) && !isLineBreak(c)
        && Character.getType(c) != Character.CONTROL;
  }

  private static boolean isVariationSelector(int codePoint) {
    return (codePoint >= 0xFE00 && codePoint <= 0xFE0F)
        || (codePoint >= 0xE0100 && codePoint <= 0xE01EF);
  }

  private static int utf8Length(int codePoint) {
    if (codePoint < 0x80) {
      return 1;
    }
    if (codePoint < 0x800) {
      return 2;
    }
    return codePoint < 0x10000 ? 3 : 4;
  }
}
