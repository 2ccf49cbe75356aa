package com.cabalmail.heartbeat;

import com.cabalmail.http.Redaction;
import com.cabalmail.http.Secret;
import com.cabalmail.http.UrlRule;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Whether a configured ping URL makes a heartbeat that sends, and if not, why, in words that
 * never quote the URL (it is a capability): blank or not http(s) (production parks a check with
 * {@code paused}) is a quiet "off"; a malformed URL, or one the transports would refuse as a base
 * URL ({@link UrlRule}), is an "off" with a warning.
 */
final class PingUrlCheck {

  private static final Pattern PLAIN_WORD = Pattern.compile("[A-Za-z0-9_.-]{1,32}");

  private PingUrlCheck() {}

  /** {@code target} to ping, or why the heartbeat is off and whether that deserves a warning. */
  record Checked(PingTarget target, String offReason, boolean warn) {}

  /** {@code url}, read from {@code source}, under the rules of {@code environment}. */
  static Checked check(String url, String source, Map<String, String> environment) {
    if (url == null || url.isBlank()) {
      return new Checked(null, source + " is blank", false);
    }
    String value = url.strip();
    String lower = value.toLowerCase(Locale.ROOT);
    if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
      String shown = PLAIN_WORD.matcher(value).matches() ? "'" + value + "'"
          : "not an http(s) URL";
      return new Checked(null, source + " is " + shown, false);
    }
    PingTarget.Parsed parsed = PingTarget.parse(value);
    if (parsed.target() == null) {
      return new Checked(null, source + " " + parsed.problem(), true);
    }
    Optional<String> refused = transportUrlProblem(value, source, environment);
    if (refused.isPresent()) {
      return new Checked(null, refused.get(), true);
    }
    return new Checked(parsed.target(), null, false);
  }

  /**
   * Why the transports would refuse {@code url} as a base URL, in their own words: the one
   * rule of {@link UrlRule} (cabal-http) that alert-core's {@code Settings} applies too: no
   * {@code user:password@}, and {@code https} unless the host is loopback or
   * {@value UrlRule#ALLOW_PLAIN_HTTP} is {@code true} in the environment; a ping URL is a
   * credential too. Never quotes the URL.
   */
  /** An if, not ifPresent(problems::add): a Watchdog's URL is checked on every cold start. */
  private static void add(List<String> problems, Optional<String> problem) {
    if (problem.isPresent()) {
      problems.add(problem.get());
    }
  }

  private static Optional<String> transportUrlProblem(String url, String source,
      Map<String, String> environment) {
    List<String> problems = new ArrayList<>(2);
    add(problems, UrlRule.httpUrlProblem(source, url));
    URI uri = problems.isEmpty() ? URI.create(url) : null;
    if (UrlRule.needsPlainHttpPermission(uri)) {
      // ALERT_ALLOW_PLAIN_HTTP read as Settings.flag reads it: true or false, any case.
      String allow = environment.get(UrlRule.ALLOW_PLAIN_HTTP);
      String value = allow == null ? "" : allow.strip();
      boolean allowed = value.equalsIgnoreCase("true");
      if (!value.isEmpty() && !allowed && !value.equalsIgnoreCase("false")) {
        problems.add(UrlRule.ALLOW_PLAIN_HTTP + "='" + value + "' must be true or false");
      }
      add(problems, UrlRule.plainHttpProblem(source, uri, allowed));
    }
    // Whatever a problem says, the URL itself is scrubbed from it.
    Redaction redaction = Redaction.of(Secret.of(url));
    return problems.isEmpty() ? Optional.empty()
        : Optional.of(redaction.scrub(String.join("; ", problems)));
  }
}
