package com.cabalmail.sink;

import com.cabalmail.http.Json;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Reads Lambda Function URL events (payload 2.0) and API Gateway REST events (payload 1.0)
 * into {@link SinkRequest}s (every value of a repeated 1.0 header kept, from
 * {@code multiValueHeaders}; 2.0 events arrive with repeated headers already comma-joined),
 * and writes {@link SinkResponse}s in the shape both expect
 * ({@code statusCode}, {@code headers}, {@code body}, {@code isBase64Encoded}).
 */
final class FunctionUrlEvents {

  /**
   * The shared factory with one limit raised: a string may be as long as a whole document, for
   * the event's {@code body}, which carries another whole document that is then read, under its
   * own limits, with {@link Json#factory()}.
   */
  static final JsonFactory ENVELOPE_FACTORY = Json.factory().rebuild()
      .streamReadConstraints(Json.factory().streamReadConstraints().rebuild()
          .maxStringLength((int) Json.MAX_DOCUMENT_LENGTH)
          .build())
      .build();

  private FunctionUrlEvents() {}

  /** An event that is not an HTTP event the sink understands; the message says why. */
  static final class BadEvent extends Exception {
    private static final long serialVersionUID = 1L;
    private final boolean tooLarge;

    BadEvent(String message, boolean tooLarge) {
      super(message);
      this.tooLarge = tooLarge;
    }

    boolean isTooLarge() {
      return tooLarge;
    }
  }

  /** Reads {@code event}. */
  static SinkRequest read(byte[] event) throws BadEvent {
    Fields f = parse(event, false);
    byte[] body;
    if (f.body == null) {
      body = new byte[0];
    } else if (f.base64) {
      try {
        body = Base64.getDecoder().decode(f.body);
      } catch (IllegalArgumentException e) {
        throw new BadEvent("the body is marked base64 but is not: " + e.getMessage(), false);
      }
    } else {
      body = f.body.getBytes(StandardCharsets.UTF_8);
    }
    return SinkRequest.withRepeatedHeaders(f.method(), f.path(), headers(f), body, f.requestId,
        f.domain);
  }

  /**
   * What the sink needs to turn away a caller without the secret, and nothing more: method,
   * path, request id and the authentication headers ({@code x-alert-secret},
   * {@code authorization}, Grafana's signature header), read by streaming. Every other value, the body first of all, is
   * skipped by the parser without being copied, decoded or turned into a {@link String}; the
   * request has an empty body. {@link #read} reads the whole event once the secret is accepted.
   */
  static SinkRequest preview(byte[] event) throws BadEvent {
    Fields f = parse(event, true);
    return SinkRequest.withRepeatedHeaders(f.method(), f.path(), headers(f), new byte[0],
        f.requestId, f.domain);
  }

