package com.cabalmail.alert.decode;

import com.cabalmail.alert.Alert;
import com.cabalmail.alert.AlertStatus;
import com.cabalmail.alert.Labels;
import com.cabalmail.http.Text;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The direct shape
 * {@code {severity, source, summary, runbook_url?, labels?, status?, fingerprint?}}, as sent by
 * Kuma's custom body and the Healthchecks integration. Nothing is guessed: a missing
 * severity, source or summary rejects the body, naming the field. A {@code runbook_url} that
 * is not a link is kept as text ({@link Labels#RUNBOOK_TEXT}). The identity follows
 * {@link DirectReader#identity}.
 */
final class DirectDecoder {

  private DirectDecoder() {}

  /**
   * The one alert of a direct-shape body.
   *
   * @param healthchecks whether the body is read as Healthchecks', which changes its identity
   *     ({@link DirectReader#identity})
   */
  static List<Alert> alerts(DirectReader body, boolean healthchecks) throws DecodeException {
    if (body.severity == null) {
      throw new DecodeException("/severity is missing; allowed: critical, warning, info");
    }
    String source = requireText(body.source == null ? null : Text.singleLine(body.source),
        "/source");
    String summary = requireText(
        body.summary == null ? null : Text.multiLine(body.summary), "/summary");
    Map<String, String> labels = body.labels == null ? Map.of() : body.labels;
    if (body.runbookText != null) {
      labels = new LinkedHashMap<>(labels);
      labels.put(Labels.RUNBOOK_TEXT, body.runbookText);
    }
    return List.of(new Alert(body.severity, source, summary, Optional.ofNullable(body.runbook),
        labels, body.status == null ? AlertStatus.FIRING : body.status, Optional.empty(),
        body.identity(healthchecks, source)));
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
