package com.cabalmail.alert.pushover;

/**
 * Text as Pushover counts and accepts it. Pushover's limits are in "4-byte UTF-8 characters",
 * that is Unicode code points: not Java {@code char}s (an emoji outside the BMP is two) and not
 * bytes. Cuts fall between code points, never inside a surrogate pair, and are marked with
 * {@value #MARK}. Control characters, which Pushover's pipeline and the phone's banner do not
 * render, are replaced; everything else, emoji, scripts and joiners included, is data.
 */
final class PushoverText {

  /** What marks a cut: one code point, so it costs one of the limit. */
  static final String MARK = "\u2026";
  /** What a control character or a lone surrogate becomes. */
  static final char REPLACEMENT = '\uFFFD';

  private PushoverText() {}

  /** Length as Pushover counts it: code points. */
  static int length(String text) {
    return text.codePointCount(0, text.length());
  }

  /**
   * {@code text} if it has at most {@code max} code points; otherwise its first code points
   * followed by {@value #MARK}, {@code max} in all. Whitespace and dangling joiners before the
   * mark are dropped, so the cut reads as one.
   */
  static String truncate(String text, int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be positive, was " + max);
    }
    if (length(text) <= max) {
      return text;
    }
    int end = text.offsetByCodePoints(0, max - 1);
    while (end > 0) {
      int last = text.codePointBefore(end);
      if (!Character.isWhitespace(last) && last != 0x200D && !isVariationSelector(last)) {
        break;
      }
      end -= Character.charCount(last);
    }
    return text.substring(0, end) + MARK;
  }

  /** One line (a title): line breaks and tabs become spaces, other controls {@code U+FFFD}. */
  static String line(String text) {
    return clean(text, false);
  }

  /** A message body: {@code \n} and tab stay, {@code \r\n} and {@code \r} become {@code \n}. */
  static String body(String text) {
    return clean(text, true);
  }

  private static String clean(String text, boolean multiline) {
    if (isClean(text, multiline)) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        out.append(c).append(text.charAt(++i));
      } else if (Character.isSurrogate(c)) {
        out.append(REPLACEMENT);
      } else if (c == '\r') {
        boolean crlf = i + 1 < text.length() && text.charAt(i + 1) == '\n';
        if (!crlf) {
          out.append(multiline ? '\n' : ' ');
        }
      } else if (c == '\n' || c == '\t') {
        out.append(multiline ? c : ' ');
      } else if (Character.isISOControl(c)) {
        out.append(REPLACEMENT);
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static boolean isClean(String text, boolean multiline) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c) && i + 1 < text.length()
            && Character.isLowSurrogate(text.charAt(i + 1))) {
          i++;
          continue;
        }
        return false;
      }
      if (Character.isISOControl(c) && !(multiline && (c == '\n' || c == '\t'))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isVariationSelector(int codePoint) {
    return (codePoint >= 0xFE00 && codePoint <= 0xFE0F)
        || (codePoint >= 0xE0100 && codePoint <= 0xE01EF);
  }
}
