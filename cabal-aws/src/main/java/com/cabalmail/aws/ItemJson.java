package com.cabalmail.aws;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** DynamoDB items as JSON: each value an object with one key naming its type. */
final class ItemJson {

  private ItemJson() {}

  /** Writes {@code item} as a JSON object of typed values. */
  static void writeItem(JsonGenerator json, Map<String, AttributeValue> item) throws IOException {
    json.writeStartObject();
    for (Map.Entry<String, AttributeValue> entry : item.entrySet()) {
      json.writeFieldName(entry.getKey());
      write(json, entry.getValue());
    }
    json.writeEndObject();
  }

  private static void write(JsonGenerator json, AttributeValue value) throws IOException {
    json.writeStartObject();
    if (value instanceof AttributeValue.S s) {
      json.writeStringField("S", s.value());
    } else if (value instanceof AttributeValue.N n) {
      json.writeStringField("N", n.value());
    } else if (value instanceof AttributeValue.Bool b) {
      json.writeBooleanField("BOOL", b.value());
    } else if (value instanceof AttributeValue.M m) {
      json.writeFieldName("M");
      writeItem(json, m.value());
    } else {
      json.writeBooleanField("NULL", true);
    }
    json.writeEndObject();
  }

  /** Reads a JSON object of typed values, the parser on its {@code START_OBJECT}. */
  static Map<String, AttributeValue> readItem(JsonParser json) throws IOException {
    if (json.currentToken() != JsonToken.START_OBJECT) {
      throw new IOException("an item is not a JSON object at "
          + json.currentLocation().offsetDescription());
    }
    Map<String, AttributeValue> item = new LinkedHashMap<>();
    while (json.nextToken() == JsonToken.FIELD_NAME) {
      String name = json.currentName();
      json.nextToken();
      item.put(name, read(json, name));
    }
    return item;
  }

  private static AttributeValue read(JsonParser json, String name) throws IOException {
    if (json.currentToken() != JsonToken.START_OBJECT || json.nextToken() != JsonToken.FIELD_NAME) {
      throw new IOException("attribute '" + name + "' is not a typed value at "
          + json.currentLocation().offsetDescription());
    }
    String type = json.currentName();
    JsonToken token = json.nextToken();
    AttributeValue value;
    if ("S".equals(type) && token == JsonToken.VALUE_STRING) {
      value = new AttributeValue.S(json.getText());
    } else if ("N".equals(type) && token == JsonToken.VALUE_STRING) {
      try {
        value = new AttributeValue.N(json.getText());
      } catch (NumberFormatException e) {
        throw new IOException("attribute '" + name + "' is not a number at "
            + json.currentLocation().offsetDescription());
      }
    } else if ("BOOL".equals(type) && token.isBoolean()) {
      value = new AttributeValue.Bool(json.getBooleanValue());
    } else if ("M".equals(type) && token == JsonToken.START_OBJECT) {
      value = new AttributeValue.M(readItem(json));
    } else if ("NULL".equals(type)) {
      value = new AttributeValue.Null();
    } else {
      throw new IOException("attribute '" + name + "' has type " + type
          + ", which this client does not read (S, N, BOOL, M, NULL)");
    }
    if (json.nextToken() != JsonToken.END_OBJECT) {
      throw new IOException("attribute '" + name + "' has more than one type at "
          + json.currentLocation().offsetDescription());
    }
    return value;
  }
}
