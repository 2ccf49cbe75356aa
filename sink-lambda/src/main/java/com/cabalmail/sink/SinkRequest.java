package com.cabalmail.sink;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One HTTP request as the sink sees it, whether it came in a Function URL event or over the
 * local server: header names compare case-insensitively.
 */
final class SinkRequest {

  private final String method;
  private final String path;
  private final Map<String, String> headers;
  private final byte[] body;
  private final String requestId;

  SinkRequest(String method, String path, Map<String, String> headers, byte[] body,
      String requestId) {
    this.method = Objects.requireNonNull(method, "method");
    this.path = Objects.requireNonNull(path, "path");
    Map<String, String> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.forEach((name, value) -> copy.merge(name, value, (a, b) -> a + "," + b));
    this.headers = Collections.unmodifiableMap(copy);
    this.body = Objects.requireNonNull(body, "body");
    this.requestId = Objects.requireNonNull(requestId, "requestId");
  }

  String method() {
    return method;
  }

  String path() {
    return path;
  }

  /** The value of header {@code name}, repeated headers comma-joined as HTTP allows. */
  Optional<String> header(String name) {
    return Optional.ofNullable(headers.get(name));
  }

  byte[] body() {
    return body;
  }

  String requestId() {
    return requestId;
  }
}
