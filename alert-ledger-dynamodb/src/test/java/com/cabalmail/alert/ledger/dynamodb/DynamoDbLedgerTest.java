package com.cabalmail.alert.ledger.dynamodb;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cabalmail.alert.AlertStatus;
import com.cabalmail.alert.Severity;
import com.cabalmail.alert.ConfigException;
import com.cabalmail.alert.ledger.Claim;
import com.cabalmail.alert.ledger.DeliveryLedger;
import com.cabalmail.alert.ledger.LedgerEntry;
import com.cabalmail.alert.ledger.LedgerException;
import com.cabalmail.alert.ledger.LedgerKey;
import com.cabalmail.alert.spi.Settings;
import com.cabalmail.aws.DynamoDb;
import com.cabalmail.aws.testkit.MotoTables;
import com.cabalmail.http.Deadline;
import com.cabalmail.http.HttpDelivery;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The DynamoDB ledger's wire requests and its answers to DynamoDB's errors, over WireMock. */
class DynamoDbLedgerTest {

  @RegisterExtension
  static WireMockExtension dynamo = WireMockExtension.newInstance()
      .options(com.github.tomakehurst.wiremock.core.WireMockConfiguration.options()
          .dynamicPort())
      .build();

  static final LedgerKey KEY = LedgerKey.firing("3f2a9c1d7b4e6a05", Severity.CRITICAL, "pushover");
  static final Instant T0 = Instant.parse("2026-08-21T10:00:00Z");

