package com.cabalmail.alert;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cabalmail.alert.ledger.DeliveryLedger;
import com.cabalmail.alert.testkit.DeliveryModel;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The delivery model ({@link DeliveryModel}) on the in-memory ledger, in every build:
 * {@value #SEQUENCES} seeded sequences of {@value #STEPS} steps. A failure names its seed.
 */
class DeliveryModelTest {

  static final int SEQUENCES = 2_000;
  static final int STEPS = 40;
  /** The first seed; a build runs the same sequences every time. */
  static final long FIRST_SEED = 20_261_207L;

  @Test
  void neverLosesAPageNorRepeatsOneWithinItsWindow() {
    int routed = DeliveryModel.check(SEQUENCES, STEPS, Long.getLong("model.seed", FIRST_SEED),
        DeliveryLedger::inMemory,
        Duration.ofMillis(100));
    assertTrue(routed > SEQUENCES * STEPS / 2, "routed only " + routed + " requests");
    System.out.println("delivery model: " + SEQUENCES + " sequences, " + routed
        + " requests routed, in memory");
  }
}
