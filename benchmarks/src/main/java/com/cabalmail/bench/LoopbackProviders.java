package com.cabalmail.bench;

import com.cabalmail.http.Json;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Pushover and ntfy stand-ins on loopback for benchmarks: one JDK {@link HttpServer} answering
 * {@code POST /1/messages.json} and {@code /1/receipts/cancel_by_tag/*} as Pushover does, and a
 * JSON publish to {@code /} as ntfy does, each after a fixed delay. Run standalone for the
 * cold-start script: {@code LoopbackProviders <port> <pushover delay ms> <ntfy delay ms>}.
 */
public final class LoopbackProviders implements AutoCloseable {

  private final Duration pushoverDelay;
  private final Duration ntfyDelay;
  private final AtomicLong pushoverRequests = new AtomicLong();
  private final AtomicLong ntfyRequests = new AtomicLong();
  private final LoopbackServer server;

  /** Serves, once every field the answers read is set. */
  private LoopbackProviders(int port, Duration pushoverDelay, Duration ntfyDelay)
      throws IOException {
    this.pushoverDelay = pushoverDelay;
    this.ntfyDelay = ntfyDelay;
    this.server = LoopbackServer.start(port, 128, "loopback-provider", this::answer);
  }

  /** Serves both providers on 127.0.0.1:{@code port} (0: a free port). */
  public static LoopbackProviders start(int port, Duration pushoverDelay, Duration ntfyDelay)
      throws IOException {
    // Without it the JDK server's separate header and body writes meet Nagle and delayed ACKs:
    // 40 ms stalls that would swamp what is measured. Read once, when the server first starts.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    return new LoopbackProviders(port, pushoverDelay, ntfyDelay);
  }

  /** {@code http://127.0.0.1:<port>}: the base URL of both providers. */
  public URI baseUrl() {
    return URI.create(server.baseUrl());
  }

  /** Requests answered as Pushover. */
  public long pushoverRequests() {
    return pushoverRequests.get();
  }

  /** Requests answered as ntfy. */
  public long ntfyRequests() {
    return ntfyRequests.get();
  }

  private void answer(HttpExchange exchange) throws IOException {
    try (exchange; InputStream in = exchange.getRequestBody()) {
      in.readAllBytes();
      String path = exchange.getRequestURI().getPath();
      boolean pushover = path.startsWith("/1/");
      sleep(pushover ? pushoverDelay : ntfyDelay);
      byte[] body;
      if (pushover) {
        pushoverRequests.incrementAndGet();
        exchange.getResponseHeaders().set("X-Limit-App-Limit", "10000");
        exchange.getResponseHeaders().set("X-Limit-App-Remaining", "9999");
        exchange.getResponseHeaders().set("X-Limit-App-Reset", "1790000000");
        body = Json.write(g -> {
          g.writeStartObject();
          g.writeNumberField("status", 1);
          g.writeStringField("request", UUID.randomUUID().toString());
          g.writeEndObject();
        });
      } else {
        ntfyRequests.incrementAndGet();
        body = Json.write(g -> {
          g.writeStartObject();
          g.writeStringField("id", "bench" + Long.toString(System.nanoTime(), 36));
          g.writeNumberField("time", System.currentTimeMillis() / 1000);
          g.writeStringField("event", "message");
          g.writeStringField("topic", "alerts");
          g.writeStringField("message", "ok");
          g.writeEndObject();
        });
      }
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private static void sleep(Duration delay) {
    if (delay.isZero()) {
      return;
    }
    try {
      Thread.sleep(delay.toMillis()); // the provider's fixed answer time, by design
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    server.close();
  }

  /** Serves until killed; prints {@code ready <port>} once listening. */
  public static void main(String[] args) throws IOException {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
    Duration pushover = Duration.ofMillis(args.length > 1 ? Long.parseLong(args[1]) : 0);
    Duration ntfy = Duration.ofMillis(args.length > 2 ? Long.parseLong(args[2]) : 0);
    LoopbackProviders providers = start(port, pushover, ntfy);
    System.out.println("ready " + providers.server.port());
    System.out.flush();
  }
}
