package com.cabalmail.alert.ntfy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cabalmail.alert.AlertConfig;
import com.cabalmail.alert.ConfigException;
import com.cabalmail.alert.Route;
import com.cabalmail.alert.Severity;
import com.cabalmail.alert.spi.Settings;
import com.cabalmail.alert.spi.TransportProvider;
import com.cabalmail.alert.testkit.NtfyStandIn;
import com.cabalmail.alert.testkit.ProviderTestKit;
import com.cabalmail.http.Secret;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Discovery and settings: what fails at startup, and how it is reported (the kit checks what
 * every provider shares).
 */
class NtfyProviderTest extends ProviderTestKit {

  private static final String TOKEN = NtfyStandIn.TOKEN;

  @Override
  protected TransportProvider provider() {
    return new NtfyProvider();
  }

  @Override
  protected Map<String, String> validSettings() {
    return Map.of(NtfyProvider.BASE_URL, "https://ntfy.example", NtfyProvider.TOKEN, TOKEN);
  }

  @Override
  protected Map<String, Map<String, String>> badSettings() {
    return Map.ofEntries(
        Map.entry("NTFY_BASE_URL is required", Map.<String, String>of()),
        Map.entry("NTFY_BASE_URL='ftp://ntfy.example'", Map.of(NtfyProvider.BASE_URL, "ftp://ntfy.example")),
        Map.entry("NTFY_TOPIC='bad topic!'", Map.of(NtfyProvider.BASE_URL, "https://ntfy.example",
            NtfyProvider.TOPIC, "bad topic!")),
        Map.entry("NTFY_PASSWORD is required", Map.of(NtfyProvider.BASE_URL, "https://ntfy.example",
            NtfyProvider.USER, "alice")),
        Map.entry("NTFY_ON_RESOLVED='dismiss' must be replace, clear or delete", Map.of(
            NtfyProvider.BASE_URL, "https://ntfy.example", NtfyProvider.ON_RESOLVED, "dismiss")),
        Map.entry("ALERT_ESCALATE_AFTER='5s' must be a duration from 10s to 72h", Map.of(
            NtfyProvider.BASE_URL, "https://ntfy.example", NtfyProvider.ESCALATE_AFTER, "5s",
            NtfyProvider.ESCALATE_TOPIC, "backup-oncall")),
        Map.entry("ALERT_ESCALATE_AFTER='4d' must be a duration from 10s to 72h", Map.of(
            NtfyProvider.BASE_URL, "https://ntfy.example", NtfyProvider.ESCALATE_AFTER, "4d",
            NtfyProvider.ESCALATE_TOPIC, "backup-oncall")),
        Map.entry("ALERT_ESCALATE_AFTER is set but no escalation target is", Map.of(
            NtfyProvider.BASE_URL, "https://ntfy.example", NtfyProvider.ESCALATE_AFTER, "15m")),
        Map.entry("NTFY_ESCALATE_TOPIC is set but ALERT_ESCALATE_AFTER is not", Map.of(
            NtfyProvider.BASE_URL, "https://ntfy.example", NtfyProvider.ESCALATE_TOPIC, "oncall")),
        Map.entry("NTFY_ESCALATE_TOPIC='on call'", Map.of(NtfyProvider.BASE_URL, "https://ntfy.example",
            NtfyProvider.ESCALATE_AFTER, "15m", NtfyProvider.ESCALATE_TOPIC, "on call")),
        Map.entry("ALERT_QUIET_HOURS='22:00-07:00 Europe/Atlantis' must be a daily window", Map.of(
            NtfyProvider.BASE_URL, "https://ntfy.example",
            NtfyProvider.QUIET_HOURS, "22:00-07:00 Europe/Atlantis")),
        Map.entry("ALERT_QUIET_HOURS='25:00-07:00' must be a daily window", Map.of(
            NtfyProvider.BASE_URL, "https://ntfy.example", NtfyProvider.QUIET_HOURS,
            "25:00-07:00")),
        Map.entry("ALERT_QUIET_HOURS='07:00-07:00 UTC' must be a daily window", Map.of(
            NtfyProvider.BASE_URL, "https://ntfy.example", NtfyProvider.QUIET_HOURS,
            "07:00-07:00 UTC")));
  }

  @Test
  void alertConfigFindsTheNtfyProviderByServiceLoader() {
    AlertConfig config = AlertConfig.from(Map.of(
        "ALERT_ROUTES", "warning:ntfy=3",
        "NTFY_BASE_URL", "https://ntfy.cabal.example",
        "NTFY_TOKEN", TOKEN));

    assertEquals(Set.of("ntfy"), config.transports().keySet());
    assertInstanceOf(NtfyTransport.class, config.transports().get("ntfy"));
    assertEquals(List.of(new Route("ntfy", 3)), config.routes().firing(Severity.WARNING));
    assertEquals(List.of(new Route("ntfy", 3)), config.routes().resolved(Severity.WARNING),
        "recoveries at ntfy's quiet priority");
  }

