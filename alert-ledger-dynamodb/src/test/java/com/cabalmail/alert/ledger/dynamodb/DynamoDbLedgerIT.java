package com.cabalmail.alert.ledger.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.cabalmail.alert.ledger.DeliveryLedger;
import com.cabalmail.alert.ledger.LedgerEntry;
import com.cabalmail.alert.testkit.LedgerTestKit;
import com.cabalmail.aws.DynamoDb;
import com.cabalmail.aws.testkit.MotoTables;
import com.cabalmail.http.Deadline;
import com.cabalmail.http.HttpDelivery;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The ledger test kit against a real DynamoDB peer: moto's server, a fresh table per test,
 * reached over HTTP with signed JSON 1.0 requests as in production. moto is the wire format's
 * peer: it is not atomic under concurrency (two concurrent conditional claims of one key can
 * both win there), so the kit's concurrency test runs on dynalite instead, in
 * {@link DynamoDbLedgerConcurrencyIT}.
 */
class DynamoDbLedgerIT extends LedgerTestKit {

  @RegisterExtension
  static final MotoTables MOTO = new MotoTables();

  @Override
  protected DeliveryLedger newLedger() {
    try {
      String table = MOTO.newTable("ledger", "pk");
      return new DynamoDbLedger(DynamoDb.fromEnvironment(MOTO.environment(),
          HttpDelivery.shared()), table);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Not on moto, which races: {@link DynamoDbLedgerConcurrencyIT} proves it on dynalite. */
  @Test
  @Disabled("moto is not atomic under concurrency; DynamoDbLedgerConcurrencyIT proves this on"
      + " dynalite")
  @Override
  public void concurrentClaimsOfOneKeyGrantExactlyOne() {}

  @Test
  void anEntrySurvivesTheRoundTripThroughTheTable() {
    LedgerEntry claim = claim("a", T0.plusMillis(250));
    ledger.claim(claim, T0, Deadline.after(Duration.ofSeconds(5)));

    LedgerEntry stored = ledger.find(KEY, Deadline.after(Duration.ofSeconds(5))).orElseThrow();
    assertEquals(LedgerEntry.State.CLAIMED, stored.state());
    assertEquals(T0.plusMillis(250), stored.recorded(), "recorded to the millisecond");
    assertEquals(T0.plusSeconds(16), stored.expires(), "expires rounded up to the second");
    assertEquals(Optional.empty(), stored.handle());
  }
}
