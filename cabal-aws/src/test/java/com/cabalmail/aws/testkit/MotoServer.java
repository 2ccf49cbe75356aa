package com.cabalmail.aws.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import com.cabalmail.alert.testkit.Peers;
import com.cabalmail.http.Json;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real SSM Parameter Store and DynamoDB peer for tests: moto's server ({@code python3 -m moto.server}) on a
 * free loopback port. Where moto is missing, the test is skipped with a message saying what to
 * install, and fails under CI ({@code CI=true}), where end-to-end tests may not be skipped.
 */
public final class MotoServer implements DynamoDbTables.Peer {

  /** The region parameters are stored in: moto keeps one store per region, so read there. */
  public static final String REGION = "us-east-1";

  private final PeerProcess peer;
  private final String endpoint;

  private MotoServer(PeerProcess peer) {
    this.peer = peer;
    this.endpoint = peer.endpoint;
  }

  /** Starts moto and waits (up to 60 s) until it answers. */
  public static MotoServer start() throws IOException, InterruptedException {
    requireMoto();
    int port = Peers.freePort();
    return new MotoServer(PeerProcess.start("moto", List.of("python3", "-m", "moto.server",
        "-H", "127.0.0.1", "-p", Integer.toString(port)), port, Duration.ofSeconds(60),
        "/moto-api/"));
  }

  /** The endpoint to put in {@code AWS_ENDPOINT_URL_SSM} or {@code AWS_ENDPOINT_URL_DYNAMODB}. */
  @Override
  public String endpoint() {
    return endpoint;
  }

  /**
   * The environment of a client of this moto: placeholder session credentials (moto checks no
   * signature), {@code AWS_REGION} = {@link #REGION}, and {@code endpointVariable} =
   * {@link #endpoint()}. Mutable, so a test can add to it or move a variable.
   *
   * @param endpointVariable e.g. {@code AWS_ENDPOINT_URL_DYNAMODB}
   */
  public Map<String, String> environment(String endpointVariable) {
    Map<String, String> environment = new HashMap<>();
    environment.put("AWS_ACCESS_KEY_ID", "AKIDMOTOTEST");
    environment.put("AWS_SECRET_ACCESS_KEY", "moto-test-secret-access-key");
    environment.put("AWS_SESSION_TOKEN", "moto-test-session-token");
    environment.put("AWS_REGION", REGION);
    environment.put(endpointVariable, endpoint);
    return environment;
  }

  /**
   * Stores a SecureString in {@link #REGION} as the AWS CLI would (moto does not check
   * signatures, so this one is a placeholder: the client under test signs its own requests).
   */
  public void putSecureString(String name, String value) throws IOException, InterruptedException {
    send("1.1", "AmazonSSM.PutParameter", "ssm", "PutParameter " + name, Json.write(g -> {
      g.writeStartObject();
      g.writeStringField("Name", name);
      g.writeStringField("Value", value);
      g.writeStringField("Type", "SecureString");
      g.writeBooleanField("Overwrite", true);
      g.writeEndObject();
    }));
  }

  /** Creates a DynamoDB table in {@link #REGION} keyed by the string {@code partitionKey}. */
  public void createTable(String table, String partitionKey)
      throws IOException, InterruptedException {
    DynamoDbTables.createTable(endpoint, table, partitionKey, null);
  }

  private void send(String jsonVersion, String target, String service, String what, byte[] body)
      throws IOException, InterruptedException {
    HttpResponse<String> answer = PeerCalls.send(endpoint, jsonVersion, target, service, body);
    if (answer.statusCode() != 200) {
      fail("moto refused " + what + ": " + answer.statusCode() + " " + answer.body());
    }
  }

  /** Stops moto, politely then forcibly, and removes its log. */
  @Override
  public void close() throws IOException {
    peer.close();
  }

  private static void requireMoto() {
    boolean ok;
    try {
      Process probe = new ProcessBuilder("python3", "-c", "import moto.server")
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      ok = probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0;
    } catch (IOException e) {
      ok = false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ok = false;
    }
    if (!ok) {
      Peers.missing("python3 cannot import moto.server: install the moto package"
          + " (pip install 'moto[server]')");
    }
  }
}
