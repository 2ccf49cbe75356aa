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
  /**
   * A runbook the sender wrote that is not a link ("see the wiki page Disk-Full"): transports
   * show it as text, so nothing the sender wrote is lost.
   */
  public static final String RUNBOOK_TEXT = "runbook_text";
  /**
   * Set to {@code true} on a test notification (Uptime Kuma's Test button): the routing table
   * sends it by its {@code test} routes (by default quietly, on the transports of warnings at
   * their quiet priority, never as a page) and transports mark it as a test. Reserved
   * ({@code __} prefix, which Prometheus and Grafana keep for themselves), so that no rule's own
   * {@code test} label can silence a real alert; the direct shape may set it in {@code labels}.
   */
  public static final String TEST = "__test";
  /**
   * Set by the router on a resolved alert it hands to a transport: the priority the routing
   * table gives that transport for firing alerts of the same severity, or {@code none} when
   * it sends them elsewhere. A transport uses it to undo only what a firing alert could have
   * started (Pushover cancels emergency repeats only when priority 2 was possible).
   */
  public static final String FIRING_PRIORITY = "__firing_priority";

  /**
   * Set by the sink on a firing alert when acknowledgements are on: the URL Pushover calls back
   * when the alert's emergency (priority 2) page is acknowledged ({@code callback}). It names
   * the alert, not a secret: the sink trusts a callback only for the receipt its ledger holds
   * and Pushover confirms.
   */
  public static final String ACK_CALLBACK = "__ack_callback";
  /**
   * Set by the sink on a critical firing alert when acknowledgements are on: the URL that
   * acknowledges it when POSTed to (a single-purpose, expiring capability); ntfy shows it as an
   * <b>Acknowledge</b> button.
   */
  public static final String ACK_URL = "__ack_url";
  /**
   * Set by the sink on a firing Alertmanager alert when silences from the phone are on: the URL
   * that silences it in Alertmanager for 4 h when POSTed to (a capability like
   * {@link #ACK_URL}); ntfy shows it as a <b>Silence 4h</b> button.
   */
  public static final String SILENCE_ACTION = "__silence_action";

  private Labels() {}
}
