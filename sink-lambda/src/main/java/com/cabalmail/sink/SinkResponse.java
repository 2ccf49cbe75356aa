package com.cabalmail.sink;

import com.cabalmail.http.Json;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the sink answers: a status, a few headers and a (possibly empty) JSON body. */
final class SinkResponse {

  static final String JSON = "application/json";

  private final int status;
  private final Map<String, String> headers;
  private final byte[] body;

  private SinkResponse(int status, Map<String, String> headers, byte[] body) {
    this.status = status;
    this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    this.body = body;
  }

  /** 204: nothing to say. */
  static SinkResponse noContent(String requestId) {
    return new SinkResponse(204, Map.of("x-request-id", requestId), new byte[0]);
  }

  /** A JSON body. */
  static SinkResponse json(int status, String requestId, byte[] body) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("content-type", JSON);
    headers.put("x-request-id", requestId);
    return new SinkResponse(status, headers, body);
  }

  /** {@code {"error": message, "requestId": id}}. */
  static SinkResponse error(int status, String requestId, String message) {
    return json(status, requestId, Json.write(g -> {
      g.writeStartObject();
      g.writeStringField("error", message);
      g.writeStringField("requestId", requestId);
      g.writeEndObject();
    }));
  }

  /** This response with one more header. */
  SinkResponse withHeader(String name, String value) {
    Map<String, String> more = new LinkedHashMap<>(headers);
    more.put(name, value);
    return new SinkResponse(status, more, body);
  }

  int status() {
    return status;
  }

  Map<String, String> headers() {
    return headers;
  }

  byte[] body() {
    return body;
  }
}
