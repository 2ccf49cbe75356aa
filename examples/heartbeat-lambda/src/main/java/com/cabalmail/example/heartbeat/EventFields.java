package com.cabalmail.example.heartbeat;

import com.cabalmail.http.Json;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Picks the scalar fields named by dotted paths ({@code detail.state}) out of an event, in one
 * streaming pass; everything else, arrays included, is skipped unread.
 */
final class EventFields {

  private EventFields() {}

  /** The values at {@code paths} that are present and scalar, as text. */
  static Map<String, String> read(InputStream event, Set<String> paths) throws IOException {
    Map<String, String> found = new HashMap<>();
    try (JsonParser json = Json.factory().createParser(event)) {
      if (json.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("the event is not a JSON object");
      }
      readObject(json, "", paths, found);
    }
    return found;
  }

  private static void readObject(JsonParser json, String prefix, Set<String> paths,
      Map<String, String> found) throws IOException {
    while (json.nextToken() == JsonToken.FIELD_NAME) {
      String path = prefix + json.currentName();
      JsonToken token = json.nextToken();
      if (token == JsonToken.START_OBJECT) {
        readObject(json, path + ".", paths, found);
      } else if (token == JsonToken.START_ARRAY) {
        json.skipChildren();
      } else if (token.isScalarValue() && token != JsonToken.VALUE_NULL && paths.contains(path)) {
        found.put(path, json.getText());
      }
    }
  }
}
