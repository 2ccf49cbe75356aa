package com.cabalmail.alert.ledger.dynamodb;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cabalmail.alert.ledger.DeliveryLedger;
import com.cabalmail.alert.testkit.DeliveryModel;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The delivery model ({@link DeliveryModel}) on the DynamoDB ledger over dynalite, which locks
 * each item as DynamoDB does: {@value #SEQUENCES} seeded sequences of {@value #STEPS} steps,
 * each on a table of its own. A failure names its seed.
 */
class DeliveryModelOnDynaliteIT {

  static final int SEQUENCES = 200;
  static final int STEPS = 40;
  static final long FIRST_SEED = 20_261_207L;

  @RegisterExtension
  static final DynaliteLedgers DYNALITE = new DynaliteLedgers();

  @Test
  void neverLosesAPageNorRepeatsOneWithinItsWindow() {
    int routed = DeliveryModel.check(SEQUENCES, STEPS, FIRST_SEED, () -> {
      try {
        return DYNALITE.newLedger();
      } catch (Exception e) {
        throw new IllegalStateException("no dynalite table: " + e, e);
      }
    }, Duration.ofSeconds(1));
    assertTrue(routed > SEQUENCES * STEPS / 2, "routed only " + routed + " requests");
    System.out.println("delivery model: " + SEQUENCES + " sequences, " + routed
        + " requests routed, DynamoDB ledger on dynalite");
  }
}
