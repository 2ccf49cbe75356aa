package com.cabalmail.alert.ledger.dynamodb;

import com.cabalmail.alert.ledger.DeliveryLedger;
import com.cabalmail.alert.testkit.LedgerTestKit;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole ledger contract on dynalite, a store atomic per item as DynamoDB is, and which
 * returns no old item on a failed condition (so every "held" answer here was read back with a
 * consistent GetItem).
 */
class DynamoDbLedgerOnDynaliteIT extends LedgerTestKit {

  @RegisterExtension
  static final DynaliteLedgers DYNALITE = new DynaliteLedgers();

  @Override
  protected DeliveryLedger newLedger() {
    try {
      return DYNALITE.newLedger();
    } catch (Exception e) {
      throw new IllegalStateException("no dynalite table: " + e, e);
    }
  }
}
