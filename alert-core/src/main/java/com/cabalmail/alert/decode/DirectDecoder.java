package com.cabalmail.alert.decode;

import com.cabalmail.alert.Alert;
import com.cabalmail.alert.AlertStatus;
import com.cabalmail.alert.spi.Text;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The direct shape {@code {severity, source, summary, runbook_url?, labels?, status?}}, as sent
 * by Kuma's custom body and the Healthchecks integration. Nothing is guessed: a missing
 * severity, source or summary rejects the body, naming the field.
 */
final class DirectDecoder {

  private DirectDecoder() {}

  static List<Alert> alerts(Body body) throws DecodeException {
    if (body.severity == null) {
      throw new DecodeException("/severity is missing; allowed: critical, warning, info");
    }
    String source = requireText(body.source == null ? null : Text.singleLine(body.source),
        "/source");
    String summary = requireText(
        body.summary == null ? null : Text.multiLine(body.summary), "/summary");
    Map<String, String> labels = body.labels == null ? Map.of() : body.labels;
    return List.of(new Alert(body.severity, source, summary, Optional.ofNullable(body.runbook),
        labels, body.status == null ? AlertStatus.FIRING : body.status, Optional.empty(), null));
  }

  private static String requireText(String value, String pointer) throws DecodeException {
    if (value == null) {
      throw new DecodeException(pointer + " is missing: the direct shape needs severity,"
          + " source and summary");
    }
    if (value.isBlank()) {
      throw new DecodeException(pointer + " is blank");
    }
    return value;
  }
}
