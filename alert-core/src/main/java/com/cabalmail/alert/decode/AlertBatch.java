package com.cabalmail.alert.decode;

import com.cabalmail.alert.Alert;
import java.util.List;
import java.util.Objects;

/**
 * What one webhook body described.
 *
 * @param format the shape that was decoded (never {@link WebhookFormat#AUTO})
 * @param alerts every alert of the body, in body order; never empty
 * @param truncatedAlerts alerts the tool left out of the body (Alertmanager's
 *     {@code truncatedAlerts}), 0 when none
 */
public record AlertBatch(WebhookFormat format, List<Alert> alerts, int truncatedAlerts) {

  /** Validates and copies. */
  public AlertBatch {
    Objects.requireNonNull(format, "format");
    alerts = List.copyOf(alerts);
    if (alerts.isEmpty()) {
      throw new IllegalArgumentException("a batch has at least one alert");
    }
    if (truncatedAlerts < 0) {
      throw new IllegalArgumentException("truncatedAlerts is negative");
    }
  }
}
