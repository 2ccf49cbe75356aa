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
import java.util.Optional;
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
 * session during the init rather than on the first alert; a host that calls {@link #connect}
 * first (the Lambda sink does, beside its SSM read) has that read sent then. A table that does not exist, or
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
      Optional<String> value = settings.optional(variable);
      if (value.isPresent()) {
        environment.put(variable, value.get());
      }
    }
    WarmUpRead early = WarmUpRead.take(table, environment);
    if (early != null) {
      // connect() already built this client and sent the warm-up read: wait for its answer.
      AwsException failure = early.await();
      report(failure, table, early.millis(), settings);
      return new DynamoDbLedger(early.dynamo, table);
    }
    DynamoDb dynamo;
    try {
      dynamo = DynamoDb.fromEnvironment(environment, HttpDelivery.shared());
    } catch (AwsException e) {
      settings.problem("ALERT_LEDGER=dynamodb: " + e.getMessage());
      return null;
    }
    WarmUpRead read = new WarmUpRead(dynamo, table, environment);
    read.run();
    report(read.await(), table, read.millis(), settings);
    return new DynamoDbLedger(dynamo, table);
  }

  /**
   * Builds the client from the process environment and sends the warm-up read now, in the
   * calling thread; {@link #create} then waits for its answer instead of sending its own, and
   * the first claim finds the connection open. Only the first call does anything.
   */
  @Override
  public void connect(Map<String, String> processEnvironment) {
    String table = processEnvironment.get(TABLE);
    if (table == null || !TABLE_NAME.matcher(table.trim()).matches()) {
      return;
    }
    Map<String, String> environment = new HashMap<>();
    for (String variable : AWS_VARIABLES) {
      String value = processEnvironment.get(variable);
      if (value != null && !value.isBlank()) {
        environment.put(variable, value.trim());
      }
    }
    try {
      WarmUpRead read = new WarmUpRead(
          DynamoDb.fromEnvironment(environment, HttpDelivery.shared()), table.trim(), environment);
      if (WarmUpRead.offer(read)) {
        read.run();
      }
    } catch (AwsException | RuntimeException e) {
      log.debug("ledger: no early connection: {}", e.getMessage());
    }
  }

  private static void report(AwsException e, String table, long millis, Settings settings) {
    if (e == null) {
      log.info("ledger: dynamodb table {} answered in {} ms", table, millis);
      return;
    }
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

  /**
   * The warm-up read of one table through one client: sent once, awaited by {@link #create}.
   * At most one is kept per process (the one {@link #connect} sent), taken by the
   * {@link #create} whose table and AWS variables it was built from.
   */
  static final class WarmUpRead implements Runnable {

    private static WarmUpRead pending;

    final DynamoDb dynamo;
    private final String table;
    private final Map<String, String> environment;
    private final java.util.concurrent.CountDownLatch done =
        new java.util.concurrent.CountDownLatch(1);
    private volatile AwsException failure;
    private volatile long millis;

    WarmUpRead(DynamoDb dynamo, String table, Map<String, String> environment) {
      this.dynamo = dynamo;
      this.table = table;
      this.environment = environment;
    }

    /** Keeps {@code read} for {@link #take} unless one is kept already; whether it was kept. */
    static synchronized boolean offer(WarmUpRead read) {
      if (pending != null) {
        return false;
      }
      pending = read;
      return true;
    }

    /** The kept read, if it was built for this table and these variables; removes it. */
    static synchronized WarmUpRead take(String table, Map<String, String> environment) {
      WarmUpRead read = pending;
      if (read == null || !read.table.equals(table) || !read.environment.equals(environment)) {
        return null;
      }
      pending = null;
      return read;
    }

    @Override
    public void run() {
      long started = System.nanoTime();
      try {
        dynamo.getItem(table, DynamoDbLedger.key(WARM_UP_KEY), false, Deadline.after(WARM_UP));
      } catch (AwsException e) {
        failure = e;
      } catch (RuntimeException e) {
        failure = new AwsException("the warm-up read failed: " + e);
      } finally {
        millis = (System.nanoTime() - started) / 1_000_000;
        done.countDown();
      }
    }

    /** The read's failure, or null when the table answered; waits up to {@link #WARM_UP}. */
    AwsException await() {
      try {
        if (!done.await(WARM_UP.toMillis() + 500, java.util.concurrent.TimeUnit.MILLISECONDS)) {
          return new AwsException("no answer to the warm-up read within "
              + WARM_UP.toSeconds() + " s");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new AwsException("interrupted while waiting for the warm-up read");
      }
      return failure;
    }

    long millis() {
      return millis;
    }
  }
}
