package com.cabalmail.alert.pushover;

import static com.cabalmail.alert.testkit.PushoverStandIn.APP_TOKEN;
import static com.cabalmail.alert.testkit.PushoverStandIn.USER_KEY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cabalmail.alert.AlertConfig;
import com.cabalmail.alert.ConfigException;
import com.cabalmail.alert.Route;
import com.cabalmail.alert.Severity;
import com.cabalmail.alert.spi.Settings;
import com.cabalmail.alert.spi.TransportProvider;
import com.cabalmail.alert.testkit.ProviderTestKit;
import com.cabalmail.http.Secret;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Discovery and settings: what fails at startup, and how it is reported (the kit checks what
 * every provider shares).
 */
class PushoverProviderTest extends ProviderTestKit {

  @Override
  protected TransportProvider provider() {
    return new PushoverProvider();
  }

  @Override
  protected Map<String, String> validSettings() {
    return Map.of(PushoverProvider.APP_TOKEN, APP_TOKEN, PushoverProvider.USER_KEY, USER_KEY);
  }

  @Override
  protected Map<String, Map<String, String>> badSettings() {
    return Map.of(
        "PUSHOVER_APP_TOKEN is required", Map.of(PushoverProvider.USER_KEY, USER_KEY),
        "PUSHOVER_USER_KEY is required", Map.of(PushoverProvider.APP_TOKEN, APP_TOKEN),
        "PUSHOVER_APP_TOKEN must be", Map.of(PushoverProvider.APP_TOKEN, "bad token",
            PushoverProvider.USER_KEY, USER_KEY),
        "PUSHOVER_API_URL='ftp://x'", Map.of(PushoverProvider.APP_TOKEN, APP_TOKEN,
            PushoverProvider.USER_KEY, USER_KEY, PushoverProvider.API_URL, "ftp://x"));
  }

  @Test
  void alertConfigBuildsPushoverForARouteNamingIt() {
    AlertConfig config = AlertConfig.from(Map.of(
        AlertConfig.ROUTES, "critical:pushover=2",
        PushoverProvider.APP_TOKEN, APP_TOKEN,
        PushoverProvider.USER_KEY, USER_KEY));

    assertTrue(config.transports().get("pushover") instanceof PushoverTransport);
    assertEquals(List.of(new Route("pushover", 2)), config.routes().firing(Severity.CRITICAL));
    assertEquals(List.of(new Route("pushover", -1)), config.routes().resolved(Severity.CRITICAL),
        "recoveries default to the quiet priority");
  }

  @Test
  void badSettingsAreReportedTogetherEachNamingItsKey() {
    ConfigException e = assertThrows(ConfigException.class, () -> AlertConfig.from(Map.of(
        AlertConfig.ROUTES, "critical:pushover=2",
        PushoverProvider.USER_KEY, "not a key " + USER_KEY,
        PushoverProvider.API_URL, "ftp://api.pushover.net",
        PushoverProvider.DEVICE, "my phone",
        "PUSHOVER_SOUND_CRITICAL", "siren!",
        PushoverProvider.EMERGENCY_RETRY, "10s",
        PushoverProvider.EMERGENCY_EXPIRE, "4h")));

    List<String> problems = e.problems();
    for (String key : List.of("PUSHOVER_APP_TOKEN is required", "PUSHOVER_USER_KEY must be",
        "PUSHOVER_API_URL='ftp://api.pushover.net'", "PUSHOVER_DEVICE='my phone'",
        "PUSHOVER_SOUND_CRITICAL='siren!'", "PUSHOVER_EMERGENCY_RETRY='10s'",
        "PUSHOVER_EMERGENCY_EXPIRE='4h'")) {
      assertEquals(1, problems.stream().filter(p -> p.startsWith(key)).count(),
          key + " in " + problems);
    }
    assertEquals(7, problems.size(), problems.toString());
    assertFalse(e.getMessage().contains(USER_KEY), "the user key leaked: " + e.getMessage());
  }

  @Test
  void expireShorterThanRetryIsAProblem() {
    Settings settings = Settings.of(Map.of(PushoverProvider.APP_TOKEN, APP_TOKEN,
        PushoverProvider.USER_KEY, USER_KEY, PushoverProvider.EMERGENCY_RETRY, "300s",
        PushoverProvider.EMERGENCY_EXPIRE, "60s"));

    assertThrows(ConfigException.class, () -> new PushoverProvider().create(settings));

    assertEquals(List.of("PUSHOVER_EMERGENCY_EXPIRE (60s) is shorter than"
        + " PUSHOVER_EMERGENCY_RETRY (300s): an emergency would never repeat"),
        settings.problems());
  }

