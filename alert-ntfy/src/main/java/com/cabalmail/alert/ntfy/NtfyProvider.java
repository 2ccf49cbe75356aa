package com.cabalmail.alert.ntfy;

import com.cabalmail.alert.spi.Settings;
import com.cabalmail.alert.spi.Transport;
import com.cabalmail.alert.spi.TransportProvider;
import com.cabalmail.http.HttpDelivery;

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
 * </table>
 *
 * <p>Without a token or user, messages are published anonymously.
 */
public final class NtfyProvider implements TransportProvider {

  /** The name routes use. */
  public static final String NAME = "ntfy";
  /** Setting: the server's base URL. */
  public static final String BASE_URL = NtfySettings.BASE_URL;
  /** Setting: the default topic. */
  public static final String TOPIC = NtfySettings.TOPIC;
  /** Setting: the access token (secret), sent as {@code Authorization: Bearer}. */
  public static final String TOKEN = NtfySettings.TOKEN;

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
  public Transport create(Settings settings) {
    return new NtfyTransport(NtfySettings.read(settings), HttpDelivery.shared());
  }
}
