package com.cabalmail.alert.ledger.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.cabalmail.alert.ledger.DeliveryLedger;
import com.cabalmail.alert.ledger.LedgerEntry;
import com.cabalmail.alert.testkit.LedgerTestKit;
import com.cabalmail.aws.DynamoDb;
import com.cabalmail.aws.testkit.MotoServer;
import com.cabalmail.http.Deadline;
import com.cabalmail.http.HttpDelivery;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ledger test kit against a real DynamoDB peer: moto's server, a fresh table per test,
 * reached over HTTP with signed JSON 1.0 requests as in production.
 */
class DynamoDbLedgerIT extends LedgerTestKit {

  private static MotoServer moto;
  private static final AtomicInteger TABLES = new AtomicInteger();

  @BeforeAll
  static void startMoto() throws Exception {
    moto = MotoServer.start();
  }

  @AfterAll
  static void stopMoto() throws IOException {
    if (moto != null) {
      moto.close();
    }
  }

  static Map<String, String> environment(String endpoint) {
    return Map.of("AWS_REGION", MotoServer.REGION, "AWS_ACCESS_KEY_ID", "AKIDEXAMPLE",
        "AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        "AWS_ENDPOINT_URL_DYNAMODB", endpoint);
  }

  @Override
  protected DeliveryLedger newLedger() {
    String table = "ledger-" + TABLES.incrementAndGet();
    try {
      moto.createTable(table, "pk");
      return new DynamoDbLedger(DynamoDb.fromEnvironment(environment(moto.endpoint()),
          HttpDelivery.shared()), table);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

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
