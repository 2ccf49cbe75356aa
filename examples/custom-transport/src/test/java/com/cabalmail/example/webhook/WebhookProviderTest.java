package com.cabalmail.example.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cabalmail.alert.AlertConfig;
import com.cabalmail.alert.ConfigException;
import com.cabalmail.alert.spi.TransportProvider;
import com.cabalmail.alert.testkit.ProviderTestKit;
import com.cabalmail.http.Secret;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The same provider contract as the shipped plugins ({@link ProviderTestKit}: discovery, name,
 * declared keys, one problem per bad setting and never a half transport), plus its own cases.
 */
class WebhookProviderTest extends ProviderTestKit {

  @Override
  protected TransportProvider provider() {
    return new WebhookProvider();
  }

  @Override
  protected Map<String, String> validSettings() {
    return Map.of(WebhookProvider.URL, "https://hooks.example/alerts",
        WebhookProvider.TOKEN, "hook-token-0123456789");
  }

  @Override
  protected Map<String, Map<String, String>> badSettings() {
    return Map.of(
        "WEBHOOK_URL is required", Map.of(),
        "WEBHOOK_URL='ftp://hooks.example'", Map.of(WebhookProvider.URL, "ftp://hooks.example"));
  }

  @Test
  void typedConfigBuildsATransportAndIsValidatedLikeTheEnvironment() {
    WebhookConfig config = WebhookConfig.of(URI.create("https://hooks.example/alerts"),
        Optional.of(Secret.of("hook-token-embedder")));
    assertTrue(WebhookProvider.transport(config) instanceof WebhookTransport);
    assertFalse(config.toString().contains("hook-token-embedder"), config.toString());

    ConfigException e = assertThrows(ConfigException.class,
        () -> WebhookConfig.of(URI.create("ftp://hooks.example"), Optional.empty()));
    assertEquals(List.of("WEBHOOK_URL='ftp://hooks.example' must be an absolute http(s) URL"),
        e.problems());
  }

  @Test
  void theKeysAreTheUrlAndTheToken() {
    assertEquals(List.of("WEBHOOK_URL", "WEBHOOK_TOKEN"), new WebhookProvider().settingKeys());
  }

  @Test
  void aBadUrlIsReportedByItsKey() {
    ConfigException e = assertThrows(ConfigException.class, () -> AlertConfig.from(Map.of(
        "ALERT_ROUTES", "critical:webhook=1", "WEBHOOK_URL", "ftp://example.org/x")));

    assertEquals(List.of("WEBHOOK_URL='ftp://example.org/x' must be an absolute http(s) URL"),
        e.problems());
  }
}