  @Test
  void providerNamesItselfAndItsScale() {
    NtfyProvider provider = new NtfyProvider();
    assertEquals("ntfy", provider.name());
    assertEquals(new TransportProvider.Priorities(1, 5, 3), provider.priorities());
  }

  @Test
  void badSettingsAreReportedTogetherEachNamingItsKey() {
    Map<String, String> values = new HashMap<>();
    values.put("ALERT_ROUTES", "warning:ntfy=3");
    values.put("NTFY_BASE_URL", "ftp://ntfy.cabal.example");
    values.put("NTFY_TOPIC", "alerts and more");
    values.put("NTFY_TOPIC_CRITICAL", "x".repeat(65));
    values.put("NTFY_TOKEN", TOKEN);
    values.put("NTFY_USER", "alerts");
    values.put("NTFY_TAGS_WARNING", "warning,,lock");
    values.put("NTFY_LABEL_TAGS", "instance,not a label");
    values.put("NTFY_MARKDOWN", "yes");

    ConfigException e = assertThrows(ConfigException.class, () -> AlertConfig.from(values));

    List<String> problems = e.problems();
    assertEquals(7, problems.size(), e.getMessage());
    assertStartsWith("NTFY_BASE_URL='ftp://ntfy.cabal.example' must be an absolute http(s) URL",
        problems.get(0));
    assertStartsWith("NTFY_TOPIC='alerts and more' must be 1 to 64 letters", problems.get(1));
    assertStartsWith("NTFY_TOPIC_CRITICAL='xxx", problems.get(2));
    assertStartsWith("NTFY_TOKEN and NTFY_USER/NTFY_PASSWORD are both set", problems.get(3));
    assertStartsWith("NTFY_TAGS_WARNING='warning,,lock' must be", problems.get(4));
    assertStartsWith("NTFY_LABEL_TAGS='instance,not a label' must be", problems.get(5));
    assertEquals("NTFY_MARKDOWN='yes' must be true or false", problems.get(6));
    assertFalse(e.getMessage().contains(TOKEN), "the token is never printed");
  }

