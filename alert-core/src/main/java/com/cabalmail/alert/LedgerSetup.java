package com.cabalmail.alert;

import com.cabalmail.alert.ledger.DeliveryLedger;
import com.cabalmail.alert.ledger.LedgerPolicy;
import com.cabalmail.alert.ledger.LedgerProvider;
import com.cabalmail.alert.spi.Settings;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the delivery ledger's and the page storm guard's settings: which ledger
 * ({@code memory}, {@code none}, or a plugin's name, found by the same {@link Plugins}
 * discovery as transports), its policy, and the guard. Problems are added to the caller's list, each naming its key.
 */
final class LedgerSetup {

  static final String MEMORY = "memory";
  static final String NONE = "none";
  /** The DynamoDB ledger plugin's name and table setting, checked against the choice made. */
  static final String DYNAMODB = "dynamodb";
  static final String DYNAMODB_TABLE = "ALERT_LEDGER_TABLE";

  final DeliveryLedger ledger;
  final LedgerPolicy policy;
  final PageStormGuard pageStorm;

  private LedgerSetup(DeliveryLedger ledger, LedgerPolicy policy, PageStormGuard pageStorm) {
    this.ledger = ledger;
    this.policy = policy;
    this.pageStorm = pageStorm;
  }

  static LedgerSetup read(Settings settings, Duration transportTimeout, ClassLoader loader,
      List<String> problems) {
    LedgerPolicy defaults = LedgerPolicy.defaults();
    Duration window = settings.duration(AlertConfig.REPEAT_WINDOW, defaults.repeatWindow(),
        Duration.ofMinutes(1), Duration.ofDays(7));
    Duration lease = settings.duration(AlertConfig.LEDGER_LEASE, defaults.lease(),
        Duration.ofSeconds(1), Duration.ofMinutes(15));
    Duration hold = settings.duration(AlertConfig.LEDGER_REJECTION_HOLD,
        defaults.rejectionHold(), Duration.ofSeconds(1), Duration.ofDays(7));
    Duration timeout = settings.duration(AlertConfig.LEDGER_TIMEOUT, defaults.callTimeout(),
        Duration.ofMillis(10), Duration.ofSeconds(5));
    String name = settings.string(AlertConfig.LEDGER, MEMORY).toLowerCase(Locale.ROOT);
    if (!name.equals(DYNAMODB) && settings.isSet(DYNAMODB_TABLE)) {
      // The quiet trap: a table configured, and the process forgetting everything on exit.
      problems.add(DYNAMODB_TABLE + " is set, but " + AlertConfig.LEDGER + " is '" + name + "'"
          + (settings.isSet(AlertConfig.LEDGER) ? "" : " (the default)") + ": set "
          + AlertConfig.LEDGER + "=dynamodb to use the table, or remove " + DYNAMODB_TABLE);
    }
    if (!name.equals(NONE) && lease.compareTo(transportTimeout) <= 0) {
      problems.add(AlertConfig.LEDGER_LEASE + " (" + lease.toMillis() + " ms) must be longer"
          + " than " + AlertConfig.TRANSPORT_TIMEOUT + " (" + transportTimeout.toMillis()
          + " ms): a claim would lapse while its delivery still runs");
    }
    int limit = settings.integer(AlertConfig.PAGE_STORM_LIMIT, PageStormGuard.DEFAULT_LIMIT, 0,
        1000);
    String pager = settings.string(AlertConfig.PAGE_STORM_TRANSPORT,
        PageStormGuard.DEFAULT_TRANSPORT);
    DeliveryLedger ledger = null;
    if (name.equals(MEMORY)) {
      ledger = DeliveryLedger.inMemory();
    } else if (!name.equals(NONE)) {
      ledger = plugin(name, settings, loader, problems);
    }
    return new LedgerSetup(ledger, new LedgerPolicy(window, lease, hold, timeout),
        new PageStormGuard(pager, limit));
  }

  private static DeliveryLedger plugin(String name, Settings settings, ClassLoader loader,
      List<String> problems) {
    Map<String, LedgerProvider> found = Plugins.ledgers(loader, problems);
    LedgerProvider provider = found.get(name);
    if (provider == null) {
      problems.add(AlertConfig.LEDGER + ": ledger '" + name + "' is not on the class path (add"
          + " the alert-ledger-" + name + " artifact); available: "
          + String.join(", ", new java.util.TreeSet<>(concat(found.keySet()))));
      return null;
    }
    try {
      return provider.create(settings);
    } catch (RuntimeException e) {
      problems.add(AlertConfig.LEDGER + ": ledger '" + name + "' could not be built: " + e);
      return null;
    }
  }

  private static List<String> concat(java.util.Set<String> plugins) {
    List<String> all = new java.util.ArrayList<>(plugins);
    all.add(MEMORY);
    all.add(NONE);
    return all;
  }
}
