package com.cabalmail.alert.ntfy;

import com.cabalmail.http.Json;
import com.cabalmail.http.Redaction;
import com.cabalmail.http.Text;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Optional;

/**
 * What ntfy's JSON answer says: the stored message's {@code id} on success, or the error's
 * {@code code} and {@code error} text ({@code {"code":40101,"http":401,"error":"unauthorized"}}).
 * Read by streaming; unknown fields are skipped.
 *
 * @param id the message id, on success
 * @param code ntfy's five-digit error code, 0 when absent
 * @param error ntfy's error text, empty when absent
 */
record NtfyAnswer(Optional<String> id, int code, String error) {

  /** Longest error text kept, in UTF-8 bytes. */
  static final int MAX_ERROR_BYTES = 300;
  /** Longest message id kept (ntfy's are 12 characters). */
  static final int MAX_ID_LENGTH = 64;

  /** The answer in {@code body}, or empty when the body is not a JSON object. */
  static Optional<NtfyAnswer> parse(byte[] body) {
    return parse(body, Redaction.none());
  }

  /** As {@link #parse(byte[])}, every text scrubbed by {@code redaction} before it is cut. */
  static Optional<NtfyAnswer> parse(byte[] body, Redaction redaction) {
    try (JsonParser parser = Json.factory().createParser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return Optional.empty();
      }
      String id = null;
      int code = 0;
      String error = "";
      JsonToken token;
      while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        if (field.equals("id") && value == JsonToken.VALUE_STRING) {
          id = Text.excerpt(parser.getText(), MAX_ID_LENGTH, redaction);
        } else if (field.equals("code") && value == JsonToken.VALUE_NUMBER_INT) {
          code = parser.getIntValue();
        } else if (field.equals("error") && value == JsonToken.VALUE_STRING) {
          error = Text.excerptUtf8(parser.getText().strip(), MAX_ERROR_BYTES, redaction);
        } else {
          parser.skipChildren();
        }
      }
      if (token != JsonToken.END_OBJECT) {
        return Optional.empty();
      }
      return Optional.of(new NtfyAnswer(
          id == null || id.isBlank() ? Optional.empty() : Optional.of(id), code, error));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** {@code "unauthorized (40101)"}, or what there is of it. */
  String describe() {
    if (error.isEmpty()) {
      return code == 0 ? "no error text" : "code " + code;
    }
    return code == 0 ? error : error + " (" + code + ")";
  }
}
