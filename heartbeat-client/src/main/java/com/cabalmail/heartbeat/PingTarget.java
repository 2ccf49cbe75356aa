package com.cabalmail.heartbeat;

import com.cabalmail.http.Text;
import java.net.URI;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A Healthchecks ping URL taken apart: {@code <endpoint>/<uuid>} or
 * {@code <endpoint>/<ping-key>/<slug>}, any query kept (e.g. {@code create=1}). Knows how to
 * name the check in logs without printing the URL: the slug, or the first block of the UUID.
 */
final class PingTarget {

  private static final Pattern UUID_FORM = Pattern.compile(
      "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  private final String base;
  private final String query;
  private final String label;

  private PingTarget(String base, String query, String label) {
    this.base = base;
    this.query = query;
    this.label = label;
  }

  /** The target, or why {@code url} is not one. */
  static Parsed parse(String url) {
    Optional<String> problem = Text.linkProblem(url, Text.MAX_LINK_LENGTH);
    if (problem.isPresent()) {
      return new Parsed(null, problem.get());
    }
    URI uri = Text.link(url, Text.MAX_LINK_LENGTH).orElseThrow();
    String scheme = uri.getScheme();
    if (uri.getRawFragment() != null) {
      return new Parsed(null, "has a fragment");
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    int slash = path.lastIndexOf('/');
    String last = path.substring(slash + 1);
    if (last.isEmpty()) {
      return new Parsed(null, "has no check in its path (expected /ping/<uuid> or"
          + " /ping/<ping-key>/<slug>)");
    }
    String label = UUID_FORM.matcher(last).matches()
        ? "check " + last.substring(0, 8) + "\u2026 at " + uri.getHost()
        : "check '" + last + "' at " + uri.getHost();
    String base = scheme + "://" + uri.getRawAuthority() + path;
    return new Parsed(new PingTarget(base, uri.getRawQuery(), label), null);
  }

  /** {@code target} when {@code url} parsed, else {@code problem} says why. */
  record Parsed(PingTarget target, String problem) {}

  /** The URL of one signal: the base, the signal's suffix, then the query and the run id. */
  URI uri(String suffix, Optional<UUID> runId) {
    StringBuilder uri = new StringBuilder(base.length() + 64).append(base).append(suffix);
    boolean hasQuery = query != null && !query.isEmpty();
    if (hasQuery) {
      uri.append('?').append(query);
    }
    if (runId.isPresent()) {
      uri.append(hasQuery ? '&' : '?').append("rid=").append(runId.get());
    }
    return URI.create(uri.toString());
  }

  /** How logs name the check: the slug, or the UUID's first block, and the host. */
  String label() {
    return label;
  }

  @Override
  public String toString() {
    return "PingTarget[" + label + "]";
  }
}
