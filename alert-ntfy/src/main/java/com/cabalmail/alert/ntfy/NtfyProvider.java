package com.cabalmail.alert.ntfy;

import com.cabalmail.alert.Severity;
import com.cabalmail.alert.spi.Settings;
import com.cabalmail.alert.spi.Transport;
import com.cabalmail.alert.spi.TransportProvider;
import com.cabalmail.http.HttpDelivery;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code ntfy} transport: publishes each alert as JSON to a (self-hosted) ntfy server, so
 * titles and summaries in any script arrive intact. Found by {@link java.util.ServiceLoader};
 * priorities 1 (min) to 5 (urgent), recoveries at 3 (default) unless the routing table says.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><td>{@code NTFY_BASE_URL}</td><td>required; http(s), e.g. {@code https://ntfy.example.com}</td></tr>
 *   <tr><td>{@code NTFY_TOPIC}</td><td>topic, default {@code alerts}; 1-64 of {@code [-_A-Za-z0-9]}</td></tr>
 *   <tr><td>{@code NTFY_TOPIC_CRITICAL}, {@code _WARNING}, {@code _INFO}</td><td>a topic per severity, default {@code NTFY_TOPIC}</td></tr>
 *   <tr><td>{@code NTFY_TOKEN}</td><td>secret access token, sent as {@code Bearer}</td></tr>
 *   <tr><td>{@code NTFY_USER}, {@code NTFY_PASSWORD}</td><td>instead of a token: Basic auth (password secret)</td></tr>
 *   <tr><td>{@code NTFY_TAGS_CRITICAL}, {@code _WARNING}, {@code _INFO}</td><td>tags of firing alerts; defaults
 *       {@code rotating_light}, {@code warning}, {@code information_source}; {@code none} for none</td></tr>
 *   <tr><td>{@code NTFY_TAGS_RESOLVED}</td><td>tags of resolved alerts, default {@code white_check_mark}</td></tr>
 *   <tr><td>{@code NTFY_LABEL_TAGS}</td><td>labels shown as {@code name=value} tags, default {@code instance,service}</td></tr>
 *   <tr><td>{@code NTFY_MARKDOWN}</td><td>{@code true} to render messages as Markdown, default {@code false}</td></tr>
 *   <tr><td>{@code NTFY_ON_RESOLVED}</td><td>{@code replace} (default), {@code clear} or {@code delete}</td></tr>
 *   <tr><td>{@code ALERT_ESCALATE_AFTER}, {@code NTFY_ESCALATE_TOPIC}</td><td>escalation of an unanswered
 *       critical alert: after how long (10s to 72h), to which topic; both or neither</td></tr>
 *   <tr><td>{@code ALERT_QUIET_HOURS}</td><td>a daily window, e.g. {@code 22:00-07:00 Europe/Berlin}, in
 *       which warnings are held back until it ends</td></tr>
 * </table>
 *
 * <p>Without a token or user, messages are published anonymously.
 *
 * <p>Every message of an alert carries one sequence ID, derived from the alert's identity
 * ({@link com.cabalmail.alert.Alert#scopeToken()}) and severity, so its recovery replaces its
 * notification in place (ntfy 2.16 and later; older servers show a second notification). The
 * delivery's handle is that sequence ID: a host that learns of an acknowledgement replaces the
 * notification by it ({@link com.cabalmail.alert.spi.Transport#replace}), which also withdraws a
 * critical alert's escalation.
 */
public final class NtfyProvider implements TransportProvider {

  /** The name routes use. */
  public static final String NAME = "ntfy";
  /** Setting: the server's base URL (required). */
  public static final String BASE_URL = "NTFY_BASE_URL";
  /** Setting: the default topic. */
  public static final String TOPIC = "NTFY_TOPIC";
  /** Prefix of the per-severity topic keys, e.g. {@code NTFY_TOPIC_CRITICAL}. */
  public static final String TOPIC_PREFIX = "NTFY_TOPIC_";
  /** Setting: the access token (secret), sent as {@code Authorization: Bearer}. */
  public static final String TOKEN = "NTFY_TOKEN";
  /** The older name of {@value #TOKEN}, as the seed's Terraform sets it. */
  public static final String PUBLISHER_TOKEN = "NTFY_PUBLISHER_TOKEN";
  /** Setting: the user for Basic auth, instead of a token. */
  public static final String USER = "NTFY_USER";
  /** Setting: the password (secret) for Basic auth. */
  public static final String PASSWORD = "NTFY_PASSWORD";
  /** Prefix of the per-severity tag keys of firing alerts, e.g. {@code NTFY_TAGS_CRITICAL}. */
  public static final String TAGS_PREFIX = "NTFY_TAGS_";
  /** Setting: the tags of resolved alerts. */
  public static final String TAGS_RESOLVED = "NTFY_TAGS_RESOLVED";
  /** Setting: the label names shown as {@code name=value} tags. */
  public static final String LABEL_TAGS = "NTFY_LABEL_TAGS";
  /** Setting: {@code true} to have ntfy render messages as Markdown. */
  public static final String MARKDOWN = "NTFY_MARKDOWN";
  /**
   * Setting: what a recovery does besides replacing its alert's notification in place:
   * {@code replace} (nothing more, the default), {@code clear} or {@code delete}.
   */
  public static final String ON_RESOLVED = "NTFY_ON_RESOLVED";
  /**
   * Setting: the topic an unanswered critical alert escalates to, with {@value #ESCALATE_AFTER}.
   */
  public static final String ESCALATE_TOPIC = "NTFY_ESCALATE_TOPIC";
  /** Setting: after how long an unanswered critical alert escalates, 10s to 72h. */
  public static final String ESCALATE_AFTER = "ALERT_ESCALATE_AFTER";
  /**
   * Setting: the daily window in which warnings are held back, e.g.
   * {@code 22:00-07:00 Europe/Berlin}.
   */
  public static final String QUIET_HOURS = "ALERT_QUIET_HOURS";

  private static final List<String> SETTING_KEYS = settingKeyList();

  /** Cheap: the work happens in {@link #create}. */
  public NtfyProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Priorities priorities() {
    return new Priorities(NtfyTransport.MIN_PRIORITY, NtfyTransport.MAX_PRIORITY, 3);
  }

  @Override
  public List<String> settingKeys() {
    return SETTING_KEYS;
  }

  private static List<String> settingKeyList() {
    List<String> keys = new ArrayList<>(List.of(BASE_URL, TOPIC, TOKEN, PUBLISHER_TOKEN, USER,
        PASSWORD, TAGS_RESOLVED, LABEL_TAGS, MARKDOWN, ON_RESOLVED, ESCALATE_TOPIC,
        ESCALATE_AFTER, QUIET_HOURS));
    for (Severity severity : Severity.values()) {
      keys.add(TOPIC_PREFIX + severity.name());
      keys.add(TAGS_PREFIX + severity.name());
    }
    return List.copyOf(keys);
  }

  /**
   * Reads the settings above; throws a {@link com.cabalmail.alert.ConfigException} naming each
   * missing or bad one, never a transport without a URL.
   */
  @Override
  public Transport create(Settings settings) {
    return transport(new NtfyConfig(settings.read(NtfySettings.READER).orElseThrow(),
        Clock.systemUTC()));
  }

  /** A transport for an embedder's {@link NtfyConfig}, with no settings map at all. */
  public static Transport transport(NtfyConfig config) {
    return new NtfyTransport(config.settings(), HttpDelivery.shared(), config.clock());
  }
}
