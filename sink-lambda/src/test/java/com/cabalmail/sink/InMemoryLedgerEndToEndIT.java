package com.cabalmail.sink;

import java.util.Map;

/** The ledger end to end with the in-memory store (the default). */
class InMemoryLedgerEndToEndIT extends LedgerEndToEnd {

  @Override
  Map<String, String> ledgerSettings() {
    return Map.of("ALERT_LEDGER", "memory");
  }
}
