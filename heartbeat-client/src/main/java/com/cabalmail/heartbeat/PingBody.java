package com.cabalmail.heartbeat;

import java.nio.charset.StandardCharsets;

/**
 * A ping body cut to what Healthchecks keeps ({@code PING_BODY_LIMIT} bytes). Healthchecks keeps
 * the start of a longer body; the end of a job's output is where its errors are, so the client
 * sends the end, on a UTF-8 character boundary, behind a marker saying how much was dropped.
 */
final class PingBody {

  /** Healthchecks' self-hosted default {@code PING_BODY_LIMIT}. */
  static final int DEFAULT_LIMIT = 10_000;

  /** Below this limit no marker is written: it would take most of the room. */
  private static final int MIN_LIMIT_FOR_MARKER = 128;

  private PingBody() {}

  /** {@code text} as UTF-8, at most {@code limit} bytes, keeping the end. */
  static byte[] truncate(String text, int limit) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= limit) {
      return bytes;
    }
    byte[] marker = new byte[0];
    if (limit >= MIN_LIMIT_FOR_MARKER) {
      // The marker's own length depends on the count it prints: size it for the larger count.
      marker = marker(bytes.length);
    }
    int start = bytes.length - (limit - marker.length);
    while (start < bytes.length && (bytes[start] & 0xC0) == 0x80) {
      start++; // never begin inside a multi-byte character
    }
    if (marker.length > 0) {
      marker = marker(start);
    }
    byte[] body = new byte[marker.length + bytes.length - start];
    System.arraycopy(marker, 0, body, 0, marker.length);
    System.arraycopy(bytes, start, body, marker.length, bytes.length - start);
    return body;
  }

  private static byte[] marker(int dropped) {
    return ("[first " + dropped + " bytes cut by the heartbeat client]\n")
        .getBytes(StandardCharsets.UTF_8);
  }
}
