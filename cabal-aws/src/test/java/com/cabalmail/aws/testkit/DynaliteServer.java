package com.cabalmail.aws.testkit;


import com.cabalmail.alert.testkit.Peers;
import java.io.IOException;
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
  private final PeerProcess peer;

  private DynaliteServer(PeerProcess peer) {
    this.peer = peer;
  }

  /** Starts dynalite and waits (up to 30 s) until it answers. */
  public static DynaliteServer start() throws IOException {
    Path dynalite = Peers.dynalite();
    int port = Peers.freePort();
    // --createTableMs 0: a new table is ACTIVE at once (DynamoDbTables waits for it all the same)
    return new DynaliteServer(PeerProcess.start("dynalite", List.of(dynalite.toString(),
        "--host", "127.0.0.1", "--port", Integer.toString(port), "--createTableMs", "0"), port,
        START_WITHIN, "/"));
  }

  @Override
  public String endpoint() {
    return peer.endpoint;
  }

  /** What dynalite printed so far (its output and errors). */
  public String output() {
    return peer.output();
  }

  /** Stops dynalite, politely then forcibly, and removes its log. */
  @Override
  public void close() throws IOException {
    peer.close();
  }

  @Override
  public String toString() {
    return peer.toString();
  }
}
