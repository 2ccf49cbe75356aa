package com.cabalmail.alert.ledger;

import com.cabalmail.alert.spi.Settings;

/**
 * A ledger plugin, found by {@link java.util.ServiceLoader}: list the implementation in
 * {@code META-INF/services/com.cabalmail.alert.ledger.LedgerProvider}. Chosen by
 * {@code ALERT_LEDGER=<name>}; {@code memory} and {@code none} are built in. Implementations
 * are public with a cheap no-arg constructor; the work happens in {@link #create}.
 */
public interface LedgerProvider {

  /** The name {@code ALERT_LEDGER} uses, e.g. {@code dynamodb}. */
  String name();

  /**
   * Builds the ledger from its own settings, reporting every bad or missing one through
   * {@link Settings} (which names the key); may return null when a problem was reported.
   */
  DeliveryLedger create(Settings settings);

  /**
   * Optional: opens the ledger's connection ahead of {@link #create}, from the process's
   * environment alone (no secrets), while the host's init does something else (the Lambda sink
   * calls it beside its SSM read); {@link #create} then reuses that connection. Never throws:
   * a failure here is found, and reported, by {@link #create}.
   */
  default void connect(java.util.Map<String, String> environment) {}
}
