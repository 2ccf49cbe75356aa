package com.cabalmail.alert.pushover;

import com.cabalmail.http.Json;
import com.cabalmail.http.Redaction;
import com.cabalmail.http.Text;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Pushover's JSON answer: {@code {"status":1,"request":"…"}}, plus {@code "receipt"} for an
 * emergency, or on failure {@code {"user":"invalid","errors":["…"],"status":0,"request":"…"}},
 * where a key whose value is {@code "invalid"} names the bad parameter.
 *
 * @param status 1 when the request was accepted
 * @param request Pushover's id for the request
 * @param receipt the emergency receipt, if one was issued
 * @param errors Pushover's own error texts
 * @param invalid the parameters Pushover flagged as invalid
 */
record PushoverAnswer(
    int status,
    Optional<String> request,
    Optional<String> receipt,
    List<String> errors,
    List<String> invalid) {

  /** Most error texts kept, and most code points of each. */
  private static final int MAX_ERRORS = 5;
  private static final int MAX_ERROR_LENGTH = 200;

  PushoverAnswer {
    errors = List.copyOf(errors);
    invalid = List.copyOf(invalid);
  }

  /** Whether Pushover accepted the request. */
  boolean accepted() {
    return status == 1;
  }

  /**
   * Reads {@code body}; empty when it is not a JSON object with a numeric {@code status}, i.e.
   * not Pushover's answer (a proxy's page, a truncated body).
   */
  static Optional<PushoverAnswer> parse(byte[] body) {
    return parse(body, Redaction.none());
  }

  /**
   * Reads {@code body} as {@link #parse(byte[])} does, every text scrubbed by {@code redaction}
   * before it is cut, so that no piece of a secret a middlebox echoed survives.
   */
  static Optional<PushoverAnswer> parse(byte[] body, Redaction redaction) {
    Integer status = null;
    String request = null;
    String receipt = null;
    List<String> errors = new ArrayList<>();
    List<String> invalid = new ArrayList<>();
    try (JsonParser parser = Json.factory().createParser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return Optional.empty();
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        switch (name) {
          case "status":
            if (value != JsonToken.VALUE_NUMBER_INT) {
              return Optional.empty();
            }
            status = parser.getIntValue();
            break;
          case "request":
            request = value == JsonToken.VALUE_STRING ? redaction.scrub(parser.getText()) : request;
            break;
          case "receipt":
            receipt = value == JsonToken.VALUE_STRING ? redaction.scrub(parser.getText()) : receipt;
            break;
          case "errors":
            readErrors(parser, value, errors, redaction);
            break;
          default:
            if (value == JsonToken.VALUE_STRING && "invalid".equals(parser.getText())) {
              invalid.add(Text.excerpt(name, 64, redaction));
            }
            parser.skipChildren();
        }
      }
      if (parser.currentToken() != JsonToken.END_OBJECT || status == null) {
        return Optional.empty();
      }
    } catch (IOException | RuntimeException notJson) {
      return Optional.empty();
    }
    return Optional.of(new PushoverAnswer(status, Optional.ofNullable(request),
        Optional.ofNullable(receipt), errors, invalid));
  }

  private static void readErrors(JsonParser parser, JsonToken value, List<String> errors,
      Redaction redaction) throws IOException {
    if (value == JsonToken.VALUE_STRING) {
      addError(errors, parser.getText(), redaction);
    } else if (value == JsonToken.START_ARRAY) {
      while (parser.nextToken() != JsonToken.END_ARRAY) {
        if (parser.currentToken() == JsonToken.VALUE_STRING) {
          addError(errors, parser.getText(), redaction);
        } else {
          parser.skipChildren();
        }
      }
    } else {
      parser.skipChildren();
    }
  }

  private static void addError(List<String> errors, String text, Redaction redaction) {
    if (errors.size() < MAX_ERRORS && !text.isBlank()) {
      errors.add(Text.excerpt(text.strip(), MAX_ERROR_LENGTH, redaction));
    }
  }

  /** Pushover's reasons in one phrase: its error texts, then the parameters it flagged. */
  String reasons() {
    StringBuilder out = new StringBuilder();
    out.append(errors.isEmpty() ? "no error text given" : String.join("; ", errors));
    if (!invalid.isEmpty()) {
      out.append(" (invalid: ").append(String.join(", ", invalid)).append(')');
    }
    request.ifPresent(id -> out.append(" [request ").append(Text.singleLine(id)).append(']'));
    return out.toString();
  }
}
