package com.cabalmail.aws;

import static com.cabalmail.aws.AttributeValue.n;
import static com.cabalmail.aws.AttributeValue.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cabalmail.aws.testkit.DynaliteTables;
import com.cabalmail.http.Deadline;
import com.cabalmail.http.HttpDelivery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The DynamoDB client's conditional writes under concurrency, against a peer that is atomic
 * per item as DynamoDB is: dynalite (moto races; {@link DynamoDbIT} keeps it for the wire
 * format). Also what dynalite does differently: no old item on a failed condition.
 */
class DynamoDbOnDynaliteIT {

  @RegisterExtension
  static final DynaliteTables DYNALITE = new DynaliteTables();

  static final Condition UNCLAIMED = Condition.of("attribute_not_exists(pk) OR expires < :now",
      Map.of(":now", n(1_796_160_000L)));

  static Deadline deadline() {
    return Deadline.after(Duration.ofSeconds(20));
  }

  DynamoDb client() throws Exception {
    return DynamoDb.fromEnvironment(DYNALITE.environment(), HttpDelivery.shared());
  }

  @Test
  void concurrentConditionalPutsOfOneKeyWriteExactlyOnce() throws Exception {
    String table = DYNALITE.newTable("claims", "pk", "expires"); // no TTL there: tolerated
    DynamoDb dynamo = client();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<WriteOutcome>> puts = new ArrayList<>();
      for (int i = 0; i < 32; i++) {
        Map<String, AttributeValue> claim = Map.of("pk", s("alert-1"), "claim", s("c" + i),
            "expires", n(1_796_170_000L));
        puts.add(pool.submit(() -> {
          start.await();
          return dynamo.putItem(table, claim, UNCLAIMED, deadline());
        }));
      }
      start.countDown();
      int written = 0;
      for (Future<WriteOutcome> put : puts) {
        WriteOutcome outcome = put.get();
        if (outcome.written()) {
          written++;
        } else {
          assertInstanceOf(WriteOutcome.ConditionFailed.class, outcome);
        }
      }
      assertEquals(1, written);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aFailedConditionComesBackWithoutTheOldItemEvenWhenAskedForIt() throws Exception {
    String table = DYNALITE.newTable("old-item", "pk");
    DynamoDb dynamo = client();
    Map<String, AttributeValue> claim = Map.of("pk", s("alert-2"), "expires", n(1_796_170_000L));

    assertTrue(dynamo.putItem(table, claim, UNCLAIMED, deadline()).written());
    WriteOutcome second = dynamo.putItem(table, claim, UNCLAIMED, deadline());

    // DynamoDB would return the item (ReturnValuesOnConditionCheckFailure=ALL_OLD); dynalite
    // does not, so a client must read it back itself (a consistent GetItem) when it needs it.
    assertEquals(Map.of(), assertInstanceOf(WriteOutcome.ConditionFailed.class, second).oldItem());
    assertEquals(claim, dynamo.getItem(table, Map.of("pk", s("alert-2")), true, deadline())
        .orElseThrow());
  }
}