  @Test
  void fractionalSecondsAreAProblem() {
    Settings settings = Settings.of(Map.of(PushoverProvider.APP_TOKEN, APP_TOKEN,
        PushoverProvider.USER_KEY, USER_KEY, PushoverProvider.EMERGENCY_RETRY, "30500ms"));

    assertThrows(ConfigException.class, () -> new PushoverProvider().create(settings));

    assertEquals(List.of("PUSHOVER_EMERGENCY_RETRY='30500ms' must be whole seconds: Pushover"
        + " counts them in seconds"), settings.problems());
  }

  @Test
  void createThrowsOnlyItsOwnProblems() {
    Settings settings = Settings.of(Map.of(PushoverProvider.USER_KEY, USER_KEY));
    settings.problem("EARLIER problem, not pushover's");

    ConfigException e = assertThrows(ConfigException.class,
        () -> new PushoverProvider().create(settings));

    assertEquals(List.of("PUSHOVER_APP_TOKEN is required: the Pushover application's API token"),
        e.problems());
  }

  @Test
  void typedConfigBuildsATransportAndIsValidatedLikeTheEnvironment() {
    PushoverConfig config = PushoverConfig.builder(Secret.of(APP_TOKEN), Secret.of(USER_KEY))
        .device("phone").sound(Severity.CRITICAL, "siren").build();
    assertTrue(PushoverProvider.transport(config) instanceof PushoverTransport);
    assertFalse(config.toString().contains(APP_TOKEN), config.toString());

    ConfigException e = assertThrows(ConfigException.class,
        () -> PushoverConfig.builder(Secret.of("bad token"), Secret.of(USER_KEY))
            .device("my phone").emergencyRetry(Duration.ofSeconds(10)).build());
    assertEquals(3, e.problems().size(), e.getMessage());
    assertTrue(e.getMessage().contains("PUSHOVER_APP_TOKEN must be"), e.getMessage());
    assertTrue(e.getMessage().contains("PUSHOVER_DEVICE='my phone'"), e.getMessage());
    assertTrue(e.getMessage().contains("PUSHOVER_EMERGENCY_RETRY='PT10S'"), e.getMessage());
    assertFalse(e.getMessage().contains("bad token"), e.getMessage());
  }

  @Test
  void everyKeyIsDeclared() {
    assertEquals(List.of("PUSHOVER_APP_TOKEN", "PUSHOVER_USER_KEY", "PUSHOVER_API_URL",
        "PUSHOVER_DEVICE", "PUSHOVER_EMERGENCY_RETRY", "PUSHOVER_EMERGENCY_EXPIRE",
        "PUSHOVER_SOUND_CRITICAL", "PUSHOVER_SOUND_WARNING", "PUSHOVER_SOUND_INFO"),
        new PushoverProvider().settingKeys());
  }

  @Test
  void defaultsAreTheRealApiAndPushoversEmergencyBounds() {
    Settings settings = Settings.of(Map.of(PushoverProvider.APP_TOKEN, APP_TOKEN,
        PushoverProvider.USER_KEY, USER_KEY + "," + APP_TOKEN.toLowerCase(java.util.Locale.ROOT)));

    PushoverSettings read = PushoverSettings.read(settings);

    assertEquals(List.of(), settings.problems());
    assertEquals("https://api.pushover.net", read.apiUrl().toString());
    assertEquals(Duration.ofSeconds(60), read.emergencyRetry());
    assertEquals(Duration.ofSeconds(3600), read.emergencyExpire());
    assertTrue(read.device().isEmpty());
  }

  @Test
  void apiUrlKeepsItsPathPrefixForProxies() {
    Settings settings = Settings.of(Map.of(PushoverProvider.APP_TOKEN, APP_TOKEN,
        PushoverProvider.USER_KEY, USER_KEY, PushoverProvider.API_URL, "https://proxy:8443/pushover/"));

    assertEquals("https://proxy:8443/pushover", PushoverSettings.read(settings).apiUrl().toString());
  }

  @Test
  void theTokenNeverTravelsOverPlainHttpToAnotherHostUnlessAllowed() {
    Map<String, String> values = Map.of(PushoverProvider.APP_TOKEN, APP_TOKEN,
        PushoverProvider.USER_KEY, USER_KEY, PushoverProvider.API_URL, "http://proxy:8080/pushover/");
    Settings refused = Settings.of(values);
    PushoverSettings.read(refused);
    assertTrue(refused.problems().stream().anyMatch(p -> p.startsWith(
        PushoverProvider.API_URL + " is plain http:// to proxy")), refused.problems().toString());

    Map<String, String> allowed = new java.util.HashMap<>(values);
    allowed.put(Settings.ALLOW_PLAIN_HTTP, "true");
    Settings settings = Settings.of(allowed);
    assertEquals("http://proxy:8080/pushover", PushoverSettings.read(settings).apiUrl().toString());
    assertTrue(settings.problems().isEmpty(), settings.problems().toString());
  }

  @Test
  void providerNamesItselfAndItsScale() {
    PushoverProvider provider = new PushoverProvider();
    assertEquals("pushover", provider.name());
    assertEquals(new TransportProvider.Priorities(-2, 2, -1), provider.priorities());
  }
}
