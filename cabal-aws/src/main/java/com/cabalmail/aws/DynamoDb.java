package com.cabalmail.aws;

import com.cabalmail.http.Deadline;
import com.cabalmail.http.Exchange;
import com.cabalmail.http.HttpDelivery;
import com.cabalmail.http.Json;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A minimal DynamoDB client over the JSON 1.0 protocol: {@code PutItem}, {@code GetItem},
 * {@code UpdateItem} and {@code DeleteItem}, each write optionally conditional. A failed
 * condition is not an exception but a {@link WriteOutcome.ConditionFailed} carrying the item as
 * it stands ({@code ReturnValuesOnConditionCheckFailure: ALL_OLD}). Throttling
 * ({@code ProvisionedThroughputExceededException}, {@code ThrottlingException},
 * {@code RequestLimitExceeded}), {@code InternalServerError} and 503 are retried inside the
 * deadline; {@code ResourceNotFoundException}, {@code ValidationException},
 * {@code AccessDeniedException} and {@code UnrecognizedClientException} never are. Thread-safe.
 */
public final class DynamoDb {

  private static final String CONDITION_FAILED = "ConditionalCheckFailedException";

  private final AwsJsonClient client;

  private DynamoDb(AwsJsonClient client) {
    this.client = client;
  }

  /**
   * A client configured from {@code environment} as {@link AwsJsonClient#fromEnvironment}
   * says; {@code AWS_ENDPOINT_URL_DYNAMODB} overrides the endpoint.
   *
   * @throws AwsException naming every missing or bad variable
   */
  public static DynamoDb fromEnvironment(Map<String, String> environment, HttpDelivery delivery)
      throws AwsException {
    return over(AwsJsonClient.fromEnvironment(
        AwsService.DYNAMODB, environment, delivery, Clock.systemUTC()));
  }

  /** A client over {@code client}, which must be one of {@link AwsService#DYNAMODB}. */
  public static DynamoDb over(AwsJsonClient client) {
    if (!client.service().equals(AwsService.DYNAMODB)) {
      throw new IllegalArgumentException("not a DynamoDB client: " + client);
    }
    return new DynamoDb(client);
  }

  /**
   * Writes {@code item} to {@code table} if {@code condition} holds.
   *
   * @throws AwsException for every error but a failed condition
   */
  public WriteOutcome putItem(String table, Map<String, AttributeValue> item,
      Condition condition, Deadline deadline) throws AwsException {
    Json.Buffer body = start(table);
    try {
      body.generator().writeFieldName("Item");
      ItemJson.writeItem(body.generator(), item);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return write("PutItem", table, condition, deadline, body);
  }

  /**
   * Applies {@code updateExpression} (e.g. {@code SET #s = :done}) to the item under {@code key}
   * if {@code condition} holds; the condition's placeholders serve both expressions.
   *
   * @throws AwsException for every error but a failed condition
   */
  public WriteOutcome updateItem(String table, Map<String, AttributeValue> key,
      String updateExpression, Condition condition, Deadline deadline) throws AwsException {
    Objects.requireNonNull(updateExpression, "updateExpression");
    Json.Buffer body = start(table);
    try {
      body.generator().writeFieldName("Key");
      ItemJson.writeItem(body.generator(), key);
      body.generator().writeStringField("UpdateExpression", updateExpression);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return write("UpdateItem", table, condition, deadline, body);
  }

  /**
   * Deletes the item under {@code key} if {@code condition} holds.
   *
   * @throws AwsException for every error but a failed condition
   */
  public WriteOutcome deleteItem(String table, Map<String, AttributeValue> key,
      Condition condition, Deadline deadline) throws AwsException {
    Json.Buffer body = start(table);
    try {
      body.generator().writeFieldName("Key");
      ItemJson.writeItem(body.generator(), key);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return write("DeleteItem", table, condition, deadline, body);
  }

  /**
   * The item under {@code key}, if there is one; {@code consistentRead} sees every write that
   * succeeded before the call.
   *
   * @throws AwsException for every error
   */
  public Optional<Map<String, AttributeValue>> getItem(String table,
      Map<String, AttributeValue> key, boolean consistentRead, Deadline deadline)
      throws AwsException {
    Json.Buffer body = start(table);
    try {
      body.generator().writeFieldName("Key");
      ItemJson.writeItem(body.generator(), key);
      body.generator().writeBooleanField("ConsistentRead", consistentRead);
      body.generator().writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return item(client.call("GetItem", body.bytes(), deadline, "reading from " + table),
        "GetItem");
  }

  /**
   * A request body begun with its table: written without callbacks, since this is every
   * claim's path on a cold start, where each lambda costs a class spun at run time.
   */
  private static Json.Buffer start(String table) {
    Objects.requireNonNull(table, "table");
    Json.Buffer body = Json.buffer();
    try {
      body.generator().writeStartObject();
      body.generator().writeStringField("TableName", table);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return body;
  }

  private WriteOutcome write(String operation, String table, Condition condition,
      Deadline deadline, Json.Buffer body) throws AwsException {
    Objects.requireNonNull(condition, "condition");
    try {
      writeCondition(body.generator(), condition);
      body.generator().writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      client.call(operation, body.bytes(), deadline, operation + " on " + table);
      return new WriteOutcome.Written();
    } catch (AwsException e) {
      Optional<AwsError> error = e.error();
      if (error.isPresent() && CONDITION_FAILED.equals(error.get().code())) {
        return new WriteOutcome.ConditionFailed(
            item(e.answer().orElseThrow(), operation).orElse(Map.of()));
      }
      throw e;
    }
  }

  private static void writeCondition(JsonGenerator json, Condition condition)
      throws IOException {
    if (!condition.expression().isEmpty()) {
      json.writeStringField("ConditionExpression", condition.expression());
      json.writeStringField("ReturnValuesOnConditionCheckFailure", "ALL_OLD");
    }
    if (!condition.names().isEmpty()) {
      json.writeObjectFieldStart("ExpressionAttributeNames");
      for (Map.Entry<String, String> name : condition.names().entrySet()) {
        json.writeStringField(name.getKey(), name.getValue());
      }
      json.writeEndObject();
    }
    if (!condition.values().isEmpty()) {
      json.writeFieldName("ExpressionAttributeValues");
      ItemJson.writeItem(json, condition.values());
    }
  }

  /** The {@code Item} of an answer (GetItem's, or a failed condition's), if it has one. */
  private static Optional<Map<String, AttributeValue>> item(Exchange answer, String operation)
      throws AwsException {
    try (JsonParser json = Json.factory().createParser(answer.body())) {
      if (json.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("the answer is not a JSON object");
      }
      Optional<Map<String, AttributeValue>> item = Optional.empty();
      while (json.nextToken() == JsonToken.FIELD_NAME) {
        String field = json.currentName();
        json.nextToken();
        if ("Item".equals(field)) {
          item = Optional.of(ItemJson.readItem(json));
        } else {
          json.skipChildren();
        }
      }
      return item;
    } catch (IOException e) {
      throw new AwsException("DynamoDB answered " + operation + " with a malformed body: "
          + e.getMessage());
    }
  }

  @Override
  public String toString() {
    return "DynamoDb[" + client.endpoint() + ", " + client.region() + "]";
  }
}
