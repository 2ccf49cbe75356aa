package com.cabalmail.alert.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cabalmail.alert.ConfigException;
import com.cabalmail.alert.spi.Settings;
import com.cabalmail.alert.spi.TransportProvider;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The contract every transport provider shares, checked without HTTP: {@link ServiceLoader}
 * finds it through its services file; its name is in the alphabet routes use; every setting
 * key it is given here is declared in {@link TransportProvider#settingKeys()}; valid settings
 * build a transport and record no problem; and each missing or bad setting is exactly one
 * {@link ConfigException} problem naming its key (never a transport, never a repeat of a
 * problem found before the provider ran). A plugin's provider test extends this class, gives
 * the settings, and adds its own cases beside; {@link TransportTestKit} checks the transport.
 */
public abstract class ProviderTestKit {

  /** For subclasses. */
  protected ProviderTestKit() {}

  /** A new provider, as {@link ServiceLoader} builds it. */
  protected abstract TransportProvider provider();

  /** Settings, secrets included, with which the provider builds a working transport. */
  protected abstract Map<String, String> validSettings();

  /**
   * Settings the provider must refuse, each under the start of the one problem they cause,
   * which names the key: e.g. {@code "NTFY_BASE_URL is required"} for settings without it.
   */
  protected abstract Map<String, Map<String, String>> badSettings();

  @Test
  void kit_serviceLoaderFindsTheProvider() {
    Class<?> type = provider().getClass();
    List<Class<?>> found = ServiceLoader.load(TransportProvider.class, type.getClassLoader())
        .stream().map(ServiceLoader.Provider::type).collect(Collectors.toList());

    assertTrue(found.contains(type), type.getName() + " is not in"
        + " META-INF/services/com.cabalmail.alert.spi.TransportProvider; found " + found);
  }

  @Test
  void kit_nameIsLowerCaseLettersDigitsAndDashes() {
    String name = provider().name();

    assertNotNull(name, "name()");
    assertTrue(name.matches("[a-z0-9-]+"), "name() '" + name + "'");
  }

  @Test
  void kit_everyKeyGivenHereIsDeclared() {
    List<String> declared = provider().settingKeys();
    Set<String> given = new TreeSet<>(validSettings().keySet());
    badSettings().values().forEach(settings -> given.addAll(settings.keySet()));
    given.removeAll(declared);

    assertEquals(Set.copyOf(declared).size(), declared.size(), "a key declared twice: " + declared);
    assertEquals(Set.of(), given, "read but not in settingKeys()");
  }

  @Test
  void kit_validSettingsBuildATransportAndRecordNoProblem() {
    Settings settings = Settings.of(validSettings());

    assertNotNull(provider().create(settings), "create()");
    assertEquals(List.of(), settings.problems());
  }

  @Test
  void kit_eachBadSettingIsOneProblemNamingItsKeyAndNoTransport() {
    assertFalse(badSettings().isEmpty(), "badSettings() gives no case");
    badSettings().forEach((problem, values) -> {
      Settings settings = Settings.of(values);
      settings.problem("EARLIER problem, not this provider's");

      ConfigException e = assertThrows(ConfigException.class,
          () -> provider().create(settings), problem);

      assertEquals(1, e.problems().size(), e.getMessage());
      assertTrue(e.problems().get(0).startsWith(problem), e.getMessage());
    });
  }
}
