package com.cabalmail.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A DynamoDB stand-in on loopback for benchmarks (run with
 * {@code -Dsun.net.httpserver.nodelay=true}, or Nagle and delayed ACKs add 40 ms a call): every call (PutItem, GetItem, DeleteItem)
 * is answered {@code {}} (written; no item) after a fixed delay, as a nearby DynamoDB answers
 * in a few milliseconds. Not a DynamoDB: it keeps nothing.
 */
public final class DynamoDbStandIn implements AutoCloseable {

  private static final byte[] EMPTY = "{}".getBytes(StandardCharsets.UTF_8);

  private final LoopbackServer server;

  private DynamoDbStandIn(LoopbackServer server) {
    this.server = server;
  }

  /** Starts on a free loopback port, answering after {@code delayMs}. */
  public static DynamoDbStandIn start(int delayMs) throws IOException {
    return new DynamoDbStandIn(LoopbackServer.start(0, 64, "dynamodb-stand-in", exchange -> {
      try (InputStream in = exchange.getRequestBody(); OutputStream out =
          exchange.getResponseBody()) {
        in.readAllBytes();
        try {
          TimeUnit.MILLISECONDS.sleep(delayMs); // the stand-in's latency, by design
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
        exchange.sendResponseHeaders(200, EMPTY.length);
        out.write(EMPTY);
      }
    }));
  }

  /** Its address. */
  java.net.URI url() {
    return java.net.URI.create(server.baseUrl() + "/");
  }

  /** The environment pointing the DynamoDB ledger here. */
  public Map<String, String> environment() {
    return Map.of("ALERT_LEDGER", "dynamodb", "ALERT_LEDGER_TABLE", "cabal-alert-ledger",
        "AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", "AKIDBENCHMARK",
        "AWS_SECRET_ACCESS_KEY", "benchmark-secret", "AWS_ENDPOINT_URL_DYNAMODB",
        server.baseUrl());
  }

  @Override
  public void close() {
    server.close();
  }
}