  /** One exchange first, so a cold WireMock on a loaded machine is not what a test measures. */
  @org.junit.jupiter.api.BeforeAll
  static void warmUp() throws Exception {
    java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
        java.net.URI.create(dynamo.baseUrl() + "/warm-up")).build(),
        java.net.http.HttpResponse.BodyHandlers.discarding());
    HttpDelivery.warmUp();
  }

  static Deadline soon() {
    return Deadline.after(Duration.ofSeconds(2));
  }

  Map<String, String> environment() {
    Map<String, String> env = MotoTables.environment(dynamo.baseUrl());
    env.put("ALERT_LEDGER_TABLE", "cabal-alert-ledger");
    return env;
  }

  DynamoDbLedger ledger() throws Exception {
    return new DynamoDbLedger(DynamoDb.fromEnvironment(environment(), HttpDelivery.shared()),
        "cabal-alert-ledger");
  }

  static void answer(String operation, int status, String body) {
    dynamo.stubFor(post(urlEqualTo("/"))
        .withHeader("X-Amz-Target", equalTo("DynamoDB_20120810." + operation))
        .willReturn(aResponse().withStatus(status)
            .withHeader("Content-Type", "application/x-amz-json-1.0").withBody(body)));
  }

  static String only(String operation) {
    List<LoggedRequest> requests = dynamo.findAll(postRequestedFor(urlEqualTo("/"))
        .withHeader("X-Amz-Target", equalTo("DynamoDB_20120810." + operation)));
    assertEquals(1, requests.size(), operation + " requests");
    return requests.get(0).getBodyAsString();
  }

  @Test
  void aClaimIsOneConditionalPutWithTheExpiryInEpochSeconds() throws Exception {
    answer("PutItem", 200, "{}");

    Claim claim = ledger().claim(LedgerEntry.claim(KEY, "c1", T0, T0.plusMillis(15_500)), T0,
        soon());

    assertInstanceOf(Claim.Granted.class, claim);
    String body = only("PutItem");
    assertTrue(body.contains("\"TableName\":\"cabal-alert-ledger\""), body);
    assertTrue(body.contains("\"pk\":{\"S\":\"3f2a9c1d7b4e6a05/firing/critical/pushover\"}"), body);
    assertTrue(body.contains("\"expires\":{\"N\":\"" + (T0.getEpochSecond() + 16) + "\"}"), body);
    assertTrue(body.contains("\"ConditionExpression\":\"attribute_not_exists(pk) OR #e <= :now"
        + " OR (#s = :claimed AND #c = :mine)\""), body);
    assertTrue(body.contains("\":mine\":{\"S\":\"c1\"}"), body);
    assertTrue(body.contains("\":now\":{\"N\":\"" + T0.getEpochSecond() + "\"}"), body);
    assertTrue(body.contains("\"ReturnValuesOnConditionCheckFailure\":\"ALL_OLD\""), body);
  }

  @Test
  void aFailedConditionReturnsTheHolderFromTheOldItem() throws Exception {
    answer("PutItem", 400, "{\"__type\":\"com.amazonaws.dynamodb.v20120810#"
        + "ConditionalCheckFailedException\",\"message\":\"The conditional request failed\","
        + "\"Item\":{\"pk\":{\"S\":\"3f2a9c1d7b4e6a05/firing/critical/pushover\"},"
        + "\"state\":{\"S\":\"DELIVERED\"},\"claim\":{\"S\":\"c0\"},"
        + "\"recorded\":{\"N\":\"1787306400000\"},\"expires\":{\"N\":\"1787320800\"},"
        + "\"messageId\":{\"S\":\"5042853c\"},\"handle\":{\"S\":\"rLqVuqTRh62UzxtmqiaLzQmVcPgiCy\"}}}");

    Claim claim = ledger().claim(LedgerEntry.claim(KEY, "c1", T0, T0.plusSeconds(15)), T0,
        soon());

    LedgerEntry holder = assertInstanceOf(Claim.Held.class, claim).holder();
    assertEquals(LedgerEntry.State.DELIVERED, holder.state());
    assertEquals(KEY, holder.key());
    assertEquals(Instant.ofEpochSecond(1787320800L), holder.expires());
    assertEquals("rLqVuqTRh62UzxtmqiaLzQmVcPgiCy", holder.handle().orElseThrow());
  }

  /**
   * A claim DynamoDB applied but answered 500: the client retries the same write, whose
   * condition now fails against the caller's own claim, which is recognised by its claim id.
   */
  @Test
  void aClaimAppliedButAnswered5xxIsTheCallersOwnOnRetry() throws Exception {
    String scenario = "applied, answer lost";
    dynamo.stubFor(post(urlEqualTo("/")).inScenario(scenario)
        .whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED)
        .withHeader("X-Amz-Target", equalTo("DynamoDB_20120810.PutItem"))
        .willReturn(aResponse().withStatus(500)
            .withHeader("Content-Type", "application/x-amz-json-1.0")
            .withBody("{\"__type\":\"com.amazonaws.dynamodb.v20120810#InternalServerError\","
                + "\"message\":\"Internal server error\"}"))
        .willSetStateTo("applied"));
    dynamo.stubFor(post(urlEqualTo("/")).inScenario(scenario).whenScenarioStateIs("applied")
        .withHeader("X-Amz-Target", equalTo("DynamoDB_20120810.PutItem"))
        .willReturn(aResponse().withStatus(400)
            .withHeader("Content-Type", "application/x-amz-json-1.0")
            .withBody(conditionFailedHolding("CLAIMED", "c1"))));

    Claim claim = ledger().claim(LedgerEntry.claim(KEY, "c1", T0, T0.plusSeconds(15)), T0,
        soon());

    assertEquals("c1", assertInstanceOf(Claim.Granted.class, claim).entry().claimId());
  }

  /** A store that returns no old item on a failed condition (dynalite): the holder is read. */
  @Test
  void aFailedConditionWithoutTheOldItemIsReadWithAConsistentGet() throws Exception {
    answer("PutItem", 400, "{\"__type\":\"com.amazonaws.dynamodb.v20120810#"
        + "ConditionalCheckFailedException\",\"message\":\"The conditional request failed\"}");
    answer("GetItem", 200, "{\"Item\":" + holderItem("DELIVERED", "c0") + "}");

    Claim claim = ledger().claim(LedgerEntry.claim(KEY, "c1", T0, T0.plusSeconds(15)), T0,
        soon());

    assertEquals("c0", assertInstanceOf(Claim.Held.class, claim).holder().claimId());
    assertTrue(only("GetItem").contains("\"ConsistentRead\":true"));
  }

  static String holderItem(String state, String claimId) {
    return "{\"pk\":{\"S\":\"" + KEY.id() + "\"},\"state\":{\"S\":\"" + state + "\"},"
        + "\"claim\":{\"S\":\"" + claimId + "\"},\"recorded\":{\"N\":\""
        + T0.toEpochMilli() + "\"},\"expires\":{\"N\":\"" + (T0.getEpochSecond() + 15) + "\"}}";
  }

  static String conditionFailedHolding(String state, String claimId) {
    return "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException\","
        + "\"message\":\"The conditional request failed\",\"Item\":"
        + holderItem(state, claimId) + "}";
  }

  @Test
  void aDynamoDbErrorIsALedgerExceptionNamingTableAndKey() throws Exception {
    answer("PutItem", 400, "{\"__type\":\"com.amazonaws.dynamodb.v20120810#"
        + "ResourceNotFoundException\",\"message\":\"Requested resource not found\"}");

    LedgerException e = assertThrows(LedgerException.class, () -> ledger().claim(
        LedgerEntry.claim(KEY, "c1", T0, T0.plusSeconds(15)), T0, soon()));

    assertTrue(e.getMessage().startsWith("dynamodb table cabal-alert-ledger: claiming "
        + KEY.id()), e.getMessage());
    assertTrue(e.getMessage().contains("ResourceNotFoundException"), e.getMessage());
    assertTrue(!e.getMessage().contains("wJalrXUtnFEMI"), e.getMessage());
  }

  @Test
  void anItemThatIsNoLedgerEntryIsALedgerExceptionNamingTheAttribute() throws Exception {
    answer("GetItem", 200, "{\"Item\":{\"pk\":{\"S\":\"3f2a9c1d7b4e6a05/firing/critical/pushover\"},"
        + "\"state\":{\"S\":\"DELIVERED\"},\"claim\":{\"S\":\"c0\"}}}");

    LedgerException e = assertThrows(LedgerException.class, () -> ledger().find(KEY, soon()));

    assertTrue(e.getMessage().contains("'recorded'"), e.getMessage());
  }

  @Test
  void releaseAndForgetAreConditionalDeletesAndAFailedConditionIsNoError() throws Exception {
    String failed = "{\"__type\":\"com.amazonaws.dynamodb.v20120810#"
        + "ConditionalCheckFailedException\",\"message\":\"The conditional request failed\"}";
    answer("DeleteItem", 400, failed);
    DynamoDbLedger ledger = ledger();

    ledger.release(KEY, "c1", soon());
    String release = only("DeleteItem");
    assertTrue(release.contains("\"ConditionExpression\":\"#s = :claimed AND #c = :id\""),
        release);
    assertTrue(release.contains("\":id\":{\"S\":\"c1\"}"), release);
    dynamo.resetRequests();
    ledger.forget(KEY, T0, soon());
    String forget = only("DeleteItem");
    assertTrue(forget.contains(
        "\"ConditionExpression\":\"attribute_not_exists(pk) OR #r <= :by\""), forget);
    assertTrue(forget.contains("\":by\":{\"N\":\"" + T0.toEpochMilli() + "\"}"), forget);
  }

  @Test
  void theProviderReportsAMissingOrMisnamedTable() {
    Settings missing = Settings.of(MotoTables.environment(dynamo.baseUrl()));
    assertNull(new DynamoDbLedgerProvider().create(missing));
    assertTrue(missing.problems().get(0).startsWith("ALERT_LEDGER_TABLE is required"),
        missing.problems().toString());

    Map<String, String> env = environment();
    env.put("ALERT_LEDGER_TABLE", "a b");
    Settings bad = Settings.of(env);
    assertNull(new DynamoDbLedgerProvider().create(bad));
    assertTrue(bad.problems().get(0).contains("is not a DynamoDB table name"),
        bad.problems().toString());
  }

  @Test
  void aTableThatDoesNotExistIsAConfigurationProblemAtStartup() {
    answer("GetItem", 400, "{\"__type\":\"com.amazonaws.dynamodb.v20120810#"
        + "ResourceNotFoundException\",\"message\":\"Requested resource not found\"}");
    Settings settings = Settings.of(environment());

    new DynamoDbLedgerProvider().create(settings);

    assertThrows(ConfigException.class, settings::requireValid);
    assertTrue(settings.problems().get(0).startsWith("ALERT_LEDGER_TABLE='cabal-alert-ledger'"),
        settings.problems().toString());
    assertEquals(1, dynamo.findAll(postRequestedFor(urlEqualTo("/"))).size(), "one warm-up read");
  }

  @Test
  void aDynamoDbThatDoesNotAnswerAtStartupStillGivesALedger() {
    answer("GetItem", 503, "{\"__type\":\"ServiceUnavailable\",\"message\":\"down\"}");
    Settings settings = Settings.of(environment());

    DeliveryLedger ledger = new DynamoDbLedgerProvider().create(settings);

    assertEquals("dynamodb", ledger.name());
    assertEquals(List.of(), settings.problems());
  }
}
