package com.cabalmail.aws.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import com.cabalmail.alert.testkit.Peers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real DynamoDB peer with atomic conditional writes, for tests: dynalite
 * ({@code peers/dynalite}, installed by {@code npm ci} there) on a free loopback port, in memory.
 * It takes a per-item lock around read-check-write, as DynamoDB does (moto does not). Unlike
 * DynamoDB, it returns no old item on a failed condition, even with
 * {@code ReturnValuesOnConditionCheckFailure=ALL_OLD}, and has no {@code UpdateTimeToLive}.
 * Where dynalite is missing, the test is skipped with a message saying what to install, and
 * fails under CI ({@code CI=true}).
 */
public final class DynaliteServer implements DynamoDbTables.Peer {

  private static final Duration START_WITHIN = Duration.ofSeconds(30);
  private final Process process;
  private final Path log;
  private final String endpoint;

  private DynaliteServer(Process process, Path log, String endpoint) {
    this.process = process;
    this.log = log;
    this.endpoint = endpoint;
  }

  /** Starts dynalite and waits (up to 30 s) until it answers. */
  public static DynaliteServer start() throws IOException {
    Path dynalite = Peers.dynalite();
    int port = Peers.freePort();
    Path log = Files.createTempFile("dynalite", ".log");
    // --createTableMs 0: a new table is ACTIVE at once (DynamoDbTables waits for it all the same)
    Process process = Peers.start(List.of(dynalite.toString(), "--host", "127.0.0.1",
        "--port", Integer.toString(port), "--createTableMs", "0"), log);
    DynaliteServer server = new DynaliteServer(process, log, "http://127.0.0.1:" + port);
    if (!Peers.within(START_WITHIN, () -> !process.isAlive()
        || PeerCalls.answers(server.endpoint + "/")) || !process.isAlive()) {
      String output = server.output();
      server.close();
      fail("dynalite did not start within " + START_WITHIN.toSeconds() + " s:\n" + output);
    }
    return server;
  }

  @Override
  public String endpoint() {
    return endpoint;
  }

  /** What dynalite printed so far (its output and errors). */
  public String output() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(its log could not be read: " + e + ")";
    }
  }

  /** Stops dynalite, politely then forcibly, and removes its log. */
  @Override
  public void close() throws IOException {
    Peers.stop(process);
    Files.deleteIfExists(log);
  }

  @Override
  public String toString() {
    return "dynalite at " + endpoint;
  }
}
