package com.cabalmail.http;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one scrubbing rule: which secrets a piece of text must not carry out of the process, and
 * {@link #scrub} to blank them. Immutable and thread-safe; built from {@link Secret}s and
 * combined with {@link #and}.
 *
 * <p><b>Scrub before cutting.</b> Text from outside (a provider's error page that echoes the
 * request) is scrubbed whole, before it is cut to a length: a secret cut in half no longer
 * matches, so scrubbing a cut text would let its first half through. {@link #scrub} replaces
 * every whole occurrence of a secret, and of its URL-encoded form, by {@value #MARK}; and, for
 * text that someone else already cut, a start that is the end of a secret or an end that is
 * the start of one, from {@value #MIN_EDGE_FRAGMENT} characters, by {@value #MARK} too.
 *
 * <p><b>Patterns.</b> {@link #withPatterns()} also blanks credentials that no configuration
 * names: AWS access key ids ({@code AKIA…}, {@code ASIA…}), the value after {@code Bearer} or
 * {@code Basic}, {@code user:password@} in URLs, and the value of {@code password=},
 * {@code token=}, {@code secret=} and {@code key=} pairs. For text that is not ours at all,
 * such as a job's exception going to Healthchecks (the heartbeat client adds its ping URL to
 * them), and a refused URL quoted by {@link UrlRule}. Scrubbing takes time linear in the text's
 * length whatever the text (possessive patterns and a hand-written scanner, no backtracking),
 * so hostile text costs no more than any other.
 *
 * <p>Lives next to {@link Secret} in {@code cabal-http} because every module that meets
 * outside text (the transports, {@code cabal-aws}, the heartbeat client, the sink) depends on
 * it, and none of them on each other.
 */
public final class Redaction {

  /** What a scrubbed secret becomes. */
  public static final String MARK = "<redacted>";
  /**
   * The shortest secret scrubbed: a shorter value cannot be told from ordinary text (and would
   * blank every word it occurs in); nothing that guards anything is that short.
   */
  public static final int MIN_SCRUBBED_LENGTH = 4;
  /** The shortest fragment of a secret blanked at the start or end of a text. */
  public static final int MIN_EDGE_FRAGMENT = 4;

  private static final Redaction NONE = new Redaction(List.of(), false);

  /** What each source taught the process at run time ({@link #learned}); guarded by the class. */
  private static final Map<String, Redaction> LEARNED = new HashMap<>();
  private static volatile Redaction process = NONE;

  /** Longest first, so that a secret containing another is blanked whole. */
  private final List<String> values;
  private final boolean patterns;

  private Redaction(List<String> values, boolean patterns) {
    this.values = values;
    this.patterns = patterns;
  }

  /** Scrubs nothing. */
  public static Redaction none() {
    return NONE;
  }

  /**
   * The secrets this process learned at run time, from every source ({@link #learned}): for
   * example AWS credentials fetched, and fetched again, after start-up. Whatever writes out of
   * the process (a log backend) scrubs with this as well as with the redaction it was given.
   */
  public static Redaction process() {
    return process;
  }

  /**
   * Makes {@code secrets} part of {@link #process()} in place of what {@code source} gave
   * before, so rotating credentials do not pile up: pass the previous ones too while they may
   * still appear in text.
   */
  public static void learned(String source, Collection<Secret> secrets) {
    Objects.requireNonNull(source, "source");
    Redaction taught = of(secrets);
    synchronized (Redaction.class) {
      LEARNED.put(source, taught);
      Redaction all = NONE;
      for (Redaction each : LEARNED.values()) {
        all = all.and(each);
      }
      process = all;
    }
  }

  /** Scrubs {@code secrets}. */
  public static Redaction of(Collection<Secret> secrets) {
    return NONE.and(secrets);
  }

  /** Scrubs {@code secrets}. */
  public static Redaction of(Secret... secrets) {
    return of(List.of(secrets));
  }

  /** This and {@code more} secrets. */
  public Redaction and(Collection<Secret> more) {
    Set<String> all = new LinkedHashSet<>(values);
    for (Secret secret : more) {
      String value = Objects.requireNonNull(secret, "secret").reveal();
      if (value.length() >= MIN_SCRUBBED_LENGTH) {
        all.add(value);
        all.add(URLEncoder.encode(value, StandardCharsets.UTF_8));
      }
    }
    return new Redaction(longestFirst(all), patterns);
  }

  /** This and the secrets {@code other} scrubs (its patterns too). */
  public Redaction and(Redaction other) {
    Set<String> all = new LinkedHashSet<>(values);
    all.addAll(other.values);
    return new Redaction(longestFirst(all), patterns || other.patterns);
  }

  /**
   * {@code values} longest first, equal lengths in their order. An insertion sort over a few
   * secrets rather than a Comparator lambda: redactions are built on the cold path
   * (ColdPathLambdasIT).
   */
  private static List<String> longestFirst(Collection<String> values) {
    List<String> sorted = new ArrayList<>(values.size());
    for (String value : values) {
      int at = sorted.size();
      while (at > 0 && sorted.get(at - 1).length() < value.length()) {
        at--;
      }
      sorted.add(at, value);
    }
    return List.copyOf(sorted);
  }

  /** This, also blanking credential patterns (see the class notes). */
  public Redaction withPatterns() {
    return new Redaction(values, true);
  }

  /** Whether {@link #withPatterns()} applies. */
  public boolean scrubsPatterns() {
    return patterns;
  }

  /**
   * {@code text} without any secret: call it on whole text, before cutting it. Null stays
   * null.
   */
  public String scrub(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String out = text;
    for (String value : values) {
      if (out.contains(value)) {
        out = out.replace(value, MARK);
      }
    }
    for (String value : values) {
      out = scrubEdges(out, value);
    }
    if (patterns) {
      // Each pattern only where the text holds what it cannot match without: most lines (every
      // log line) hold none of it, and a regular expression tried at every position of every
      // line was the sink's largest cold-start cost after its own work.
      if (out.contains("AKIA") || out.contains("ASIA")) {
        out = Patterns.AWS_KEY_ID.matcher(out).replaceAll(MARK);
      }
      if (containsIgnoreCase(out, "bearer") || containsIgnoreCase(out, "basic")) {
        out = Patterns.AUTH_SCHEME.matcher(out).replaceAll("$1 " + MARK);
      }
      if (out.indexOf('@') >= 0 && out.contains("://")) {
        out = Patterns.URL_USER_INFO.matcher(out).replaceAll("$1" + MARK + "@");
      }
      out = KeyValues.scrub(out);
    }
    return out;
  }

  /** Whether {@code text} holds {@code word} (lower-case ASCII) in any case. */
  private static boolean containsIgnoreCase(String text, String word) {
    for (int at = 0; at + word.length() <= text.length(); at++) {
      if ((text.charAt(at) | 0x20) == word.charAt(0)
          && text.regionMatches(true, at, word, 0, word.length())) {
        return true;
      }
    }
    return false;
  }

  /** A start that ends {@code secret}, an end that starts it: what an earlier cut left. */
  private static String scrubEdges(String text, String secret) {
    String out = text;
    int longest = Math.min(secret.length() - 1, out.length());
    for (int n = longest; n >= MIN_EDGE_FRAGMENT; n--) {
      if (out.regionMatches(out.length() - n, secret, 0, n)) {
        out = out.substring(0, out.length() - n) + MARK;
        break;
      }
    }
    longest = Math.min(secret.length() - 1, out.length());
    for (int n = longest; n >= MIN_EDGE_FRAGMENT; n--) {
      if (out.regionMatches(0, secret, secret.length() - n, n)) {
        out = MARK + out.substring(n);
        break;
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return "Redaction[" + values.size() + " value(s)" + (patterns ? ", patterns" : "") + "]";
  }

  /**
   * The credential patterns, compiled on first use: most processes never scrub by pattern.
   * Each runs in time linear in the text: every repetition is possessive, and a scheme or
   * user-info run is tried only from its first character, so no run is scanned twice.
   */
  private static final class Patterns {
    static final Pattern AWS_KEY_ID = Pattern.compile("\\b(?:AKIA|ASIA)[A-Z0-9]{12,}+\\b");
    static final Pattern AUTH_SCHEME =
        Pattern.compile("(?i)\\b(bearer|basic)\\s++[A-Za-z0-9._~+/=-]{4,}+");
    /** {@code scheme://user:password@}; the scheme run is taken whole, from where it starts. */
    static final Pattern URL_USER_INFO =
        Pattern.compile("((?<![A-Za-z0-9+.-])[A-Za-z0-9+.-]*+://)[^/\\s@]++@");
  }

  /**
   * {@code name=value} and {@code name: value} pairs whose name holds a credential word: a
   * hand-written scanner, since a regular expression for "a run of {@code [a-z_-]} holding one
   * of these words" backtracks cubically on text such as {@code token-token-token-…}. Each
   * name is a maximal run of ASCII letters, {@code _} and {@code -}, examined once; the value
   * after {@code \s*[=:]\s*} is a run of four or more characters other than whitespace and
   * {@code &,;"'}, and becomes {@value Redaction#MARK}.
   */
  static final class KeyValues {
    private static final String[] WORDS = {"password", "passwd", "token", "secret", "apikey",
        "api_key", "api-key", "accesskey", "access_key", "access-key"};
    private static final int MIN_VALUE = 4;

    private KeyValues() {}

    static String scrub(String text) {
      StringBuilder out = null;
      int copied = 0;
      int length = text.length();
      int at = 0;
      while (at < length) {
        if (!isNameChar(text.charAt(at))) {
          at++;
          continue;
        }
        int nameEnd = at + 1;
        while (nameEnd < length && isNameChar(text.charAt(nameEnd))) {
          nameEnd++;
        }
        // The separator first, one character to look at: only a name followed by one can be
        // redacted, so most names (the words of a log line) are never matched against WORDS.
        int value = afterSeparator(text, nameEnd);
        if (value > nameEnd && holdsWord(text, at, nameEnd)) {
          int valueEnd = value;
          while (valueEnd < length && isValueChar(text.charAt(valueEnd))) {
            valueEnd++;
          }
          if (valueEnd - value >= MIN_VALUE) {
            if (out == null) {
              out = new StringBuilder(length);
            }
            out.append(text, copied, value).append(MARK);
            copied = valueEnd;
            at = valueEnd;
            continue;
          }
        }
        at = nameEnd;
      }
      return out == null ? text : out.append(text, copied, length).toString();
    }

    /** Where the value starts after {@code \s*[=:]\s*} at {@code from}; {@code from} if none. */
    private static int afterSeparator(String text, int from) {
      int at = skipSpace(text, from);
      if (at == text.length() || (text.charAt(at) != '=' && text.charAt(at) != ':')) {
        return from;
      }
      return skipSpace(text, at + 1);
    }

    private static int skipSpace(String text, int from) {
      int at = from;
      while (at < text.length() && isSpace(text.charAt(at))) {
        at++;
      }
      return at;
    }

    private static boolean holdsWord(String text, int start, int end) {
      for (int at = start; at < end; at++) {
        char c = (char) (text.charAt(at) | 0x20); // ASCII lower case: names are ASCII
        if (c != 'p' && c != 't' && c != 's' && c != 'a') {
          continue; // no word starts here
        }
        for (String word : WORDS) {
          if (end - at >= word.length() && text.regionMatches(true, at, word, 0, word.length())) {
            return true;
          }
        }
      }
      return false;
    }

    private static boolean isNameChar(char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '-';
    }

    /** What {@code \\s} matches. */
    private static boolean isSpace(char c) {
      return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
    }

    private static boolean isValueChar(char c) {
      return !isSpace(c) && c != '&' && c != ',' && c != ';' && c != '"' && c != '\'';
    }
  }
}
