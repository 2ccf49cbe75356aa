package com.cabalmail.alert.ledger.dynamodb;

import com.cabalmail.alert.ledger.DeliveryLedger;
import com.cabalmail.alert.ledger.LedgerKey;
import com.cabalmail.alert.ledger.LedgerProvider;
import com.cabalmail.alert.spi.Settings;
import com.cabalmail.aws.AwsError;
import com.cabalmail.aws.AwsException;
import com.cabalmail.aws.DynamoDb;
import com.cabalmail.http.Deadline;
import com.cabalmail.http.HttpDelivery;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code dynamodb} delivery ledger ({@code ALERT_LEDGER=dynamodb}): a DynamoDB table named
 * by {@value #TABLE}, with partition key {@code pk} (String) and TTL attribute {@code expires}
 * (epoch seconds). Signed with the standard AWS variables (Lambda sets them); the endpoint is
 * {@code AWS_ENDPOINT_URL_DYNAMODB}, else {@code AWS_ENDPOINT_URL}, else the regional one.
 *
 * <p>Building the ledger reads one item (a key no alert has) to open the connection and TLS
 * session during the init rather than on the first alert. A table that does not exist, or
 * that the role may not read, is a configuration problem; a DynamoDB that does not answer is
 * only logged: the sink starts, and delivers without the ledger until it answers.
 */
public final class DynamoDbLedgerProvider implements LedgerProvider {

  private static final Logger log = LoggerFactory.getLogger(DynamoDbLedgerProvider.class);

  /** The table's name. */
  public static final String TABLE = "ALERT_LEDGER_TABLE";
  /** The variables the AWS client reads. */
  static final List<String> AWS_VARIABLES = List.of("AWS_REGION", "AWS_DEFAULT_REGION",
      "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
      "AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
      "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_AUTHORIZATION_TOKEN",
      "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
  /** DynamoDB's own rule for table names. */
  static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z0-9_.-]{3,255}");
  /** The most the warm-up read may add to the init (with SSM's 4 s, inside Lambda's 10 s). */
  static final Duration WARM_UP = Duration.ofSeconds(3);
  /** The key of the warm-up read: no alert's (fingerprints never contain 'warmup' + '0'). */
  static final LedgerKey WARM_UP_KEY = LedgerKey.parse(
      "ledgerwarmup0/resolved/dynamodb");

  /** Public, no-arg, cheap: the work happens in {@link #create}. */
  public DynamoDbLedgerProvider() {}

  @Override
  public String name() {
    return "dynamodb";
  }

  @Override
  public DeliveryLedger create(Settings settings) {
    String table = settings.required(TABLE, "the DynamoDB table of the delivery ledger"
        + " (ALERT_LEDGER=dynamodb)");
    if (!table.isEmpty() && !TABLE_NAME.matcher(table).matches()) {
      settings.problem(TABLE + "='" + table + "' is not a DynamoDB table name (3 to 255 of"
          + " A-Z a-z 0-9 _ . -)");
      return null;
    }
    if (table.isEmpty()) {
      return null;
    }
    Map<String, String> environment = new HashMap<>();
    for (String variable : AWS_VARIABLES) {
      settings.optional(variable).ifPresent(value -> environment.put(variable, value));
    }
    DynamoDb dynamo;
    try {
      dynamo = DynamoDb.fromEnvironment(environment, HttpDelivery.shared());
    } catch (AwsException e) {
      settings.problem("ALERT_LEDGER=dynamodb: " + e.getMessage());
      return null;
    }
    DynamoDbLedger ledger = new DynamoDbLedger(dynamo, table);
    warmUp(dynamo, table, settings);
    return ledger;
  }

  private static void warmUp(DynamoDb dynamo, String table, Settings settings) {
    long started = System.nanoTime();
    try {
      dynamo.getItem(table, DynamoDbLedger.key(WARM_UP_KEY), false, Deadline.after(WARM_UP));
      log.info("ledger: dynamodb table {} answered in {} ms", table,
          (System.nanoTime() - started) / 1_000_000);
    } catch (AwsException e) {
      boolean misconfigured = e.error().map(AwsError::code).map(code ->
          code.equals("ResourceNotFoundException") || code.equals("AccessDeniedException")
              || code.equals("ValidationException")).orElse(false);
      if (misconfigured) {
        settings.problem(TABLE + "='" + table + "': " + e.getMessage());
      } else {
        log.warn("ledger: dynamodb table {} did not answer the warm-up read ({}); alerts are"
            + " delivered without the ledger until it does", table, e.getMessage());
      }
    }
  }
}
