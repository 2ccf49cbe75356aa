package com.cabalmail.alert.decode;

import com.cabalmail.http.Text;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The streaming parser of one body and the typed reading of its values, shared by the
 * format readers: each value is type-checked as it is read, and every error names the JSON
 * pointer of the offending value.
 */
final class JsonCursor {

  private static final int MAX_POINTER_LENGTH = 200;

  private final JsonParser parser;
  private JsonToken last;

  JsonCursor(JsonParser parser) {
    this.parser = parser;
  }

  /** The next token, which becomes the current one. */
  JsonToken next() throws IOException {
    last = parser.nextToken();
    return last;
  }

  /** The current token: a syntax error right after a string hints at an unescaped quote. */
  JsonToken last() {
    return last;
  }

  /** The name of the current field. */
  String name() throws IOException {
    return parser.currentName();
  }

  /** Skips the current value, children and all. */
  void skip() throws IOException {
    parser.skipChildren();
  }

  /** The byte offset of the current token in the parser's input. */
  long tokenOffset() {
    return parser.currentTokenLocation().getByteOffset();
  }

  boolean isNull() {
    return last == JsonToken.VALUE_NULL;
  }

  String string() throws IOException, DecodeException {
    if (last != JsonToken.VALUE_STRING) {
      throw typeError("a string");
    }
    return parser.getText();
  }

  String nullableString() throws IOException, DecodeException {
    return isNull() ? null : string();
  }

  int integer(int min, int max) throws IOException, DecodeException {
    return integer(min, max, "must be a whole number from " + min + " to " + max);
  }

  int integer(int min, int max, String outOfRange) throws IOException, DecodeException {
    if (last != JsonToken.VALUE_NUMBER_INT) {
      throw typeError("a whole number");
    }
    if (parser.getNumberType() == JsonParser.NumberType.INT) {
      int value = parser.getIntValue();
      if (value >= min && value <= max) {
        return value;
      }
    }
    throw new DecodeException(pointer() + " " + Text.quote(parser.getText()) + " "
        + outOfRange);
  }

  /** A whole number of any size, as its decimal text, or null for JSON null. */
  String nullableWholeNumber() throws IOException, DecodeException {
    if (isNull()) {
      return null;
    }
    if (last != JsonToken.VALUE_NUMBER_INT) {
      throw typeError("a whole number or null");
    }
    return parser.getText();
  }

  /** An RFC 3339 time; Go's zero time (Alertmanager's "not set") is null. */
  Instant rfc3339(Instant zero) throws IOException, DecodeException {
    String text = string();
    Instant instant = Rfc3339.parse(text, true);
    if (instant == null) {
      throw new DecodeException(pointer() + " " + Text.quote(text)
          + " is not an RFC 3339 time such as 2026-08-21T09:12:30.512Z");
    }
    return instant.equals(zero) ? null : instant;
  }

  /**
   * An object of strings, in body order, as a mutable map the caller owns.
   *
   * @param labels whether names and values are single-line labels, cleaned as they are read
   */
  Map<String, String> stringMap(boolean labels) throws IOException, DecodeException {
    expect(JsonToken.START_OBJECT, "an object of strings");
    Map<String, String> map = new LinkedHashMap<>();
    while (next() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      next();
      String value = string();
      if (labels) {
        map.put(Text.singleLine(name), Text.singleLine(value));
      } else {
        map.put(name, value);
      }
    }
    return map;
  }

  void expect(JsonToken token, String what) throws DecodeException {
    if (last != token) {
      throw typeError(what);
    }
  }

  DecodeException typeError(String expected) {
    return new DecodeException(pointer() + " must be " + expected + ", got " + describe(last));
  }

  /** The JSON pointer of the current value (of the container, at its start token). */
  String pointer() {
    return pointerOf(parser);
  }

  static String pointerOf(JsonParser parser) {
    String pointer = parser.getParsingContext().pathAsPointer().toString();
    if (pointer.isEmpty()) {
      return "the body";
    }
    return Text.truncate(Text.singleLine(pointer), MAX_POINTER_LENGTH + 1);
  }

  static String describe(JsonToken token) {
    if (token == null) {
      return "nothing";
    }
    switch (token) {
      case START_OBJECT:
        return "an object";
      case START_ARRAY:
        return "an array";
      case VALUE_STRING:
        return "a string";
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        return "a number";
      case VALUE_TRUE:
      case VALUE_FALSE:
        return "a boolean";
      case VALUE_NULL:
        return "null";
      default:
        return token.asString() == null ? token.name() : "'" + token.asString() + "'";
    }
  }
}
