package com.cabalmail.aws;

import static com.cabalmail.aws.AttributeValue.bool;
import static com.cabalmail.aws.AttributeValue.m;
import static com.cabalmail.aws.AttributeValue.n;
import static com.cabalmail.aws.AttributeValue.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cabalmail.aws.testkit.MotoServer;
import com.cabalmail.http.Deadline;
import com.cabalmail.http.HttpDelivery;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The DynamoDB client against a real JSON 1.0 peer: moto's server on a free loopback port. */
class DynamoDbIT {

  static final String TABLE = "deliveries";
  static MotoServer moto;
  static DynamoDb dynamo;

  @BeforeAll
  static void startMoto() throws Exception {
    moto = MotoServer.start();
    moto.createTable(TABLE, "pk");
    dynamo = DynamoDb.fromEnvironment(moto.environment("AWS_ENDPOINT_URL_DYNAMODB"),
        HttpDelivery.shared());
  }

  @AfterAll
  static void stopMoto() throws Exception {
    if (moto != null) {
      moto.close();
    }
  }

  static Deadline deadline() {
    return Deadline.after(Duration.ofSeconds(20));
  }

  static Map<String, AttributeValue> key(String pk) {
    return Map.of("pk", s(pk));
  }

  @Test
  void aClaimIsWrittenOnceAndTheSecondClaimGetsTheOldItemBack() throws Exception {
    Map<String, AttributeValue> claim = Map.of("pk", s("alert-1"), "status", s("INPROGRESS"),
        "expires", n(1_796_170_000L), "paged", bool(false),
        "detail", m(Map.of("transport", s("pushover"))));
    Condition unclaimed = Condition.of("attribute_not_exists(pk) OR expires < :now",
        Map.of(":now", n(1_796_160_000L)));

    WriteOutcome first = dynamo.putItem(TABLE, claim, unclaimed, deadline());
    WriteOutcome second = dynamo.putItem(TABLE,
        Map.of("pk", s("alert-1"), "status", s("INPROGRESS")), unclaimed, deadline());

    assertTrue(first.written());
    WriteOutcome.ConditionFailed failed = (WriteOutcome.ConditionFailed) second;
    assertEquals(claim, failed.oldItem());
    assertEquals(1_796_170_000L, ((AttributeValue.N) failed.oldItem().get("expires")).longValue());
  }

  @Test
  void anItemIsReadUpdatedUnderAConditionAndDeleted() throws Exception {
    dynamo.putItem(TABLE, Map.of("pk", s("alert-2"), "status", s("INPROGRESS")),
        Condition.none(), deadline());
    Condition inProgress = new Condition("#s = :old", Map.of("#s", "status"),
        Map.of(":old", s("INPROGRESS"), ":new", s("COMPLETED")));

    WriteOutcome updated = dynamo.updateItem(TABLE, key("alert-2"), "SET #s = :new", inProgress,
        deadline());
    WriteOutcome again = dynamo.updateItem(TABLE, key("alert-2"), "SET #s = :new", inProgress,
        deadline());
    Optional<Map<String, AttributeValue>> read =
        dynamo.getItem(TABLE, key("alert-2"), true, deadline());
    WriteOutcome deleted = dynamo.deleteItem(TABLE, key("alert-2"), Condition.none(), deadline());

    assertTrue(updated.written());
    assertEquals(Map.of("pk", s("alert-2"), "status", s("COMPLETED")),
        ((WriteOutcome.ConditionFailed) again).oldItem());
    assertEquals(Optional.of(Map.of("pk", s("alert-2"), "status", s("COMPLETED"))), read);
    assertTrue(deleted.written());
    assertEquals(Optional.empty(), dynamo.getItem(TABLE, key("alert-2"), true, deadline()));
  }

  @Test
  void aMissingTableIsAnErrorByCodeNotRetried() {
    AwsException e = assertThrows(AwsException.class,
        () -> dynamo.getItem("no-such-table", key("x"), true, deadline()));

    assertEquals("ResourceNotFoundException", e.error().orElseThrow().code());
    assertEquals(1, e.answer().orElseThrow().attempts());
  }
}
