package com.cabalmail.example.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cabalmail.alert.ConfigException;
import com.cabalmail.alert.spi.Settings;
import com.cabalmail.http.Secret;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The same provider contract as the shipped plugins: problems by key, never a half transport. */
class WebhookProviderTest {

  @Test
  void everyRequiredKeyMissingOrBadIsAProblemAndNoTransport() {
    Map<String, Map<String, String>> cases = Map.of(
        "WEBHOOK_URL is required", Map.of(),
        "WEBHOOK_URL='ftp://hooks.example'", Map.of(WebhookProvider.URL, "ftp://hooks.example"));
    cases.forEach((problem, values) -> {
      Settings settings = Settings.of(values);
      settings.problem("EARLIER problem, not the webhook's");
      ConfigException e = assertThrows(ConfigException.class,
          () -> new WebhookProvider().create(settings), problem);
      assertEquals(1, e.problems().size(), e.getMessage());
      assertTrue(e.problems().get(0).startsWith(problem), e.getMessage());
    });
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
  void everyKeyIsDeclared() {
    assertEquals(List.of("WEBHOOK_URL", "WEBHOOK_TOKEN"), new WebhookProvider().settingKeys());
  }
}