  /**
   * The one reading of an event. With {@code authOnly}, only the authentication headers are
   * kept and the body is skipped unread (a string is skipped by the next {@code nextToken()}).
   */
  private static Fields parse(byte[] event, boolean authOnly) throws BadEvent {
    // No lambdas: this is on the cold path (ColdPathLambdasIT).
    Fields f = new Fields();
    try (JsonParser p = ENVELOPE_FACTORY.createParser(event)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new BadEvent("the event is not a JSON object", false);
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        switch (name) {
          case "rawPath":
            f.rawPath = text(p, value);
            break;
          case "path":
            f.v1Path = text(p, value);
            break;
          case "httpMethod":
            f.v1Method = text(p, value);
            break;
          case "headers":
            readHeaders(p, value, f.headers, authOnly);
            break;
          case "multiValueHeaders":
            readMultiValueHeaders(p, value, f.multiHeaders, authOnly);
            break;
          case "requestContext":
            readContext(p, value, f);
            break;
          case "body":
            if (authOnly) {
              p.skipChildren();
            } else {
              f.body = text(p, value);
            }
            break;
          case "isBase64Encoded":
            f.base64 = value == JsonToken.VALUE_TRUE;
            break;
          default:
            p.skipChildren();
        }
      }
    } catch (StreamConstraintsException e) {
      throw new BadEvent("the request is over a size limit: " + e.getOriginalMessage(), true);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      throw new BadEvent("the event is not valid JSON: " + e.getOriginalMessage()
          + (at == null ? "" : " at byte " + at.getByteOffset()), false);
    } catch (IOException e) {
      throw new BadEvent("the event could not be read: " + e.getMessage(), false);
    }
    if (f.method() == null || f.path() == null) {
      throw new BadEvent("the event is not a Function URL or API Gateway HTTP event"
          + " (no method or path)", false);
    }
    if (f.requestId == null) {
      f.requestId = UUID.randomUUID().toString();
    }
    return f;
  }

  /**
   * API Gateway 1.0 sends both maps: "headers" holds only the last value of a repeated header,
   * "multiValueHeaders" every value; the second wins wherever it names the header.
   */
  private static Map<String, List<String>> headers(Fields f) {
    Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.putAll(f.multiHeaders);
    for (Map.Entry<String, String> header : f.headers.entrySet()) {
      headers.putIfAbsent(header.getKey(), List.of(header.getValue()));
    }
    return headers;
  }

  private static boolean isAuthHeader(String name) {
    return name.equalsIgnoreCase("x-alert-secret") || name.equalsIgnoreCase("authorization")
        || name.equalsIgnoreCase(GrafanaSignature.HEADER);
  }

  /** The response in the Function URL / API Gateway shape. */
  static byte[] write(SinkResponse response) {
    Json.Buffer out = Json.buffer(); // no callback: every response is written here
    try {
      JsonGenerator g = out.generator();
      g.writeStartObject();
      g.writeNumberField("statusCode", response.status());
      g.writeObjectFieldStart("headers");
      for (Map.Entry<String, String> h : response.headers().entrySet()) {
        g.writeStringField(h.getKey(), h.getValue());
      }
      g.writeEndObject();
      g.writeStringField("body", new String(response.body(), StandardCharsets.UTF_8));
      g.writeBooleanField("isBase64Encoded", false);
      g.writeEndObject();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("writing JSON to memory failed", e);
    }
    return out.bytes();
  }

  private static final class Fields {
    String rawPath;
    String v1Path;
    String v1Method;
    String method;
    String requestId;
    String domain;
    String body;
    boolean base64;
    final Map<String, String> headers = new LinkedHashMap<>();
    final Map<String, List<String>> multiHeaders = new LinkedHashMap<>();

    String method() {
      return method != null ? method : v1Method;
    }

    String path() {
      return rawPath != null ? rawPath : v1Path;
    }
  }

  private static String text(JsonParser p, JsonToken value) throws IOException {
    if (value == JsonToken.VALUE_NULL) {
      return null;
    }
    if (value.isStructStart()) {
      p.skipChildren();
      return null;
    }
    return p.getText();
  }

  private static void readHeaders(JsonParser p, JsonToken value, Map<String, String> into,
      boolean authOnly) throws IOException {
    if (value != JsonToken.START_OBJECT) {
      p.skipChildren();
      return;
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken token = p.nextToken();
      if (authOnly && !isAuthHeader(name)) {
        p.skipChildren();
        continue;
      }
      String text = text(p, token);
      if (text != null) {
        into.put(name, text);
      }
    }
  }

  private static void readMultiValueHeaders(JsonParser p, JsonToken value,
      Map<String, List<String>> into, boolean authOnly) throws IOException {
    if (value != JsonToken.START_OBJECT) {
      p.skipChildren();
      return;
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      if (p.nextToken() != JsonToken.START_ARRAY || authOnly && !isAuthHeader(name)) {
        p.skipChildren();
        continue;
      }
      List<String> values = new ArrayList<>();
      JsonToken t;
      while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
        String text = text(p, t);
        if (text != null) {
          values.add(text);
        }
      }
      if (!values.isEmpty()) {
        into.put(name, values);
      }
    }
  }

  private static void readContext(JsonParser p, JsonToken value, Fields f) throws IOException {
    if (value != JsonToken.START_OBJECT) {
      p.skipChildren();
      return;
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken t = p.nextToken();
      if (name.equals("requestId")) {
        f.requestId = text(p, t);
      } else if (name.equals("domainName")) {
        f.domain = text(p, t);
      } else if (name.equals("httpMethod") && f.v1Method == null) {
        f.v1Method = text(p, t);
      } else if (name.equals("http") && t == JsonToken.START_OBJECT) {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String field = p.currentName();
          JsonToken v = p.nextToken();
          if (field.equals("method")) {
            f.method = text(p, v);
          } else {
            p.skipChildren();
          }
        }
      } else {
        p.skipChildren();
      }
    }
  }
}
