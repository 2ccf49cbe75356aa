package com.cabalmail.sink;

import com.cabalmail.http.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Lambda Function URL event (payload format 2.0) as the URL hands it to the function, for the
 * handler tests: every field a real one has (route key, query string, account, protocol, source
 * address, time), the headers in lower case as the URL sends them unless a test says otherwise,
 * the body as text or base64.
 *
 * @param method the HTTP method
 * @param path the raw path
 * @param headers the headers, in order
 * @param body the {@code body} field as it stands in the event (base64 text when
 *     {@code base64}), or null for none
 * @param base64 the {@code isBase64Encoded} field
 * @param requestId the request context's id
 * @param bodyBeforeHeaders whether {@code body} comes before the headers (JSON allows any order)
 */
record FunctionUrlEvent(String method, String path, Map<String, String> headers, String body,
    boolean base64, String requestId, boolean bodyBeforeHeaders) {

  FunctionUrlEvent {
    headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
  }

  /** A POST to {@code path}, no headers, no body. */
  static FunctionUrlEvent post(String path) {
    return new FunctionUrlEvent("POST", path, Map.of(), null, false, "test-request", false);
  }

  /** A GET of {@code path}, no headers, no body. */
  static FunctionUrlEvent get(String path) {
    return post(path).method("GET");
  }

  FunctionUrlEvent method(String method) {
    return new FunctionUrlEvent(method, path, headers, body, base64, requestId, bodyBeforeHeaders);
  }

  /** With the header {@code name} (as given: lower case is the URL's) added. */
  FunctionUrlEvent header(String name, String value) {
    Map<String, String> more = new LinkedHashMap<>(headers);
    more.put(name, value);
    return new FunctionUrlEvent(method, path, more, body, base64, requestId, bodyBeforeHeaders);
  }

  /** With {@code more} headers added, in their order. */
  FunctionUrlEvent headers(Map<String, String> more) {
    FunctionUrlEvent event = this;
    for (Map.Entry<String, String> header : more.entrySet()) {
      event = event.header(header.getKey(), header.getValue());
    }
    return event;
  }

  /** With the {@code x-alert-secret} header. */
  FunctionUrlEvent secret(String secret) {
    return header("x-alert-secret", secret);
  }

  /** With {@code body} as text ({@code isBase64Encoded: false}). */
  FunctionUrlEvent text(String body) {
    return new FunctionUrlEvent(method, path, headers, body, false, requestId, bodyBeforeHeaders);
  }

  /** With {@code body} as UTF-8 text ({@code isBase64Encoded: false}). */
  FunctionUrlEvent text(byte[] body) {
    return text(new String(body, StandardCharsets.UTF_8));
  }

  /** With {@code body} base64-encoded, as the URL sends a binary body. */
  FunctionUrlEvent base64(byte[] body) {
    return markedBase64(Base64.getEncoder().encodeToString(body));
  }

  /** With {@code body} as it is, marked base64 (whether or not it is). */
  FunctionUrlEvent markedBase64(String body) {
    return new FunctionUrlEvent(method, path, headers, body, true, requestId, bodyBeforeHeaders);
  }

  FunctionUrlEvent requestId(String requestId) {
    return new FunctionUrlEvent(method, path, headers, body, base64, requestId, bodyBeforeHeaders);
  }

  /** With the body written before the headers: a reader must skip it to reach them. */
  FunctionUrlEvent bodyFirst() {
    return new FunctionUrlEvent(method, path, headers, body, base64, requestId, true);
  }

  /** The event's JSON. */
  byte[] bytes() {
    return Json.write(g -> {
      g.writeStartObject();
      g.writeStringField("version", "2.0");
      g.writeStringField("routeKey", "$default");
      g.writeStringField("rawPath", path);
      g.writeStringField("rawQueryString", "");
      if (bodyBeforeHeaders && body != null) {
        g.writeStringField("body", body);
      }
      g.writeObjectFieldStart("headers");
      for (Map.Entry<String, String> header : headers.entrySet()) {
        g.writeStringField(header.getKey(), header.getValue());
      }
      g.writeEndObject();
      g.writeObjectFieldStart("requestContext");
      g.writeStringField("accountId", "anonymous");
      g.writeStringField("requestId", requestId);
      g.writeObjectFieldStart("http");
      g.writeStringField("method", method);
      g.writeStringField("path", path);
      g.writeStringField("protocol", "HTTP/1.1");
      g.writeStringField("sourceIp", "198.51.100.23");
      g.writeEndObject();
      g.writeNumberField("timeEpoch", 1787307330000L);
      g.writeEndObject();
      if (!bodyBeforeHeaders && body != null) {
        g.writeStringField("body", body);
      }
      g.writeBooleanField("isBase64Encoded", base64);
      g.writeEndObject();
    });
  }

  /** {@code handler}'s answer to this event, read back as {@link SinkHandlerEventsTest#invoke}. */
  Map<String, Object> sendTo(SinkHandler handler) throws IOException {
    return SinkHandlerEventsTest.invoke(handler, bytes());
  }
}
