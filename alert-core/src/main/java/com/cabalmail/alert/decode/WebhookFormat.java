package com.cabalmail.alert.decode;

import java.util.Locale;

/** The webhook body shapes the decoder understands; {@link #AUTO} detects which. */
public enum WebhookFormat {
  /** Detect the shape from the body (see {@link WebhookDecoder} for the rules). */
  AUTO,
  /** {@code {severity, source, summary, runbook_url?, labels?, status?}}. */
  DIRECT,
  /** Prometheus Alertmanager webhook, version 4. */
  ALERTMANAGER,
  /** Grafana unified alerting webhook. */
  GRAFANA,
  /** Uptime Kuma's default webhook body (its custom body is {@link #DIRECT}). */
  KUMA,
  /** A Healthchecks webhook integration body (the direct shape, with up/down status). */
  HEALTHCHECKS;

  /** Parses a format name case-insensitively; the message lists the allowed names. */
  public static WebhookFormat parse(String text) {
    for (WebhookFormat format : values()) {
      if (format.name().equalsIgnoreCase(text == null ? "" : text.trim())) {
        return format;
      }
    }
    throw new IllegalArgumentException("unknown webhook format '" + text
        + "'; allowed: auto, direct, alertmanager, grafana, kuma, healthchecks");
  }

  /** The lower-case name. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
