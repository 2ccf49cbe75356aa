package com.cabalmail.alert;

/**
 * Label names with a meaning agreed between decoders and transports. Decoders set them;
 * transports render them (a link as an action or URL, a count as a note).
 */
public final class Labels {

  /** A dashboard link (Grafana's {@code dashboardURL}). */
  public static final String DASHBOARD_URL = "dashboard_url";
  /** A panel link (Grafana's {@code panelURL}). */
  public static final String PANEL_URL = "panel_url";
  /** A link that silences the alert (Grafana's {@code silenceURL}). */
  public static final String SILENCE_URL = "silence_url";
  /** A link to the rule or graph that raised the alert ({@code generatorURL}). */
  public static final String GENERATOR_URL = "generator_url";
  /** How many alerts the tool left out of the body ({@code truncatedAlerts}), when above 0. */
  public static final String TRUNCATED_ALERTS = "truncated_alerts";
  /** Why the severity was assumed, when the tool's body did not give a usable one. */
  public static final String SEVERITY_ASSUMED = "severity_assumed";

  private Labels() {}
}
