package com.cabalmail.alert.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Webhook bodies as the monitoring tools send them, one per file, kept once for every module's
 * tests: Alertmanager (firing, resolved), Grafana, Uptime Kuma (down, up), Healthchecks and the
 * sink's direct shape. They are the classpath resources {@code
 * com/cabalmail/alert/testkit/webhooks/<name>}.
 */
public final class WebhookSamples {

  /** Alertmanager's webhook v4 body with firing alerts. */
  public static final String ALERTMANAGER_FIRING = "alertmanager-firing.json";
  /** Alertmanager's webhook v4 body with resolved alerts. */
  public static final String ALERTMANAGER_RESOLVED = "alertmanager-resolved.json";
  /** The sink's direct shape: severity, source, summary, runbook_url. */
  public static final String DIRECT_CRITICAL = "direct-critical.json";
  /** Grafana's unified-alerting webhook body, firing. */
  public static final String GRAFANA_FIRING = "grafana-firing.json";
  /** The Healthchecks webhook integration's body for a check that went down. */
  public static final String HEALTHCHECKS_DOWN = "healthchecks-down.json";
  /** Uptime Kuma's custom body for a monitor that went down. */
  public static final String KUMA_DOWN = "kuma-down.json";
  /** Uptime Kuma's custom body for a monitor that came back up. */
  public static final String KUMA_UP = "kuma-up.json";

  /** Every sample's name. */
  public static final List<String> ALL = List.of(ALERTMANAGER_FIRING, ALERTMANAGER_RESOLVED,
      DIRECT_CRITICAL, GRAFANA_FIRING, HEALTHCHECKS_DOWN, KUMA_DOWN, KUMA_UP);

  private WebhookSamples() {}

  /**
   * The bytes of sample {@code name}, exactly as stored.
   *
   * @throws IllegalArgumentException when there is no such sample
   */
  public static byte[] bytes(String name) {
    try (InputStream in = WebhookSamples.class.getResourceAsStream("webhooks/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no webhook sample " + name + "; there are " + ALL);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
