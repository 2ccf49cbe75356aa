package com.cabalmail.sink;

import com.cabalmail.http.Json;
import java.util.List;
import java.util.Map;

/**
 * An API Gateway REST API proxy event (payload format 1.0), for the handler tests: the text
 * body as it is, {@code headers} holding the last value of each header and
 * {@code multiValueHeaders} all of them, as API Gateway sends them.
 *
 * @param method the HTTP method
 * @param path the path
 * @param headers the last value of each header
 * @param multiValueHeaders every value of each header
 * @param body the body, as text
 */
record ApiGatewayV1Event(String method, String path, Map<String, String> headers,
    Map<String, List<String>> multiValueHeaders, String body) {

  /** The event's JSON. */
  byte[] bytes() {
    return Json.write(g -> {
      g.writeStartObject();
      g.writeStringField("resource", "/{proxy+}");
      g.writeStringField("path", path);
      g.writeStringField("httpMethod", method);
      g.writeObjectFieldStart("headers");
      for (Map.Entry<String, String> header : headers.entrySet()) {
        g.writeStringField(header.getKey(), header.getValue());
      }
      g.writeEndObject();
      g.writeObjectFieldStart("multiValueHeaders");
      for (Map.Entry<String, List<String>> header : multiValueHeaders.entrySet()) {
        g.writeArrayFieldStart(header.getKey());
        for (String value : header.getValue()) {
          g.writeString(value);
        }
        g.writeEndArray();
      }
      g.writeEndObject();
      g.writeObjectFieldStart("requestContext");
      g.writeStringField("requestId", "v1-request");
      g.writeEndObject();
      g.writeStringField("body", body);
      g.writeBooleanField("isBase64Encoded", false);
      g.writeEndObject();
    });
  }
}
