package com.cabalmail.alert.decode;

/**
 * Deterministic clean-up of decoded text. Unicode is data and passes untouched (emoji, CJK,
 * right-to-left text, combining marks, joiners, bidi controls); only control characters
 * (category Cc) and unpaired surrogates are replaced, so that no decoded value can smuggle a
 * line break into a title or an HTTP header downstream.
 */
final class CleanText {

  static final char REPLACEMENT = '\uFFFD';
  private static final int EXCERPT_LENGTH = 64;

  private CleanText() {}

  /**
   * A single-line value (source, label, fingerprint): every control character, tab and line
   * breaks included, and every unpaired surrogate becomes U+FFFD.
   */
  static String line(String text) {
    return clean(text, false);
  }

  /**
   * A summary: line feeds and tabs are kept, CR LF and a lone CR become LF, every other
   * control character and every unpaired surrogate becomes U+FFFD.
   */
  static String multiline(String text) {
    return clean(text, true);
  }

  /** A short, single-line, quoted excerpt of untrusted text for an error message. */
  static String quote(String text) {
    if (text == null) {
      return "null";
    }
    String excerpt = text.length() <= EXCERPT_LENGTH
        ? text
        : text.substring(0, safeCut(text, EXCERPT_LENGTH)) + "…";
    return "'" + line(excerpt) + "'";
  }

  private static int safeCut(String text, int at) {
    return Character.isHighSurrogate(text.charAt(at - 1)) ? at - 1 : at;
  }

  private static String clean(String text, boolean multiline) {
    int length = text.length();
    int i = 0;
    while (i < length && isPlain(text, i, multiline)) {
      i++;
    }
    if (i == length) {
      return text;
    }
    StringBuilder out = new StringBuilder(length).append(text, 0, i);
    for (; i < length; i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < length
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        out.append(c).append(text.charAt(++i));
      } else if (Character.isSurrogate(c)) {
        out.append(REPLACEMENT);
      } else if (multiline && c == '\r') {
        out.append('\n');
        if (i + 1 < length && text.charAt(i + 1) == '\n') {
          i++;
        }
      } else if (multiline && (c == '\n' || c == '\t')) {
        out.append(c);
      } else if (Character.getType(c) == Character.CONTROL) {
        out.append(REPLACEMENT);
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** Whether the char at {@code i} is kept as is (a paired surrogate counts as plain). */
  private static boolean isPlain(String text, int i, boolean multiline) {
    char c = text.charAt(i);
    if (c >= 0x20 && c < 0x7f) {
      return true;
    }
    if (Character.isHighSurrogate(c)) {
      return i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
    }
    if (Character.isLowSurrogate(c)) {
      return i > 0 && Character.isHighSurrogate(text.charAt(i - 1));
    }
    if (multiline && (c == '\n' || c == '\t')) {
      return true;
    }
    return Character.getType(c) != Character.CONTROL;
  }
}