  @Test
  void missingBaseUrlIsReported() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> AlertConfig.from(Map.of("ALERT_ROUTES", "warning:ntfy=3")));

    assertEquals(List.of("NTFY_BASE_URL is required: an http(s) URL"), e.problems());
  }

  @Test
  void priorityOutsideOneToFiveInTheRoutesIsReported() {
    ConfigException e = assertThrows(ConfigException.class, () -> AlertConfig.from(Map.of(
        "ALERT_ROUTES", "critical:ntfy=6",
        "NTFY_BASE_URL", "https://ntfy.cabal.example")));

    assertEquals(List.of("ALERT_ROUTES: priority 6 of transport 'ntfy' is outside 1..5"),
        e.problems());
  }

  @Test
  void userWithoutPasswordIsReportedAndAPasswordAloneToo() {
    assertEquals(List.of("NTFY_PASSWORD is required: NTFY_USER is set"),
        problems("NTFY_USER", "alerts"));
    List<String> problems = problems("NTFY_PASSWORD", "s3cret-pässword");
    assertEquals(List.of("NTFY_USER is required: NTFY_PASSWORD is set"), problems);
  }

  @Test
  void tokenWithABearerPrefixIsReportedWithoutPrintingIt() {
    List<String> problems = problems("NTFY_TOKEN", "Bearer " + TOKEN);

    assertEquals(1, problems.size());
    assertStartsWith("NTFY_TOKEN must be the bare access token", problems.get(0));
    assertFalse(problems.get(0).contains(TOKEN));
  }

  @Test
  void credentialsInTheBaseUrlAreReportedWithoutEchoingThem() {
    List<String> problems = problems(
        "NTFY_BASE_URL", "https://alerts:hunter2@ntfy.cabal.example", "NTFY_TOKEN", null);

    assertEquals(List.of("NTFY_BASE_URL must not contain credentials; set NTFY_TOKEN or NTFY_USER"
        + " and NTFY_PASSWORD instead"), problems);
  }

  @Test
  void baseUrlWithAQueryIsReported() {
    assertEquals(List.of("NTFY_BASE_URL='https://ntfy.cabal.example/?auth=x' must not have a"
            + " query or fragment"),
        problems("NTFY_BASE_URL", "https://ntfy.cabal.example/?auth=x"));
  }

  @Test
  void defaultsPublishToAlertsWithEmojiTagsAndNoMarkdown() {
    Settings settings = Settings.of(Map.of("NTFY_BASE_URL", "https://ntfy.cabal.example"));

    NtfySettings ntfy = NtfySettings.read(settings);

    assertEquals(List.of(), settings.problems());
    assertEquals(URI.create("https://ntfy.cabal.example/"), ntfy.publishUrl());
    assertEquals(Map.of(Severity.CRITICAL, "alerts", Severity.WARNING, "alerts",
        Severity.INFO, "alerts"), ntfy.topics());
    assertEquals(Map.of(Severity.CRITICAL, List.of("rotating_light"),
        Severity.WARNING, List.of("warning"), Severity.INFO, List.of("information_source")),
        ntfy.firingTags());
    assertEquals(List.of("white_check_mark"), ntfy.resolvedTags());
    assertEquals(List.of("instance", "service"), ntfy.labelTags());
    assertFalse(ntfy.markdown());
    assertEquals(Optional.empty(), ntfy.authorization());
  }

  @Test
  void topicPerSeverityAndNoTagsCanBeChosen() {
    Settings settings = Settings.of(Map.of(
        "NTFY_BASE_URL", "http://ntfy.internal:8080/ntfy",
        "NTFY_TOPIC", "cabal-alerts",
        "NTFY_TOPIC_CRITICAL", "cabal_critical",
        "NTFY_TAGS_INFO", "none",
        "NTFY_LABEL_TAGS", "none"));

    NtfySettings ntfy = NtfySettings.read(settings);

    assertEquals(List.of(), settings.problems());
    assertEquals(URI.create("http://ntfy.internal:8080/ntfy/"), ntfy.publishUrl());
    assertEquals("cabal_critical", ntfy.topics().get(Severity.CRITICAL));
    assertEquals("cabal-alerts", ntfy.topics().get(Severity.WARNING));
    assertEquals(List.of(), ntfy.firingTags().get(Severity.INFO));
    assertEquals(List.of(), ntfy.labelTags());
  }

  @Test
  void settingsNeverPrintTheirSecrets() {
    Settings settings = Settings.of(Map.of(
        "NTFY_BASE_URL", "https://ntfy.cabal.example", "NTFY_TOKEN", TOKEN));

    String text = NtfySettings.read(settings).toString();

    assertFalse(text.contains(TOKEN), text);
    assertTrue(text.contains("<redacted>"), text);
  }

  /** The problems of ntfy settings with a base URL and a token, changed by {@code more}. */
  private static List<String> problems(String... more) {
    Map<String, String> values =
        NtfyFixtures.settings(URI.create("https://ntfy.cabal.example"), "NTFY_TOKEN", null);
    for (int i = 0; i < more.length; i += 2) {
      if (more[i + 1] == null) {
        values.remove(more[i]);
      } else {
        values.put(more[i], more[i + 1]);
      }
    }
    Settings settings = Settings.of(values);
    NtfySettings.read(settings);
    return settings.problems();
  }

  private static void assertStartsWith(String prefix, String actual) {
    assertTrue(actual.startsWith(prefix), "expected to start with <" + prefix + "> but was <"
        + actual + ">");
  }

  @Test
  void publisherTokenIsTheOlderNameOfTheToken() {
    Settings settings = Settings.of(Map.of(NtfyProvider.BASE_URL, "https://ntfy.example",
        NtfyProvider.PUBLISHER_TOKEN, "tk_legacy"));
    assertTrue(NtfySettings.read(settings).authorization().isPresent());
    assertEquals(List.of(), settings.problems());

    Settings both = Settings.of(Map.of(NtfyProvider.BASE_URL, "https://ntfy.example",
        NtfyProvider.PUBLISHER_TOKEN, "tk_legacy", NtfyProvider.TOKEN, "tk_new"));
    ConfigException e = assertThrows(ConfigException.class, () -> new NtfyProvider().create(both));
    assertEquals(List.of("NTFY_TOKEN and its older name NTFY_PUBLISHER_TOKEN are both set: keep"
        + " one"), e.problems());
  }

  @Test
  void typedConfigBuildsATransportAndIsValidatedLikeTheEnvironment() {
    NtfyConfig config = NtfyConfig.builder(URI.create("https://ntfy.example"))
        .topic("alerts").token(Secret.of("tk_embedder")).markdown(true).build();
    assertTrue(NtfyProvider.transport(config) instanceof NtfyTransport);
    assertFalse(config.toString().contains("tk_embedder"), config.toString());

    ConfigException e = assertThrows(ConfigException.class,
        () -> NtfyConfig.builder(URI.create("ftp://ntfy.example")).topic("bad topic!")
            .token(Secret.of("Bearer tk_x")).build());
    assertEquals(3, e.problems().size(), e.getMessage());
    assertTrue(e.getMessage().contains("NTFY_BASE_URL='ftp://ntfy.example'"), e.getMessage());
    assertTrue(e.getMessage().contains("NTFY_TOPIC='bad topic!'"), e.getMessage());
    assertTrue(e.getMessage().contains("NTFY_TOKEN must be the bare access token"), e.getMessage());
    assertFalse(e.getMessage().contains("tk_x"), e.getMessage());
  }

  @Test
  void theIncidentSettingsAreReadOnceTypedOrFromTheEnvironment() {
    NtfyConfig typed = NtfyConfig.builder(URI.create("https://ntfy.example"))
        .onResolved("clear").escalation("oncall-backup", java.time.Duration.ofMinutes(15))
        .quietHours("22:00-07:00 Europe/Berlin").build();
    NtfySettings read = typed.settings();
    assertEquals(NtfySettings.OnResolved.CLEAR, read.onResolved());
    assertEquals("oncall-backup", read.escalationTopic());
    assertEquals(java.time.Duration.ofMinutes(15), read.escalateAfter());
    assertEquals("22:00-07:00 Europe/Berlin", read.quietHours().toString());
    assertTrue(typed.toString().contains("escalation=oncall-backup after 900s"), typed.toString());

    Settings environment = Settings.of(Map.of(NtfyProvider.BASE_URL, "https://ntfy.example",
        NtfyProvider.ON_RESOLVED, "Delete", NtfyProvider.ESCALATE_AFTER, "10500ms",
        NtfyProvider.ESCALATE_TOPIC, "oncall"));
    NtfySettings fromEnvironment = NtfySettings.read(environment);
    assertEquals(List.of(), environment.problems());
    assertEquals(NtfySettings.OnResolved.DELETE, fromEnvironment.onResolved());
    assertEquals(java.time.Duration.ofSeconds(11), fromEnvironment.escalateAfter(),
        "ntfy schedules whole seconds: a fraction is rounded up");

    NtfySettings defaults = NtfySettings.read(
        Settings.of(Map.of(NtfyProvider.BASE_URL, "https://ntfy.example")));
    assertEquals(NtfySettings.OnResolved.REPLACE, defaults.onResolved());
    assertEquals(null, defaults.escalationTopic());
    assertEquals(null, defaults.quietHours());
  }

  @Test
  void everyKeyIsDeclared() {
    List<String> keys = new NtfyProvider().settingKeys();
    for (String key : List.of("NTFY_BASE_URL", "NTFY_TOPIC", "NTFY_TOKEN", "NTFY_PUBLISHER_TOKEN",
        "NTFY_USER", "NTFY_PASSWORD", "NTFY_TAGS_RESOLVED", "NTFY_LABEL_TAGS", "NTFY_MARKDOWN",
        "NTFY_TOPIC_CRITICAL", "NTFY_TAGS_INFO", "NTFY_ON_RESOLVED", "NTFY_ESCALATE_TOPIC",
        "ALERT_ESCALATE_AFTER", "ALERT_QUIET_HOURS")) {
      assertTrue(keys.contains(key), key + " in " + keys);
    }
  }

  @Test
  void aTokenNeverGoesOverPlainHttpToAnotherHostButAnonymousPublishingMay() {
    Settings withToken = Settings.of(Map.of(NtfySettings.BASE_URL, "http://ntfy.lan",
        NtfySettings.TOKEN, "tk_AgQdq7mVBoFD37zQVN29RhuMzNIz2"));
    NtfySettings.read(withToken);
    assertTrue(withToken.problems().stream().anyMatch(p -> p.startsWith(
        NtfySettings.BASE_URL + " is plain http:// to ntfy.lan")), withToken.problems().toString());

    Settings anonymous = Settings.of(Map.of(NtfySettings.BASE_URL, "http://ntfy.lan"));
    assertEquals(URI.create("http://ntfy.lan/"), NtfySettings.read(anonymous).publishUrl());
    assertTrue(anonymous.problems().isEmpty(), anonymous.problems().toString());

    Settings allowed = Settings.of(Map.of(NtfySettings.BASE_URL, "http://ntfy.lan",
        NtfySettings.TOKEN, "tk_AgQdq7mVBoFD37zQVN29RhuMzNIz2", Settings.ALLOW_PLAIN_HTTP, "true"));
    assertEquals(URI.create("http://ntfy.lan/"), NtfySettings.read(allowed).publishUrl());
    assertTrue(allowed.problems().isEmpty(), allowed.problems().toString());
  }
}
