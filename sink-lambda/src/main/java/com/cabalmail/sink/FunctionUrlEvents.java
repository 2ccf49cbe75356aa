package com.cabalmail.sink;

import com.cabalmail.http.Json;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Reads Lambda Function URL events (payload 2.0) and API Gateway REST events (payload 1.0)
 * into {@link SinkRequest}s, and writes {@link SinkResponse}s in the shape both expect
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
            readHeaders(p, value, f.headers);
            break;
          case "multiValueHeaders":
            readMultiValueHeaders(p, value, f.multiHeaders);
            break;
          case "requestContext":
            readContext(p, value, f);
            break;
          case "body":
            f.body = text(p, value);
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
    String method = f.method != null ? f.method : f.v1Method;
    String path = f.rawPath != null ? f.rawPath : f.v1Path;
    if (method == null || path == null) {
      throw new BadEvent("the event is not a Function URL or API Gateway HTTP event"
          + " (no method or path)", false);
    }
    Map<String, String> headers = new LinkedHashMap<>(f.multiHeaders);
    headers.putAll(f.headers);
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
    String id = f.requestId != null ? f.requestId : UUID.randomUUID().toString();
    return new SinkRequest(method, path, headers, body, id);
  }

  /** The response in the Function URL / API Gateway shape. */
  static byte[] write(SinkResponse response) {
    return Json.write(g -> {
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
    });
  }

  private static final class Fields {
    String rawPath;
    String v1Path;
    String v1Method;
    String method;
    String requestId;
    String body;
    boolean base64;
    final Map<String, String> headers = new LinkedHashMap<>();
    final Map<String, String> multiHeaders = new LinkedHashMap<>();
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

  private static void readHeaders(JsonParser p, JsonToken value, Map<String, String> into)
      throws IOException {
    if (value != JsonToken.START_OBJECT) {
      p.skipChildren();
      return;
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      String text = text(p, p.nextToken());
      if (text != null) {
        into.put(name, text);
      }
    }
  }

  private static void readMultiValueHeaders(JsonParser p, JsonToken value,
      Map<String, String> into) throws IOException {
    if (value != JsonToken.START_OBJECT) {
      p.skipChildren();
      return;
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      if (p.nextToken() != JsonToken.START_ARRAY) {
        p.skipChildren();
        continue;
      }
      StringBuilder joined = new StringBuilder();
      JsonToken t;
      while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
        String text = text(p, t);
        if (text != null) {
          joined.append(joined.length() == 0 ? "" : ",").append(text);
        }
      }
      into.put(name, joined.toString());
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
