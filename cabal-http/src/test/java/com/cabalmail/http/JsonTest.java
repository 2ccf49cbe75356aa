package com.cabalmail.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  void charactersBeyondTheBasicPlaneAreWrittenAsRawUtf8() {
    byte[] written = Json.write(json -> {
      json.writeStartObject();
      json.writeStringField("t", "🚨 東京 שלום");
      json.writeEndObject();
    });

    assertArrayEquals("{\"t\":\"🚨 東京 שלום\"}".getBytes(StandardCharsets.UTF_8), written);
  }

  @Test
  void duplicateKeysAreRefused() {
    StreamReadException e = assertThrows(StreamReadException.class, () -> {
      try (JsonParser parser = Json.factory().createParser("{\"a\":1,\"a\":2}")) {
        while (parser.nextToken() != null) {
          // read through
        }
      }
    });
    assertTrue(e.getMessage().contains("Duplicate field 'a'"), e.getMessage());
  }

  @Test
  void nestingDeeperThanTheLimitIsRefused() {
    String deep = "[".repeat(Json.MAX_NESTING_DEPTH + 1) + "]".repeat(Json.MAX_NESTING_DEPTH + 1);
    assertThrows(StreamConstraintsException.class, () -> {
      try (JsonParser parser = Json.factory().createParser(deep)) {
        while (parser.nextToken() != null) {
          // read through
        }
      }
    });
  }
}
