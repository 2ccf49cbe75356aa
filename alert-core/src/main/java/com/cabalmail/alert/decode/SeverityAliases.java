package com.cabalmail.alert.decode;

import com.cabalmail.alert.Severity;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Severity words people write in their rules, mapped to the three the router knows. The
 * defaults ({@link #DEFAULTS}) follow the schemes tools and pagers already use: PagerDuty's
 * event severities (critical and error are high urgency, warning and info low), syslog's levels
 * (emerg, alert, crit and err page; notice and debug inform), Opsgenie's priorities (P1 and P2
 * page, P3 is a warning, P4 and P5 inform), ITU X.733 alarms (major pages, minor warns), the
 * SRE book's page/ticket, and low/medium/high. A configured table adds to the defaults and
 * overrides entries of the same word. Words compare ignoring case and surrounding blanks.
 */
final class SeverityAliases {

  /** The built-in aliases, in the syntax of the setting. */
  static final String DEFAULTS = "page:critical,pager:critical,crit:critical,fatal:critical,"
      + "emergency:critical,emerg:critical,alert:critical,error:critical,err:critical,"
      + "high:critical,major:critical,p1:critical,p2:critical,"
      + "warn:warning,ticket:warning,medium:warning,minor:warning,p3:warning,"
      + "none:info,informational:info,information:info,notice:info,low:info,debug:info,"
      + "p4:info,p5:info";

  static final SeverityAliases BUILT_IN = builtIn();

  private final Map<String, Severity> byWord;

  private SeverityAliases(Map<String, Severity> byWord) {
    this.byWord = Collections.unmodifiableMap(new LinkedHashMap<>(byWord));
  }

  private static SeverityAliases builtIn() {
    List<String> problems = new ArrayList<>();
    SeverityAliases aliases = parse("defaults", DEFAULTS, problems);
    if (!problems.isEmpty()) {
      throw new IllegalStateException(problems.get(0));
    }
    return aliases;
  }

  /**
   * The defaults with the entries of {@code text} ({@code word:severity,...}) added or
   * overriding; each bad entry is reported to {@code problems}, naming {@code key}.
   */
  static SeverityAliases parse(String key, String text, List<String> problems) {
    Map<String, Severity> words = new LinkedHashMap<>();
    if (BUILT_IN != null) {
      words.putAll(BUILT_IN.byWord);
    }
    for (String raw : text.split(",", -1)) {
      String entry = raw.trim();
      if (entry.isEmpty()) {
        continue;
      }
      int colon = entry.indexOf(':');
      String word = colon < 0 ? "" : entry.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      if (colon < 0 || word.isEmpty()) {
        problems.add(key + ": entry '" + entry + "' is not <word>:<severity>");
        continue;
      }
      Severity severity = exact(entry.substring(colon + 1));
      if (severity == null) {
        problems.add(key + ": entry '" + entry + "' maps to '"
            + entry.substring(colon + 1).trim() + "'; allowed: critical, warning, info");
        continue;
      }
      if (exact(word) != null) {
        problems.add(key + ": '" + word + "' is a severity itself, not an alias");
        continue;
      }
      words.put(word, severity);
    }
    return new SeverityAliases(words);
  }

  /** The severity {@code text} names, directly or as an alias, or null. */
  Severity find(String text) {
    Severity direct = exact(text);
    return direct != null ? direct : byWord.get(text.trim().toLowerCase(Locale.ROOT));
  }

  /** Whether {@code text} is an alias rather than a severity's own name. */
  boolean isAlias(String text) {
    return exact(text) == null && byWord.containsKey(text.trim().toLowerCase(Locale.ROOT));
  }

  /** "critical, warning, info; aliases: page (critical), ..." for error messages. */
  String allowed() {
    List<String> aliases = new ArrayList<>();
    for (Map.Entry<String, Severity> alias : byWord.entrySet()) {
      aliases.add(alias.getKey() + " (" + alias.getValue().wireName() + ")");
    }
    return "critical, warning, info"
        + (aliases.isEmpty() ? "" : "; aliases (" + WebhookDecoder.SEVERITY_ALIASES + "): "
            + String.join(", ", aliases));
  }

  private static Severity exact(String text) {
    String name = text.trim();
    for (Severity severity : Severity.values()) {
      if (severity.name().equalsIgnoreCase(name)) {
        return severity;
      }
    }
    return null;
  }
}
