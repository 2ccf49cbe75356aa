package com.cabalmail.sink;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One HTTP request as the sink sees it, whether it came in a Function URL event or over the
 * local server: header names compare case-insensitively, and every value of a repeated header
 * is kept.
 */
final class SinkRequest {

  private final String method;
  private final String path;
  private final Map<String, List<String>> headers;
  private final byte[] body;
  private final String requestId;
  private final String domain;

  /** A request whose headers have one value each. */
  SinkRequest(String method, String path, Map<String, String> headers, byte[] body,
      String requestId) {
    this(method, path, body, requestId, single(headers), null);
  }

  private SinkRequest(String method, String path, byte[] body, String requestId,
      Map<String, List<String>> headers, String domain) {
    this.domain = domain;
    this.method = Objects.requireNonNull(method, "method");
    this.path = Objects.requireNonNull(path, "path");
    // No lambdas: this is on the cold path (ColdPathLambdasIT).
    Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (Map.Entry<String, List<String>> header : headers.entrySet()) {
      List<String> values = copy.get(header.getKey());
      if (values == null) {
        values = new ArrayList<>();
        copy.put(header.getKey(), values);
      }
      values.addAll(header.getValue());
    }
    for (Map.Entry<String, List<String>> header : copy.entrySet()) {
      header.setValue(List.copyOf(header.getValue()));
    }
    this.headers = Collections.unmodifiableMap(copy);
    this.body = Objects.requireNonNull(body, "body");
    this.requestId = Objects.requireNonNull(requestId, "requestId");
  }

  /** A request whose headers may repeat: every value of each is kept, in order. */
  static SinkRequest withRepeatedHeaders(String method, String path,
      Map<String, List<String>> headers, byte[] body, String requestId) {
    return new SinkRequest(method, path, body, requestId, headers, null);
  }

  /**
   * As {@link #withRepeatedHeaders(String, String, Map, byte[], String)}, arrived through the
   * Function URL (or API) whose domain ({@code requestContext.domainName}) is {@code domain}.
   */
  static SinkRequest withRepeatedHeaders(String method, String path,
      Map<String, List<String>> headers, byte[] body, String requestId, String domain) {
    return new SinkRequest(method, path, body, requestId, headers, domain);
  }

  /** The domain the request was sent to, from a Function URL event; null elsewhere. */
  String domain() {
    return domain;
  }

  /** Each header as a one-value list; the constructor merges names that differ in case only. */
  private static Map<String, List<String>> single(Map<String, String> headers) {
    Map<String, List<String>> lists = new LinkedHashMap<>();
    for (Map.Entry<String, String> header : headers.entrySet()) {
      lists.put(header.getKey(), List.of(header.getValue()));
    }
    return lists;
  }

  String method() {
    return method;
  }

  String path() {
    return path;
  }

  /** The value of header {@code name}, repeated headers comma-joined as HTTP allows. */
  Optional<String> header(String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? Optional.empty()
        : Optional.of(String.join(",", values));
  }

  /** Every value of header {@code name}, in the order received; empty when absent. */
  List<String> headerValues(String name) {
    return headers.getOrDefault(name, List.of());
  }

  /** This request with another body and content type, the encoding removed (it is decoded). */
  SinkRequest withBody(byte[] decoded, String contentType) {
    Map<String, List<String>> changed = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    changed.putAll(headers);
    changed.remove("content-encoding");
    changed.remove("content-length");
    if (contentType == null) {
      changed.remove("content-type");
    } else {
      changed.put("content-type", List.of(contentType));
    }
    return new SinkRequest(method, path, decoded, requestId, changed, domain);
  }

  byte[] body() {
    return body;
  }

  String requestId() {
    return requestId;
  }
}
