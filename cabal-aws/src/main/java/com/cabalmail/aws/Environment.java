package com.cabalmail.aws;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reading the AWS variables: blank counts as unset; the region from {@code AWS_REGION} or
 * {@code AWS_DEFAULT_REGION}; a service's endpoint from {@code AWS_ENDPOINT_URL_<SERVICE>}, then
 * {@code AWS_ENDPOINT_URL}, then the regional endpoint (China regions on
 * {@code amazonaws.com.cn}).
 */
final class Environment {

  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z0-9]+)+-[0-9]+");

  private Environment() {}

  /** The stripped value of {@code name}, or null when unset or blank. */
  static String value(Map<String, String> environment, String name) {
    String value = environment.get(name);
    return value == null || value.isBlank() ? null : value.strip();
  }

  /** The region, or null after adding the problem to {@code problems}. */
  static String region(Map<String, String> environment, List<String> problems) {
    String variable = value(environment, "AWS_REGION") != null ? "AWS_REGION"
        : value(environment, "AWS_DEFAULT_REGION") != null ? "AWS_DEFAULT_REGION" : null;
    if (variable == null) {
      problems.add("AWS_REGION (or AWS_DEFAULT_REGION) is not set");
      return null;
    }
    String region = value(environment, variable);
    if (!REGION.matcher(region).matches()) {
      problems.add(variable + "='" + region + "' is not an AWS region such as us-east-1");
      return null;
    }
    return region;
  }

  /**
   * The endpoint of {@code service} in {@code region} (null if the region was bad), or null
   * after adding the problem to {@code problems}.
   */
  static URI endpoint(Map<String, String> environment, AwsService service, String region,
      List<String> problems) {
    String variable = value(environment, service.endpointVariable()) != null
        ? service.endpointVariable()
        : value(environment, "AWS_ENDPOINT_URL") != null ? "AWS_ENDPOINT_URL" : null;
    if (variable == null) {
      if (region == null) {
        return null;
      }
      String domain = region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
      return URI.create("https://" + service.signingName() + "." + region + "." + domain + "/");
    }
    String text = value(environment, variable);
    URI endpoint = httpUri(text);
    if (endpoint == null || endpoint.getRawQuery() != null) {
      problems.add(variable + "='" + text
          + "' must be an http(s) URL with a host and no query, e.g. http://127.0.0.1:4566");
      return null;
    }
    return endpoint;
  }

  /**
   * {@code text} as an http(s) URI with a host, no user info or fragment, a default port left
   * out (as {@code java.net.http} leaves it out of {@code Host}) and a path of at least "/";
   * null if it is none of that.
   */
  static URI httpUri(String text) {
    try {
      URI uri = new URI(text);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null
          || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
        return null;
      }
      int port = uri.getPort();
      if (scheme.equals("http") && port == 80 || scheme.equals("https") && port == 443) {
        port = -1;
      }
      String path = uri.getPath() == null || uri.getPath().isEmpty() ? "/" : uri.getPath();
      return new URI(scheme, null, uri.getHost(), port, path, uri.getQuery(), null);
    } catch (URISyntaxException e) {
      return null;
    }
  }
}
