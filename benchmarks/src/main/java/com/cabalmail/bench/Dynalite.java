package com.cabalmail.bench;

import com.cabalmail.aws.AwsJsonClient;
import com.cabalmail.aws.AwsService;
import com.cabalmail.http.Deadline;
import com.cabalmail.http.HttpDelivery;
import com.cabalmail.http.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * dynalite ({@code peers/dynalite}, installed by {@code npm ci} there, as {@code .ci/run} does),
 * the DynamoDB stand-in the deployed form's cold starts talk to: on a free loopback port, in
 * memory, a new table (key {@code pk}) whenever asked, made outside the measured processes.
 */
final class Dynalite implements AutoCloseable {

  private static final Duration START_WITHIN = Duration.ofSeconds(30);

  private final Process process;
  private final String endpoint;
  private final AwsJsonClient client;
  private final AtomicInteger tables = new AtomicInteger();

  private Dynalite(Process process, String endpoint) throws IOException {
    this.process = process;
    this.endpoint = endpoint;
    try {
      this.client = AwsJsonClient.fromEnvironment(AwsService.DYNAMODB, Map.of(
          "AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", "AKIDBUDGETTABLES",
          "AWS_SECRET_ACCESS_KEY", "budget-tables-secret", "AWS_ENDPOINT_URL_DYNAMODB", endpoint),
          HttpDelivery.shared(), Clock.systemUTC());
    } catch (com.cabalmail.aws.AwsException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  /** Starts {@code <peers>/node_modules/.bin/dynalite} and waits until it accepts connections. */
  static Dynalite start(Path peers, Path work) throws IOException, InterruptedException {
    Path program = peers.resolve("node_modules/.bin/dynalite").toAbsolutePath();
    if (!Files.isExecutable(program)) {
      throw new IllegalStateException("dynalite is missing at " + program
          + ": run 'npm ci' in " + peers + " (.ci/run does)");
    }
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    Process process = new ProcessBuilder(program.toString(), "--host", "127.0.0.1", "--port",
        Integer.toString(port), "--createTableMs", "0")
        .redirectErrorStream(true).redirectOutput(work.resolve("dynalite.log").toFile()).start();
    long until = System.nanoTime() + START_WITHIN.toNanos();
    while (true) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        break;
      } catch (IOException notYet) {
        if (!process.isAlive() || System.nanoTime() > until) {
          process.destroyForcibly();
          throw new IllegalStateException("dynalite did not start: "
              + Files.readString(work.resolve("dynalite.log")));
        }
        Thread.sleep(50);
      }
    }
    return new Dynalite(process, "http://127.0.0.1:" + port);
  }

  String endpoint() {
    return endpoint;
  }

  /** Creates a new table keyed by {@code pk}; returns its name. */
  String newTable() throws IOException {
    String table = "budget-ledger-" + tables.incrementAndGet();
    byte[] body = Json.write(g -> {
      g.writeStartObject();
      g.writeStringField("TableName", table);
      g.writeArrayFieldStart("AttributeDefinitions");
      g.writeStartObject();
      g.writeStringField("AttributeName", "pk");
      g.writeStringField("AttributeType", "S");
      g.writeEndObject();
      g.writeEndArray();
      g.writeArrayFieldStart("KeySchema");
      g.writeStartObject();
      g.writeStringField("AttributeName", "pk");
      g.writeStringField("KeyType", "HASH");
      g.writeEndObject();
      g.writeEndArray();
      g.writeStringField("BillingMode", "PAY_PER_REQUEST");
      g.writeEndObject();
    });
    try {
      client.call("CreateTable", body, Deadline.after(Duration.ofSeconds(10)),
          "creating " + table);
    } catch (com.cabalmail.aws.AwsException e) {
      throw new IOException(e.getMessage(), e);
    }
    return table;
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
