package com.cabalmail.http;

import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The final answer of an {@link HttpDelivery#send}: the last response received, after whatever
 * retries the policy allowed.
 *
 * @param statusCode the HTTP status of the last response
 * @param headers its headers
 * @param body its body, at most the delivery's response cap
 * @param bodyTruncated whether the body was longer than the cap
 * @param attempts how many attempts were made, the first included
 */
public record Exchange(
    int statusCode, HttpHeaders headers, byte[] body, boolean bodyTruncated, int attempts) {

  /** Whether the status is 2xx. */
  public boolean isSuccess() {
    return statusCode >= 200 && statusCode < 300;
  }

  /** The body as UTF-8 text (malformed bytes replaced). */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** The first value of {@code name}, if any. */
  public Optional<String> header(String name) {
    return headers.firstValue(name);
  }
}
