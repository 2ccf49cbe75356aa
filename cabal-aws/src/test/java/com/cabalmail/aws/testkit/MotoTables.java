package com.cabalmail.aws.testkit;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * moto's DynamoDB for one test class, a fresh table per test: a JUnit extension over one
 * {@link MotoServer} started before the class's tests and stopped after them
 * ({@code @RegisterExtension static final MotoTables moto = new MotoTables();}), with the
 * environment that points a client at it.
 */
public final class MotoTables implements BeforeAllCallback, AfterAllCallback {

  private final AtomicInteger tables = new AtomicInteger();
  private MotoServer server;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    server = MotoServer.start();
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (server != null) {
      server.close();
    }
  }

  /**
   * Creates a table no other test of the class uses, keyed by the string {@code partitionKey}.
   *
   * @param prefix the start of its name
   * @param partitionKey its partition key's attribute name
   * @return its name
   */
  public String newTable(String prefix, String partitionKey) throws Exception {
    String table = prefix + "-" + tables.incrementAndGet();
    server.createTable(table, partitionKey);
    return table;
  }

  /** The environment of a client of this moto's DynamoDB (a mutable copy, to add to). */
  public Map<String, String> environment() {
    return environment(server.endpoint());
  }

  /**
   * The environment of a DynamoDB client of {@code endpoint}: moto's region, placeholder
   * credentials (moto does not check signatures; the client signs all the same) and the
   * endpoint as {@code AWS_ENDPOINT_URL_DYNAMODB}; a mutable copy, to add to.
   */
  public static Map<String, String> environment(String endpoint) {
    Map<String, String> env = new HashMap<>();
    env.put("AWS_REGION", MotoServer.REGION);
    env.put("AWS_ACCESS_KEY_ID", "AKIDMOTOTABLES");
    env.put("AWS_SECRET_ACCESS_KEY", "moto-tables-secret-access-key");
    env.put("AWS_ENDPOINT_URL_DYNAMODB", endpoint);
    return env;
  }
}
