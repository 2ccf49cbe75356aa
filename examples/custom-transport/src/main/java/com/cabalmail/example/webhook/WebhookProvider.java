package com.cabalmail.example.webhook;

import com.cabalmail.alert.spi.Settings;
import com.cabalmail.alert.spi.Transport;
import com.cabalmail.alert.spi.TransportProvider;
import com.cabalmail.http.HttpDelivery;
import java.util.List;

/**
 * An example transport plugin: POSTs each alert as a JSON document to one URL. Copy this
 * module to add a transport: a public provider with a no-arg constructor, listed in
 * {@code META-INF/services/com.cabalmail.alert.spi.TransportProvider}; a package-private
 * transport; settings read through {@link Settings} so every problem names its key.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><td>{@value #URL}</td><td>where to POST (required, http or https)</td></tr>
 *   <tr><td>{@value #TOKEN}</td><td>sent as {@code Authorization: Bearer} (optional, secret)</td></tr>
 * </table>
 *
 * Route to it with e.g. {@code ALERT_ROUTES=critical:webhook=1,ntfy=5}.
 */
public final class WebhookProvider implements TransportProvider {

  /** The name routes use. */
  public static final String NAME = "webhook";
  /** Setting: where to POST. */
  public static final String URL = "WEBHOOK_URL";
  /** Setting: the bearer token (secret). */
  public static final String TOKEN = "WEBHOOK_TOKEN";

  /** For {@link java.util.ServiceLoader}; cheap. */
  public WebhookProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<String> settingKeys() {
    return List.of(URL, TOKEN);
  }

  /** The priority is passed through as a number; 0 is what recoveries get. */
  @Override
  public Priorities priorities() {
    return new Priorities(0, 9, 0);
  }

  /** Reads the settings above; throws a {@code ConfigException} naming each bad one. */
  @Override
  public Transport create(Settings settings) {
    return transport(settings.read(WebhookConfig::read).orElseThrow());
  }

  /** A transport for an embedder's {@link WebhookConfig}, with no settings map at all. */
  public static Transport transport(WebhookConfig config) {
    return new WebhookTransport(config.url(), config.token(), HttpDelivery.shared());
  }
}
