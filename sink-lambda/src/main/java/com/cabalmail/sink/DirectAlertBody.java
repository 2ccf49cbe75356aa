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
    return Json.write(g -> {
      g.writeStartObject();
      g.writeStringField("severity", severity);
      g.writeStringField("source", source);
      g.writeStringField("summary", summary);
      g.writeEndObject();
    });
  }
}
