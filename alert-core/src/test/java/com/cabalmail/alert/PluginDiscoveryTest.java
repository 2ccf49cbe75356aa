package com.cabalmail.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cabalmail.alert.spi.Settings;
import com.cabalmail.alert.testkit.CapturedLogs;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Configuration read as a value, and transports and ledgers found by one discovery. */
class PluginDiscoveryTest {

  /** The test class path's transports (one broken) plus the ledgers listed here. */
  static URLClassLoader ledgers(Path dir, String... classes) throws IOException {
    Path services = dir.resolve("META-INF/services");
    Files.createDirectories(services);
    StringBuilder list = new StringBuilder();
    for (String name : classes) {
      list.append("com.cabalmail.alert.TestLedgers$").append(name).append('\n');
    }
    Files.writeString(services.resolve("com.cabalmail.alert.ledger.LedgerProvider"), list);
    return new URLClassLoader(new URL[] {dir.toUri().toURL()},
        PluginDiscoveryTest.class.getClassLoader());
  }

  @Test
  void oneFailurePerBadKeyAcrossTransportsAndLedger(@TempDir Path dir) throws IOException {
    try (URLClassLoader loader = ledgers(dir, "Book")) {
      Settings settings = Settings.of(Map.of(
          "ALERT_ROUTES", "critical:pager=1,feed=5;warning:pager=2",
          "ALERT_DEADLINE", "never",
          "ALERT_LEDGER", "book"));

      Validated<AlertConfig> config = AlertConfig.read(settings, RoutingTable.DEFAULT, loader);

      assertFalse(config.isValid());
      assertEquals(List.of("ALERT_DEADLINE", "PAGER_TOKEN", "BOOK_TABLE"),
          ValidatedTest.properties(config));
      assertEquals(List.of(
          "ALERT_DEADLINE='never' must be a duration from 100ms to 900s (e.g. 750ms, 5s, 2m)",
          "PAGER_TOKEN is required: the pager transport is routed",
          "BOOK_TABLE is required: the book ledger is chosen"),
          config.failures().stream().map(Validated.Failure::message).toList());
    }
  }

  @Test
  void aValidConfigurationIsAValueWithTheChosenPluginLedger(@TempDir Path dir)
      throws IOException {
    try (URLClassLoader loader = ledgers(dir, "Book")) {
      Validated<AlertConfig> config = AlertConfig.read(Settings.of(Map.of(
          "ALERT_ROUTES", "warning:feed=3", "ALERT_LEDGER", "book", "BOOK_TABLE", "t")),
          RoutingTable.DEFAULT, loader);

      assertTrue(config.isValid(), config.toString());
      assertTrue(config.orElseThrow().ledger().isPresent());
    }
  }

  @Test
  void oneDiscoverySkipsBrokenTransportsAndLedgersAlike(@TempDir Path dir) throws IOException {
    CapturedLogs.clear();
    try (URLClassLoader loader = ledgers(dir, "BrokenLedger", "NullNameLedger", "Book")) {
      Validated<AlertConfig> config = AlertConfig.read(Settings.of(Map.of(
          "ALERT_ROUTES", "warning:feed=3", "ALERT_LEDGER", "book", "BOOK_TABLE", "t")),
          RoutingTable.DEFAULT, loader);

      assertTrue(config.isValid(), config.toString());
      String logs = CapturedLogs.text();
      assertTrue(logs.contains("skipping a transport provider that failed to load"), logs);
      assertTrue(logs.contains("skipping a ledger provider that failed to load"), logs);
      assertTrue(logs.contains("skipping ledger provider com.cabalmail.alert.TestLedgers"
          + "$NullNameLedger: its name (null) must be lower-case letters, digits and dashes"),
          logs);
      assertEquals(List.of("book"), List.copyOf(Plugins.ledgers(loader, List.of()).keySet()));
      assertEquals(List.of("feed", "pager"),
          List.copyOf(Plugins.transports(loader, List.of()).keySet()));
    }
  }

  @Test
  void twoLedgersWithOneNameAreAProblemNamingBoth(@TempDir Path dir) throws IOException {
    try (URLClassLoader loader = ledgers(dir, "Book", "BookTwin")) {
      Validated<AlertConfig> config = AlertConfig.read(Settings.of(Map.of(
          "ALERT_ROUTES", "warning:feed=3", "ALERT_LEDGER", "book", "BOOK_TABLE", "t")),
          RoutingTable.DEFAULT, loader);

      assertEquals(List.of("two ledger providers are named 'book':"
          + " com.cabalmail.alert.TestLedgers$Book and com.cabalmail.alert.TestLedgers$BookTwin;"
          + " remove one from the class path"),
          config.failures().stream().map(Validated.Failure::message).toList());
    }
  }
}
