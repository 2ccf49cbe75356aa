package com.cabalmail.example.webhook;

import com.cabalmail.alert.ConfigException;
import com.cabalmail.alert.spi.Settings;
import com.cabalmail.http.Secret;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The webhook transport's configuration, typed, for embedders:
 * {@code WebhookProvider.transport(WebhookConfig.of(url, Optional.of(token)))}. Validated by
 * the same reader as {@link WebhookProvider#create}, so a bad value is a
 * {@link ConfigException} naming the setting key it stands for.
 */
public final class WebhookConfig {

  private final URI url;
  private final Optional<Secret> token;

  private WebhookConfig(URI url, Optional<Secret> token) {
    this.url = url;
    this.token = token;
  }

  /** Validates; throws one {@link ConfigException} naming each bad value by its key. */
  public static WebhookConfig of(URI url, Optional<Secret> token) {
    Map<String, Secret> secrets = new HashMap<>();
    token.ifPresent(t -> secrets.put(WebhookProvider.TOKEN, t));
    return Settings.of(Map.of(WebhookProvider.URL, Objects.requireNonNull(url, "url").toString()),
        secrets).read(WebhookConfig::read).orElseThrow();
  }

  /** Reads the provider's settings, recording each problem in {@code settings}. */
  static WebhookConfig read(Settings settings) {
    Optional<Secret> token = settings.optionalSecret(WebhookProvider.TOKEN);
    URI url = settings.httpUrl(WebhookProvider.URL, null);
    // A token is never sent in clear to another host, unless ALERT_ALLOW_PLAIN_HTTP=true.
    return new WebhookConfig(token.isPresent() ? settings.credentialUrl(WebhookProvider.URL, url)
        : url, token);
  }

  URI url() {
    return url;
  }

  Optional<Secret> token() {
    return token;
  }

  @Override
  public String toString() {
    return "WebhookConfig[url=" + url + ", token=" + token.map(t -> "<redacted>").orElse("none")
        + "]";
  }
}
