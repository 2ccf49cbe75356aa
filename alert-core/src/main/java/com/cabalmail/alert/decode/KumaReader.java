package com.cabalmail.alert.decode;

import com.cabalmail.http.Text;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.time.Instant;

/**
 * The fields of Uptime Kuma's default webhook body: {@code heartbeat}, {@code monitor} and
 * {@code msg}. Its identity rule: a heartbeat is its monitor, {@code kuma:<monitor id>} (Kuma
 * sends the id as a number), or {@code kuma:<monitor name>} when the monitor has no id; down and
 * up of one monitor are the same alert.
 */
final class KumaReader {

  /** Kuma's {@code heartbeat}. */
  record Heartbeat(int status, String msg, Instant time, Instant lastDownTime) {}

  /** Kuma's {@code monitor}, the little of it that is used; {@code id} may be null. */
  record Monitor(String id, String name, String url, String hostname) {}

  boolean heartbeatPresent;
  boolean monitorPresent;
  /** Null when absent or JSON null. */
  Heartbeat heartbeat;
  /** Null when absent or JSON null. */
  Monitor monitor;
  String msg;

  /** Whether the body has this format's defining fields. */
  boolean present() {
    return heartbeatPresent || monitorPresent;
  }

  /** The identity of a heartbeat of {@code monitor}: {@code kuma:<id>}, else {@code kuma:<name>}. */
  static String identity(Monitor monitor) {
    return "kuma:" + (monitor.id() != null ? monitor.id() : Text.singleLine(monitor.name()));
  }

  /**
   * Reads the value of top-level field {@code name} if it is one of this format's.
   *
   * @return false when the field is not this format's to read (the caller skips it)
   */
  boolean field(String name, JsonCursor in) throws IOException, DecodeException {
    switch (name) {
      case "heartbeat":
        heartbeatPresent = true;
        heartbeat = heartbeat(in);
        return true;
      case "monitor":
        monitorPresent = true;
        monitor = monitor(in);
        return true;
      case "msg":
        msg = in.string();
        return true;
      default:
        return false;
    }
  }

  private static Heartbeat heartbeat(JsonCursor in) throws IOException, DecodeException {
    if (in.isNull()) {
      return null;
    }
    in.expect(JsonToken.START_OBJECT, "an object or null");
    String at = in.pointer();
    Integer status = null;
    String msg = null;
    Instant time = null;
    Instant lastDownTime = null;
    while (in.next() == JsonToken.FIELD_NAME) {
      String name = in.name();
      in.next();
      switch (name) {
        case "status":
          status = in.integer(0, 3, "is not a Kuma heartbeat status;"
              + " allowed: 0 (down), 1 (up), 2 (pending), 3 (maintenance)");
          break;
        case "msg":
          msg = in.nullableString();
          break;
        case "time":
          time = time(in);
          break;
        case "lastDownTime":
          lastDownTime = time(in);
          break;
        default:
          in.skip();
      }
    }
    if (status == null) {
      throw new DecodeException(at + "/status is missing;"
          + " allowed: 0 (down), 1 (up), 2 (pending), 3 (maintenance)");
    }
    return new Heartbeat(status, msg, time, lastDownTime);
  }

  private static Monitor monitor(JsonCursor in) throws IOException, DecodeException {
    if (in.isNull()) {
      return null;
    }
    in.expect(JsonToken.START_OBJECT, "an object or null");
    String at = in.pointer();
    String id = null;
    String name = null;
    String url = null;
    String hostname = null;
    while (in.next() == JsonToken.FIELD_NAME) {
      String field = in.name();
      in.next();
      switch (field) {
        case "id":
          id = in.nullableWholeNumber();
          break;
        case "name":
          name = in.nullableString();
          break;
        case "url":
          url = in.nullableString();
          break;
        case "hostname":
          hostname = in.nullableString();
          break;
        default:
          in.skip();
      }
    }
    if (name == null || name.isBlank()) {
      throw new DecodeException(at + "/name is " + (name == null ? "missing" : "blank")
          + ": the monitor's name makes the alert's source");
    }
    return new Monitor(id, name, url, hostname);
  }

  /** Kuma's {@code 2026-08-21 09:31:04.221} (UTC), or ISO-8601 with or without an offset. */
  private static Instant time(JsonCursor in) throws IOException, DecodeException {
    String text = in.nullableString();
    if (text == null || text.isBlank()) {
      return null;
    }
    Instant instant = Rfc3339.parse(text.trim(), false);
    if (instant == null) {
      throw new DecodeException(in.pointer() + " " + Text.quote(text)
          + " is not a time such as 2026-08-21 09:31:04.221");
    }
    return instant;
  }
}
