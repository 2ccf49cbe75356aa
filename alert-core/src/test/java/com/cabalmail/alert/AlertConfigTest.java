package com.cabalmail.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cabalmail.alert.spi.Settings;
import com.cabalmail.alert.testkit.CapturedLogs;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlertConfigTest {

  @Test
  void providersOnTheClassPathAreFoundAndOnlyRoutedOnesAreBuilt() {
    AlertConfig config = AlertConfig.from(Map.of(
        "ALERT_ROUTES", "critical:pager=2,feed=5;warning:feed=3",
        "PAGER_TOKEN", "tok-123"));

    assertEquals(List.of("pager", "feed"), List.copyOf(config.transports().keySet()));
    assertEquals(List.of(new Route("pager", 2), new Route("feed", 5)),
        config.routes().firing(Severity.CRITICAL));
    assertEquals(List.of(new Route("pager", 0), new Route("feed", 3)),
        config.routes().resolved(Severity.CRITICAL), "recoveries go quietly to the same places");
    assertEquals(AlertConfig.DEFAULT_TRANSPORT_TIMEOUT, config.transportTimeout());
  }

  @Test
  void unknownTransportBadPriorityAndUnknownSeverityAreReportedTogether() {
    ConfigException e = assertThrows(ConfigException.class, () -> AlertConfig.from(Map.of(
        "ALERT_ROUTES", "critical:gotify=1,pager=9;urgent:feed=3",
        "PAGER_TOKEN", "tok-123")));

    assertEquals(3, e.problems().size(), e.getMessage());
    assertEquals("ALERT_ROUTES: unknown severity 'urgent'; allowed: critical, warning, info in entry"
        + " 'urgent:feed=3' (keys are <severity>, <severity>.resolved or resolved)",
        e.problems().get(0));
    assertEquals("ALERT_ROUTES: transport 'gotify' is not on the class path (add the alert-gotify"
        + " artifact); available: feed, pager", e.problems().get(1));
    assertEquals("ALERT_ROUTES: priority 9 of transport 'pager' is outside 0..2",
        e.problems().get(2));
    assertTrue(e.getMessage().startsWith("3 configuration problems"), e.getMessage());
  }

  @Test
  void transportSettingsAndTimeoutsAreReportedWithTheRoutes() {
    ConfigException e = assertThrows(ConfigException.class, () -> AlertConfig.from(Map.of(
        "ALERT_ROUTES", "critical:pager=1,nope",
        "ALERT_TRANSPORT_TIMEOUT", "soon")));

    assertEquals(List.of(
        "ALERT_TRANSPORT_TIMEOUT='soon' must be a duration from 100ms to 900s (e.g. 750ms, 5s, 2m)",
        "PAGER_TOKEN is required: the pager transport is routed",
        "ALERT_ROUTES: route 'nope' is not <transport>=<priority>"), e.problems());

    ConfigException missingToken = assertThrows(ConfigException.class,
        () -> AlertConfig.from(Map.of("ALERT_ROUTES", "critical:pager=1")));
    assertEquals(List.of("PAGER_TOKEN is required: the pager transport is routed"),
        missingToken.problems());
  }

  @Test
  void problemsTheCallerRecordedComeInTheSameException() {
    Settings settings = Settings.of(Map.of("ALERT_ROUTES", "warning:feed=3"));
    settings.problem("SHARED_SECRET_PARAM is required");

    ConfigException e = assertThrows(ConfigException.class,
        () -> AlertConfig.from(settings, RoutingTable.DEFAULT, getClass().getClassLoader()));

    assertEquals(List.of("SHARED_SECRET_PARAM is required"), e.problems());
  }

  @Test
  void aProviderThatFailsToLoadIsLoggedAndSkipped() {
    CapturedLogs.clear();

    AlertConfig config = AlertConfig.from(Map.of("ALERT_ROUTES", "warning:feed=3"));

    assertEquals(List.of("feed"), List.copyOf(config.transports().keySet()));
    assertTrue(CapturedLogs.text().contains("skipping a transport provider that failed to load"),
        CapturedLogs.text());
    ConfigException e = assertThrows(ConfigException.class,
        () -> AlertConfig.from(Map.of("ALERT_ROUTES", "warning:broken=0")));
    assertTrue(e.getMessage().contains("available: feed, pager"), e.getMessage());
  }

  @Test
  void twoProvidersWithOneNameAreAConfigurationErrorNamingBoth(@TempDir Path dir)
      throws IOException {
    Path services = dir.resolve("META-INF/services");
    Files.createDirectories(services);
    Files.writeString(services.resolve("com.cabalmail.alert.spi.TransportProvider"),
        "com.cabalmail.alert.TestProviders$PagerTwin\n");
    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {

      ConfigException e = assertThrows(ConfigException.class, () -> AlertConfig.from(
          Settings.of(Map.of("ALERT_ROUTES", "warning:feed=3")), RoutingTable.DEFAULT, loader));

      assertEquals(List.of("two transport providers are named 'pager': "
          + "com.cabalmail.alert.TestProviders$Pager and com.cabalmail.alert.TestProviders$PagerTwin;"
          + " remove one from the class path"), e.problems());
    }
  }

  @Test
  void timeoutsAreRead() {
    AlertConfig config = AlertConfig.from(Map.of("ALERT_ROUTES", "warning:feed=3",
        "ALERT_TRANSPORT_TIMEOUT", "1500ms", "ALERT_DEADLINE", "PT9S"));

    assertEquals(Duration.ofMillis(1500), config.transportTimeout());
    assertEquals(Duration.ofSeconds(9), config.deadline());
  }

  @Test
  void secretValuesNeverAppearInProblems() {
    ConfigException e = assertThrows(ConfigException.class, () -> AlertConfig.from(Map.of(
        "ALERT_ROUTES", "critical:pager=7", "PAGER_TOKEN", "tok-very-secret")));

    assertFalse(e.getMessage().contains("tok-very-secret"), e.getMessage());
  }

  /** A class loader that also finds the providers {@code classes} (of {@link TestProviders}). */
  static URLClassLoader listing(Path dir, String... classes) throws IOException {
    Path services = dir.resolve("META-INF/services");
    Files.createDirectories(services);
    StringBuilder list = new StringBuilder();
    for (String name : classes) {
      list.append("com.cabalmail.alert.TestProviders$").append(name).append('\n');
    }
    Files.writeString(services.resolve("com.cabalmail.alert.spi.TransportProvider"), list);
    return new URLClassLoader(new URL[] {dir.toUri().toURL()},
        AlertConfigTest.class.getClassLoader());
  }

  @Test
  void aProviderThrowingTheSharedSettingsReportsEveryEarlierProblemOnce(@TempDir Path dir)
      throws IOException {
    try (URLClassLoader loader = listing(dir, "SharedSettingsThrower")) {
      Settings settings = Settings.of(Map.of("ALERT_ROUTES", "critical:strict=1,pager=1",
          "ALERT_DEADLINE", "never"));
      settings.problem("ALERT_SECRET is required: recorded by the caller");

      ConfigException e = assertThrows(ConfigException.class,
          () -> AlertConfig.from(settings, RoutingTable.DEFAULT, loader));

      assertEquals(List.of(
          "ALERT_SECRET is required: recorded by the caller",
          "ALERT_DEADLINE='never' must be a duration from 100ms to 900s (e.g. 750ms, 5s, 2m)",
          "STRICT_URL is required: an http(s) URL",
          "PAGER_TOKEN is required: the pager transport is routed"), e.problems());
    }
  }

  @Test
  void providersWithANullThrowingOrOffAlphabetNameAreLoggedAndSkipped(@TempDir Path dir)
      throws IOException {
    CapturedLogs.clear();
    try (URLClassLoader loader = listing(dir, "NullName", "ThrowingName", "OffAlphabetName")) {

      ConfigException e = assertThrows(ConfigException.class, () -> AlertConfig.from(
          Settings.of(Map.of("ALERT_ROUTES", "warning:feed=3,gotify=1")), RoutingTable.DEFAULT,
          loader));

      assertEquals(List.of("ALERT_ROUTES: transport 'gotify' is not on the class path (add the"
          + " alert-gotify artifact); available: feed, pager"), e.problems());
      String logs = CapturedLogs.text();
      assertTrue(logs.contains("skipping transport provider com.cabalmail.alert.TestProviders"
          + "$NullName: its name (null) must be lower-case letters, digits and dashes"), logs);
      assertTrue(logs.contains("skipping transport provider com.cabalmail.alert.TestProviders"
          + "$ThrowingName: name() threw java.lang.IllegalStateException: no name today"), logs);
      assertTrue(logs.contains("skipping transport provider com.cabalmail.alert.TestProviders"
          + "$OffAlphabetName: its name 'Pager_2' must be lower-case letters, digits and"
          + " dashes"), logs);
    }
  }

  @Test
  void transportKeysAreWhatTheProvidersDeclareSkippingOneThatThrows(@TempDir Path dir)
      throws IOException {
    CapturedLogs.clear();
    try (URLClassLoader loader = listing(dir, "ThrowingKeys")) {
      assertEquals(Set.of("PAGER_TOKEN"), AlertConfig.transportKeys(loader));
      assertTrue(CapturedLogs.text().contains("$ThrowingKeys: settingKeys() threw"),
          CapturedLogs.text());
    }
  }
}
