package com.cabalmail.aws;

import static com.cabalmail.aws.AttributeValue.n;
import static com.cabalmail.aws.AttributeValue.s;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cabalmail.http.Deadline;
import com.cabalmail.http.HttpDelivery;
import com.cabalmail.alert.testkit.ManualTicker;
import com.cabalmail.alert.testkit.StandInServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** DynamoDB's answers as PROTOCOLS.md §12 describes them, from a WireMock stand-in. */
class DynamoDbTest {

  static final String CONTENT_TYPE = "application/x-amz-json-1.0";

  @RegisterExtension
  static WireMockExtension server = StandInServer.onFreePort();
  final ManualTicker ticker = new ManualTicker();
  DynamoDb dynamo;

  @BeforeEach
  void reset() throws Exception {
    dynamo = DynamoDb.fromEnvironment(
        StandInEnvironment.pointingAt("AWS_ENDPOINT_URL_DYNAMODB", server.baseUrl()),
        HttpDelivery.create(ticker));
  }

  static ResponseDefinitionBuilder error(int status, String type, String message) {
    return aResponse().withStatus(status).withHeader("Content-Type", CONTENT_TYPE)
        .withBody("{\"__type\":\"com.amazonaws.dynamodb.v20120810#" + type
            + "\",\"message\":\"" + message + "\"}");
  }

  Deadline deadline() {
    return Deadline.after(Duration.ofSeconds(30), ticker);
  }

  @Test
  void aConditionalPutSendsTheDocumentedRequest() throws Exception {
    server.stubFor(post(urlEqualTo("/")).willReturn(aResponse().withStatus(200).withBody("{}")));

    WriteOutcome outcome = dynamo.putItem("t", Map.of("pk", s("a")),
        new Condition("attribute_not_exists(#pk) OR expires < :now", Map.of("#pk", "pk"),
            Map.of(":now", n(1_796_160_000L))), deadline());

    assertTrue(outcome.written());
    server.verify(postRequestedFor(urlEqualTo("/"))
        .withHeader("Content-Type", equalTo(CONTENT_TYPE))
        .withHeader("X-Amz-Target", equalTo("DynamoDB_20120810.PutItem"))
        .withRequestBody(equalToJson("{\"TableName\":\"t\",\"Item\":{\"pk\":{\"S\":\"a\"}},"
            + "\"ConditionExpression\":\"attribute_not_exists(#pk) OR expires < :now\","
            + "\"ReturnValuesOnConditionCheckFailure\":\"ALL_OLD\","
            + "\"ExpressionAttributeNames\":{\"#pk\":\"pk\"},"
            + "\"ExpressionAttributeValues\":{\":now\":{\"N\":\"1796160000\"}}}")));
    assertTrue(server.findAll(postRequestedFor(urlEqualTo("/"))).get(0)
        .getHeader("Authorization").contains("/eu-west-1/dynamodb/aws4_request"));
  }

  @Test
  void aFailedConditionIsATypedOutcomeWithTheOldItem() throws Exception {
    server.stubFor(post(urlEqualTo("/")).willReturn(aResponse().withStatus(400)
        .withBody("{\"__type\":\"com.amazonaws.dynamodb.v20120810#"
            + "ConditionalCheckFailedException\",\"message\":\"The conditional request failed\","
            + "\"Item\":{\"pk\":{\"S\":\"a\"},\"status\":{\"S\":\"COMPLETED\"}}}")));

    WriteOutcome outcome = dynamo.putItem("t", Map.of("pk", s("a")),
        Condition.of("attribute_not_exists(pk)", Map.of()), deadline());

    assertEquals(new WriteOutcome.ConditionFailed(Map.of("pk", s("a"), "status", s("COMPLETED"))),
        outcome);
    server.verify(exactly(1), postRequestedFor(urlEqualTo("/")));
  }

  @ParameterizedTest
  @CsvSource({"400, ProvisionedThroughputExceededException", "400, ThrottlingException",
      "400, RequestLimitExceeded", "500, InternalServerError", "503, ServiceUnavailable"})
  void transientErrorsAreRetriedByCode(int status, String code) throws Exception {
    StandInServer.answerInTurn(server, () -> post(urlEqualTo("/")),
        error(status, code, "slow down"),
        aResponse().withStatus(200).withBody("{\"Item\":{\"pk\":{\"S\":\"a\"}}}"));

    assertEquals(Map.of("pk", s("a")),
        dynamo.getItem("t", Map.of("pk", s("a")), true, deadline()).orElseThrow());
    server.verify(exactly(2), postRequestedFor(urlEqualTo("/")));
    assertEquals(1, ticker.sleeps().size());
  }

  @ParameterizedTest
  @CsvSource({"400, ResourceNotFoundException", "400, ValidationException",
      "400, AccessDeniedException", "400, UnrecognizedClientException"})
  void permanentErrorsAreNeverRetried(int status, String code) {
    server.stubFor(post(urlEqualTo("/")).willReturn(error(status, code, "no")));

    AwsException e = assertThrows(AwsException.class,
        () -> dynamo.getItem("t", Map.of("pk", s("a")), false, deadline()));

    assertEquals(code, e.error().orElseThrow().code());
    assertEquals(AwsError.Kind.PERMANENT, e.error().orElseThrow().kind());
    server.verify(exactly(1), postRequestedFor(urlEqualTo("/")));
  }

  @Test
  void awsMessageThatExplainsTheFixIsKept() {
    server.stubFor(post(urlEqualTo("/")).willReturn(error(400, "InvalidSignatureException",
        "Credential should be scoped to a valid region.")));

    AwsException e = assertThrows(AwsException.class,
        () -> dynamo.getItem("t", Map.of("pk", s("a")), false, deadline()));

    assertTrue(e.getMessage().startsWith("DynamoDB rejected the request signature reading from t"),
        e.getMessage());
    assertTrue(e.getMessage().endsWith(": Credential should be scoped to a valid region."),
        e.getMessage());
  }

  @Test
  void anUnsupportedAttributeTypeIsNamed() {
    server.stubFor(post(urlEqualTo("/")).willReturn(aResponse().withStatus(200)
        .withBody("{\"Item\":{\"tags\":{\"SS\":[\"a\"]}}}")));

    AwsException e = assertThrows(AwsException.class,
        () -> dynamo.getItem("t", Map.of("pk", s("a")), false, deadline()));

    assertEquals("DynamoDB answered GetItem with a malformed body: attribute 'tags' has type SS,"
        + " which this client does not read (S, N, BOOL, M, NULL)", e.getMessage());
  }
}
