package com.cabalmail.http;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * The one base-URL rule: where a transport (alert-core's {@code Settings.httpUrl} and
 * {@code Settings.credentialUrl}) and the heartbeat client (a ping URL is a credential too) may
 * send a credential. Two checks, each returning its problem as a sentence that starts with the
 * setting's name and never repeats the URL's credentials:
 *
 * <ul>
 *   <li>{@link #httpUrlProblem}: an absolute {@code http(s)} URL with a host and no
 *       {@code user:password@};
 *   <li>{@link #plainHttpProblem}: {@code https}, or {@code http} to a loopback host
 *       ({@code localhost}, {@code 127.x.x.x}, {@code [::1]}), or any {@code http} when
 *       {@value #ALLOW_PLAIN_HTTP} is {@code true}.
 * </ul>
 *
 * <p>Lives next to {@link Text} in {@code cabal-http}, below both alert-core and the heartbeat
 * client, so that neither depends on the other for it.
 */
public final class UrlRule {

  /**
   * Set to {@code true} to let a transport send its token over plain {@code http://} to a host
   * that is not loopback (a private network the operator trusts); refused otherwise.
   */
  public static final String ALLOW_PLAIN_HTTP = "ALERT_ALLOW_PLAIN_HTTP";

  private UrlRule() {}

  /**
   * Why {@code text} (the value of {@code key}) is not an absolute http(s) URL without
   * credentials, as a problem naming {@code key}; empty when it is one, and then
   * {@code new URI(text)} is that URL. A null {@code text} is "required". A URL carrying
   * {@code user:password@} is refused without repeating it; any other refused value is quoted
   * scrubbed of credential patterns ({@link Redaction#withPatterns()}).
   */
  public static Optional<String> httpUrlProblem(String key, String text) {
    if (text == null) {
      return Optional.of(key + " is required: an http(s) URL");
    }
    URI uri = null;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      // reported below
    }
    if (uri != null && uri.getRawUserInfo() != null || uri == null && text.contains("@")) {
      // Never echo the value: it may hold a password.
      return Optional.of(key + " must not contain credentials (user:password@, not repeated"
          + " here): give them in the transport's own credential settings");
    }
    if (uri != null) {
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
        return Optional.empty();
      }
    }
    return Optional.of(key + "=" + Text.quote(Redaction.none().withPatterns().scrub(text))
        + " must be an absolute http(s) URL");
  }

  /**
   * Whether sending a credential to {@code url} needs {@value #ALLOW_PLAIN_HTTP}: plain
   * {@code http} to a host that is not loopback. False for null.
   */
  public static boolean needsPlainHttpPermission(URI url) {
    return url != null && "http".equalsIgnoreCase(url.getScheme()) && !isLoopback(url.getHost());
  }

  /**
   * Why a credential may not be sent to {@code url} (the value of {@code key}), as a problem
   * naming {@code key}; empty when it may: see {@link #needsPlainHttpPermission}, and
   * {@code allowPlainHttp} is the value of {@value #ALLOW_PLAIN_HTTP}.
   */
  public static Optional<String> plainHttpProblem(String key, URI url, boolean allowPlainHttp) {
    if (allowPlainHttp || !needsPlainHttpPermission(url)) {
      return Optional.empty();
    }
    return Optional.of(key + " is plain http:// to " + url.getHost() + ", and a token would"
        + " travel unencrypted: use https://, or set " + ALLOW_PLAIN_HTTP + "=true to allow it");
  }

  /** Whether {@code host} is a loopback name or address (no lookup is made). */
  public static boolean isLoopback(String host) {
    if (host == null) {
      return false;
    }
    String h = host.toLowerCase(Locale.ROOT);
    return h.equals("localhost") || h.endsWith(".localhost") || h.equals("[::1]")
        || h.equals("::1") || h.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
  }
}
