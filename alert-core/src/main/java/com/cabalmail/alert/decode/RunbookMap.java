package com.cabalmail.alert.decode;

import com.cabalmail.http.Json;
import com.cabalmail.http.Text;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runbook links by alert source, for alerts that carry none. A source matches its own key
 * first, then the keys of its parents, cutting at each {@code /} from the right: the source
 * {@code alertmanager/PostfixQueueBacklog/mail-1:9154} matches
 * {@code alertmanager/PostfixQueueBacklog}, then {@code alertmanager}.
 */
final class RunbookMap {

  static final RunbookMap EMPTY = new RunbookMap(Map.of());

  private final Map<String, URI> bySource;

  private RunbookMap(Map<String, URI> bySource) {
    this.bySource = Map.copyOf(bySource);
  }

  static RunbookMap of(Map<String, URI> bySource) {
    return bySource.isEmpty() ? EMPTY : new RunbookMap(bySource);
  }

  boolean isEmpty() {
    return bySource.isEmpty();
  }

  Optional<URI> find(String source) {
    String key = source;
    while (true) {
      URI uri = bySource.get(key);
      if (uri != null) {
        return Optional.of(uri);
      }
      int cut = key.lastIndexOf('/');
      if (cut <= 0) {
        return Optional.empty();
      }
      key = key.substring(0, cut);
    }
  }

  /**
   * Reads {@code {"<source>": "<http(s) URL>", ...}} into {@code into}, reporting each problem
   * (prefixed with {@code what}, the setting's name) to {@code problems}.
   */
  static void parse(String what, byte[] json, Map<String, URI> into, List<String> problems) {
    try (JsonParser parser = Json.factory().createParser(json)) {
      JsonToken token = parser.nextToken();
      if (token != JsonToken.START_OBJECT) {
        problems.add(what + " must be a JSON object of alert source to runbook URL, got "
            + JsonCursor.describe(token));
        return;
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String source = parser.currentName();
        JsonToken value = parser.nextToken();
        if (value != JsonToken.VALUE_STRING) {
          problems.add(what + ": the runbook of " + Text.quote(source)
              + " must be a string (an absolute http(s) URL), got " + JsonCursor.describe(value));
          parser.skipChildren();
          continue;
        }
        String text = parser.getText();
        URI uri = BodyReader.httpUrl(text);
        if (uri == null) {
          problems.add(what + ": the runbook of " + Text.quote(source) + " is "
              + Text.quote(text) + ", not an absolute http(s) URL");
        } else {
          into.put(source, uri);
        }
      }
      if (parser.nextToken() != null) {
        problems.add(what + " has content after its JSON object");
      }
    } catch (JsonProcessingException e) {
      problems.add(what + " is not valid JSON at byte "
          + e.getLocation().getByteOffset() + ": " + Text.singleLine(e.getOriginalMessage()));
    } catch (IOException e) {
      problems.add(what + " cannot be read: " + e);
    }
  }
}
