package com.cabalmail.aws.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import com.cabalmail.alert.testkit.Peers;
import com.cabalmail.http.Json;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A DynamoDB peer for one test class, a fresh table per test: a JUnit extension over one peer
 * process started before the class's tests and stopped after them, with the environment that
 * points a client at it. {@link MotoTables} (moto: the wire format) and {@link DynaliteTables}
 * (dynalite: atomic conditional writes, for every "exactly one claim wins" test) are the two.
 *
 * <p>Tables are created as production's are, TTL included when asked for; a store without TTL
 * (dynalite answers {@code UpdateTimeToLive} with {@code UnknownOperationException}) is
 * tolerated, since a reader compares the expiry itself anyway.
 */
public abstract class DynamoDbTables implements BeforeAllCallback, AfterAllCallback {

  /** A running DynamoDB peer process. */
  public interface Peer extends AutoCloseable {
    /** The endpoint to put in {@code AWS_ENDPOINT_URL_DYNAMODB}. */
    String endpoint();

    /** Stops the process. */
    @Override
    void close() throws IOException;
  }

  private static final Duration ACTIVE_WITHIN = Duration.ofSeconds(20);
  private static final Pattern ACTIVE = Pattern.compile("\"TableStatus\"\\s*:\\s*\"ACTIVE\"");
  private final AtomicInteger tables = new AtomicInteger();
  private Peer peer;

  /** Starts the peer, waiting until it answers (or skips/fails as {@link Peers#missing} does). */
  protected abstract Peer start() throws Exception;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    peer = start();
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (peer != null) {
      peer.close();
      peer = null;
    }
  }

  /**
   * Creates a table no other test of the class uses, keyed by the string {@code partitionKey},
   * without TTL.
   *
   * @param prefix the start of its name
   * @param partitionKey its partition key's attribute name
   * @return its name
   */
  public String newTable(String prefix, String partitionKey) throws Exception {
    return newTable(prefix, partitionKey, null);
  }

  /**
   * Creates a table no other test of the class uses, keyed by the string {@code partitionKey},
   * with TTL on {@code ttlAttribute} where the store has TTL.
   *
   * @param prefix the start of its name
   * @param partitionKey its partition key's attribute name
   * @param ttlAttribute the TTL attribute (epoch seconds), or null for none
   * @return its name
   */
  public String newTable(String prefix, String partitionKey, String ttlAttribute)
      throws Exception {
    String table = prefix + "-" + tables.incrementAndGet();
    createTable(endpoint(), table, partitionKey, ttlAttribute);
    return table;
  }

  /** The running peer's endpoint; only between the class's first and last test. */
  public String endpoint() {
    if (peer == null) {
      throw new IllegalStateException("the peer runs only while the test class runs: register"
          + " the extension with @RegisterExtension on a static field");
    }
    return peer.endpoint();
  }

  /** The environment of a client of this peer's DynamoDB (a mutable copy, to add to). */
  public Map<String, String> environment() {
    return environment(endpoint());
  }

  /**
   * The environment of a DynamoDB client of {@code endpoint}: {@link MotoServer#REGION},
   * placeholder credentials (the local peers do not check signatures; the client signs all the
   * same) and the endpoint as {@code AWS_ENDPOINT_URL_DYNAMODB}; a mutable copy, to add to.
   */
  public static Map<String, String> environment(String endpoint) {
    Map<String, String> env = new HashMap<>();
    env.put("AWS_REGION", MotoServer.REGION);
    env.put("AWS_ACCESS_KEY_ID", "AKIDPEERTABLES");
    env.put("AWS_SECRET_ACCESS_KEY", "peer-tables-secret-access-key");
    env.put("AWS_ENDPOINT_URL_DYNAMODB", endpoint);
    return env;
  }

  /**
   * Creates {@code table} on the DynamoDB peer at {@code endpoint}, keyed by the string
   * {@code partitionKey}, on demand, and waits until it is ACTIVE; then turns TTL on for
   * {@code ttlAttribute} unless it is null or the store has no TTL.
   */
  public static void createTable(String endpoint, String table, String partitionKey,
      String ttlAttribute) throws IOException, InterruptedException {
    ok(call(endpoint, "CreateTable", Json.write(g -> {
      g.writeStartObject();
      g.writeStringField("TableName", table);
      g.writeArrayFieldStart("AttributeDefinitions");
      g.writeStartObject();
      g.writeStringField("AttributeName", partitionKey);
      g.writeStringField("AttributeType", "S");
      g.writeEndObject();
      g.writeEndArray();
      g.writeArrayFieldStart("KeySchema");
      g.writeStartObject();
      g.writeStringField("AttributeName", partitionKey);
      g.writeStringField("KeyType", "HASH");
      g.writeEndObject();
      g.writeEndArray();
      g.writeStringField("BillingMode", "PAY_PER_REQUEST");
      g.writeEndObject();
    })), "CreateTable " + table);
    byte[] describe = Json.write(g -> {
      g.writeStartObject();
      g.writeStringField("TableName", table);
      g.writeEndObject();
    });
    String[] last = {""};
    boolean active = Peers.within(ACTIVE_WITHIN, () -> {
      try {
        HttpResponse<String> answer = call(endpoint, "DescribeTable", describe);
        last[0] = answer.statusCode() + " " + answer.body();
        return answer.statusCode() == 200 && ACTIVE.matcher(answer.body()).find();
      } catch (IOException e) {
        last[0] = e.toString();
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return true;
      }
    });
    if (!active) {
      fail("table " + table + " not ACTIVE within " + ACTIVE_WITHIN.toSeconds() + " s: "
          + last[0]);
    }
    if (ttlAttribute != null) {
      HttpResponse<String> ttl = call(endpoint, "UpdateTimeToLive", Json.write(g -> {
        g.writeStartObject();
        g.writeStringField("TableName", table);
        g.writeObjectFieldStart("TimeToLiveSpecification");
        g.writeStringField("AttributeName", ttlAttribute);
        g.writeBooleanField("Enabled", true);
        g.writeEndObject();
        g.writeEndObject();
      }));
      if (!(ttl.statusCode() == 400 && ttl.body().contains("UnknownOperationException"))) {
        ok(ttl, "UpdateTimeToLive " + table); // a store without TTL (dynalite) is tolerated
      }
    }
  }

  private static HttpResponse<String> call(String endpoint, String operation, byte[] body)
      throws IOException, InterruptedException {
    return PeerCalls.send(endpoint, "1.0", "DynamoDB_20120810." + operation, "dynamodb", body);
  }

  private static void ok(HttpResponse<String> answer, String what) {
    if (answer.statusCode() != 200) {
      fail("the DynamoDB peer refused " + what + ": " + answer.statusCode() + " " + answer.body());
    }
  }
}
