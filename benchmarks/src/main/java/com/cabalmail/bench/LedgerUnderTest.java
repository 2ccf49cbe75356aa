package com.cabalmail.bench;

import com.cabalmail.alert.AlertRouter;
import com.cabalmail.alert.Outcome;
import com.cabalmail.alert.RoutingTable;
import com.cabalmail.alert.ledger.DeliveryLedger;
import com.cabalmail.alert.ledger.dynamodb.DynamoDbLedgerProvider;
import com.cabalmail.alert.spi.Settings;
import java.io.IOException;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The ledger a ledger benchmark measures, chosen by {@link #ledger}, and the DynamoDB stand-in
 * the {@code dynamodb} one talks to: a JMH state that {@link LedgerBenchmark} and
 * {@link LedgerColdBenchmark} both take, so both run the same ledgers with the same parameters.
 */
@State(Scope.Benchmark)
public class LedgerUnderTest {

  /** Which ledger: none, memory or dynamodb. */
  @Param({"none", "memory", "dynamodb"})
  public String ledger;

  /** How long the DynamoDB stand-in takes to answer each call. */
  @Param("5")
  public int storeDelayMs;

  private DynamoDbStandIn store;

  /** Starts the DynamoDB stand-in. */
  @Setup(Level.Trial)
  public void startStore() throws IOException {
    store = DynamoDbStandIn.start(storeDelayMs);
  }

  /** Stops the DynamoDB stand-in. */
  @TearDown(Level.Trial)
  public void stopStore() {
    store.close();
  }

  /** The DynamoDB stand-in's address. */
  java.net.URI storeUrl() {
    return store.url();
  }

  /** A new ledger of the chosen kind (null for none), the DynamoDB one pointed at the stand-in. */
  DeliveryLedger newLedger() {
    switch (ledger) {
      case "none":
        return null;
      case "memory":
        return DeliveryLedger.inMemory();
      case "dynamodb":
        Settings settings = Settings.of(store.environment());
        DeliveryLedger dynamo = new DynamoDbLedgerProvider().create(settings);
        settings.requireValid();
        return dynamo;
      default:
        throw new IllegalArgumentException("ledger " + ledger);
    }
  }

  /** Cabalmail's table over two transports that accept at once, with a new ledger. */
  AlertRouter newRouter() {
    return AlertRouter.builder().routes(RoutingTable.defaults())
        .transport("pushover", (alert, priority, deadline) -> Outcome.sent("p", "", 1))
        .transport("ntfy", (alert, priority, deadline) -> Outcome.sent("n", "", 1))
        .ledger(newLedger()).build();
  }
}
