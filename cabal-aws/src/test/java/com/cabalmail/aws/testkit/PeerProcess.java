package com.cabalmail.aws.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import com.cabalmail.alert.testkit.Peers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One peer program a test runs on a loopback port (moto, dynalite): started, waited for until
 * its probe URL answers, its output kept in a log, stopped politely then forcibly.
 */
final class PeerProcess implements AutoCloseable {

  private final String name;
  private final Process process;
  private final Path log;
  final String endpoint;

  private PeerProcess(String name, Process process, Path log, String endpoint) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.endpoint = endpoint;
  }

  /**
   * Starts {@code command} (which listens on {@code port}) and waits up to {@code within} until
   * {@code probePath} answers; fails the test with the peer's output when it does not.
   */
  static PeerProcess start(String name, List<String> command, int port, Duration within,
      String probePath) throws IOException {
    Path log = Files.createTempFile(name, ".log");
    Process process = Peers.start(command, log);
    PeerProcess peer = new PeerProcess(name, process, log, "http://127.0.0.1:" + port);
    if (!Peers.within(within, () -> !process.isAlive()
        || PeerCalls.answers(peer.endpoint + probePath)) || !process.isAlive()) {
      String output = peer.output();
      peer.close();
      fail(name + " did not start within " + within.toSeconds() + " s:\n" + output);
    }
    return peer;
  }

  /** What the peer printed so far (its output and errors). */
  String output() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(its log could not be read: " + e + ")";
    }
  }

  /** Stops the peer, politely then forcibly, and removes its log. */
  @Override
  public void close() throws IOException {
    Peers.stop(process);
    Files.deleteIfExists(log);
  }

  @Override
  public String toString() {
    return name + " at " + endpoint;
  }
}
