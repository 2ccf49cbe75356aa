package com.cabalmail.alert.ledger.dynamodb;

import com.cabalmail.alert.ledger.DeliveryLedger;
import com.cabalmail.alert.spi.Settings;
import com.cabalmail.aws.testkit.DynaliteTables;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * {@code dynamodb} delivery ledgers over dynalite, for any test: one dynalite per test class
 * (started before its tests, stopped after them; a skip with what to install when it is
 * missing, a failure under {@code CI=true}), a fresh table per ledger, and the ledger built as
 * production builds it: by {@link DynamoDbLedgerProvider} from settings with
 * {@code ALERT_LEDGER_TABLE}, {@code AWS_ENDPOINT_URL_DYNAMODB} and placeholder credentials.
 * dynalite locks each item around a conditional write, so "exactly one concurrent claim wins"
 * holds there as on DynamoDB (moto races).
 *
 * <pre>{@code
 * @RegisterExtension
 * static final DynaliteLedgers DYNALITE = new DynaliteLedgers();
 *
 * DeliveryLedger ledger = DYNALITE.newLedger();          // empty, its own table
 * Map<String, String> env = DYNALITE.ledgerSettings();   // ALERT_LEDGER=dynamodb, fresh table
 * }</pre>
 *
 * <p>dynalite returns no old item on a failed condition (even with
 * {@code ReturnValuesOnConditionCheckFailure=ALL_OLD}) and has no TTL: its tables are created
 * with TTL asked for on {@code expires} and that refusal tolerated.
 */
public final class DynaliteLedgers implements BeforeAllCallback, AfterAllCallback {

  private final DynaliteTables tables = new DynaliteTables();

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    tables.beforeAll(context);
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    tables.afterAll(context);
  }

  /**
   * Settings that select this dynalite's ledger: {@code ALERT_LEDGER=dynamodb}, a fresh
   * table's {@code ALERT_LEDGER_TABLE}, the region, placeholder credentials and
   * {@code AWS_ENDPOINT_URL_DYNAMODB}; a mutable copy, to add to (e.g. the sink's other settings).
   */
  public Map<String, String> ledgerSettings() throws Exception {
    Map<String, String> env = tables.environment();
    env.put("ALERT_LEDGER", "dynamodb");
    env.put(DynamoDbLedgerProvider.TABLE,
        tables.newTable("ledger", DynamoDbLedger.PK, DynamoDbLedger.EXPIRES));
    return env;
  }

  /**
   * A fresh, empty ledger on its own table, built by {@link DynamoDbLedgerProvider}; close it
   * when done (as any {@link DeliveryLedger}).
   *
   * @throws com.cabalmail.alert.ConfigException when the provider records a problem
   */
  public DeliveryLedger newLedger() throws Exception {
    Settings settings = Settings.of(ledgerSettings());
    DeliveryLedger ledger = new DynamoDbLedgerProvider().create(settings);
    settings.requireValid();
    return ledger;
  }

  /** This dynalite's endpoint, for a test that calls it directly. */
  public String endpoint() {
    return tables.endpoint();
  }
}
