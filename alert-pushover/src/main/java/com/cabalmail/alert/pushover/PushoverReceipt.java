package com.cabalmail.alert.pushover;

import com.cabalmail.http.Json;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Optional;

/**
 * Pushover's answer to {@code GET /1/receipts/{receipt}.json}: integers {@code status},
 * {@code acknowledged} (0 or 1), {@code acknowledged_at} (Unix seconds), the strings
 * {@code acknowledged_by} (a user key) and {@code acknowledged_by_device}, among others this
 * transport does not need.
 *
 * @param status 1 when Pushover knew the receipt
 * @param acknowledged whether the emergency was acknowledged
 * @param acknowledgedAt when, in Unix seconds (0 when not)
 * @param acknowledgedBy the user key of who acknowledged it ("" when not)
 * @param device the device it was acknowledged on ("" when not)
 */
record PushoverReceipt(int status, boolean acknowledged, long acknowledgedAt,
    String acknowledgedBy, String device) {

  /** Reads {@code body}; empty when it is not a JSON object with a numeric {@code status}. */
  static Optional<PushoverReceipt> parse(byte[] body) {
    Integer status = null;
    boolean acknowledged = false;
    long at = 0;
    String by = "";
    String device = "";
    try (JsonParser parser = Json.factory().createParser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return Optional.empty();
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        boolean number = value == JsonToken.VALUE_NUMBER_INT;
        boolean text = value == JsonToken.VALUE_STRING;
        if (name.equals("status") && number) {
          status = parser.getIntValue();
        } else if (name.equals("acknowledged") && number) {
          acknowledged = parser.getIntValue() == 1;
        } else if (name.equals("acknowledged_at") && number) {
          at = parser.getLongValue();
        } else if (name.equals("acknowledged_by") && text) {
          by = parser.getText();
        } else if (name.equals("acknowledged_by_device") && text) {
          device = parser.getText();
        } else {
          parser.skipChildren();
        }
      }
    } catch (IOException | RuntimeException notJson) {
      return Optional.empty();
    }
    return status == null ? Optional.empty()
        : Optional.of(new PushoverReceipt(status, acknowledged, at, by, device));
  }
}
