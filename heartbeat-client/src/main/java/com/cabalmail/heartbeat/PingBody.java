package com.cabalmail.heartbeat;

import com.cabalmail.http.Text;
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

  /** {@code text} as UTF-8, at most {@code limit} bytes, keeping the end ({@link Text}). */
  static byte[] truncate(String text, int limit) {
    int total = Text.utf8Length(text);
    if (total <= limit) {
      return text.getBytes(StandardCharsets.UTF_8);
    }
    // The marker's own length depends on the count it prints: size it for the larger count.
    String marker = limit >= MIN_LIMIT_FOR_MARKER ? marker(total) : "";
    String kept = Text.lastUtf8(text, limit - Text.utf8Length(marker));
    if (!marker.isEmpty()) {
      marker = marker(total - Text.utf8Length(kept));
    }
    return (marker + kept).getBytes(StandardCharsets.UTF_8);
  }

  private static String marker(int dropped) {
    return "[first " + dropped + " bytes cut by the heartbeat client]\n";
  }
}
