package com.cabalmail.sink;

import com.cabalmail.http.Json;

/**
 * The smallest body of the direct shape, {@code {"severity":..,"source":..,"summary":..}}: what
 * the local server offers to {@code curl}, and what the warm-up decodes.
 */
final class DirectAlertBody {

  private DirectAlertBody() {}

  /** The body, streamed as JSON (so any text is escaped as JSON wants). */
  static byte[] of(String severity, String source, String summary) {
    Json.Buffer out = Json.buffer(); // no callback: the managed form's warm-up writes one
    try {
      out.generator().writeStartObject();
      out.generator().writeStringField("severity", severity);
      out.generator().writeStringField("source", source);
      out.generator().writeStringField("summary", summary);
      out.generator().writeEndObject();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("writing JSON to memory failed", e);
    }
    return out.bytes();
  }
}
