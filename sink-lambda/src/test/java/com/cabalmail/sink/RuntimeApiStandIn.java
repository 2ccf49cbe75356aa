package com.cabalmail.sink;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The Lambda Runtime API played on loopback (PROTOCOLS.md §10): {@code next} blocks until a test
 * queues an event, and answers it with the request id, deadline and trace headers; the runtime's
 * {@code /response}, {@code /error} and {@code /init/error} posts complete futures a test waits
 * on, and are answered 202. After {@link #stopServing()}, {@code next} answers 410 (a runtime
 * then exits). Used by the loop's tests, the package's end-to-end test and the AOT training run.
 */
final class RuntimeApiStandIn implements AutoCloseable {

  /** What the runtime posted for one invocation (or for the init). */
  record Posted(String kind, Map<String, String> headers, byte[] body) {
    String text() {
      return new String(body, java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  private record Queued(String requestId, byte[] event, long deadlineMs, String traceId) {}

  private static final Queued STOP = new Queued("", new byte[0], 0, "");

  private final HttpServer server;
  private final ExecutorService workers;
  private final Clock clock;
  private final BlockingQueue<Queued> events = new LinkedBlockingQueue<>();
  private final Map<String, CompletableFuture<Posted>> posted = new ConcurrentHashMap<>();
  private final CompletableFuture<Posted> initError = new CompletableFuture<>();
  private volatile boolean stopped;

  private RuntimeApiStandIn(HttpServer server, ExecutorService workers, Clock clock) {
    this.server = server;
    this.workers = workers;
    this.clock = clock;
  }

  /** Serves on a free loopback port. */
  static RuntimeApiStandIn start(Clock clock) throws IOException {
    System.setProperty("sun.net.httpserver.nodelay", "true");
    HttpServer server = HttpServer.create(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    ExecutorService workers = Executors.newCachedThreadPool(task -> {
      Thread thread = new Thread(task, "runtime-api-stand-in");
      thread.setDaemon(true);
      return thread;
    });
    RuntimeApiStandIn api = new RuntimeApiStandIn(server, workers, clock);
    server.createContext(RuntimeApi.PREFIX + "/", api::answer);
    server.setExecutor(workers);
    server.start();
    return api;
  }

  /** {@code host:port}, the value of {@code AWS_LAMBDA_RUNTIME_API}. */
  String address() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  /**
   * Queues one event with {@code timeout} until its deadline; the future completes with what the
   * runtime posts for it ({@code response} or {@code error}).
   */
  CompletableFuture<Posted> invoke(byte[] event, Duration timeout, String traceId) {
    String id = UUID.randomUUID().toString();
    CompletableFuture<Posted> answer = new CompletableFuture<>();
    posted.put(id, answer);
    events.add(new Queued(id, event, clock.millis() + timeout.toMillis(), traceId));
    return answer;
  }

  /** Completes with the runtime's {@code /init/error} post. */
  CompletableFuture<Posted> initError() {
    return initError;
  }

  /** From now on, {@code next} answers 410 Gone: a runtime loop ends. */
  void stopServing() {
    stopped = true;
    events.add(STOP);
  }

  private void answer(HttpExchange exchange) throws IOException {
    try (exchange; InputStream in = exchange.getRequestBody()) {
      byte[] body = in.readAllBytes();
      String path = exchange.getRequestURI().getPath().substring(RuntimeApi.PREFIX.length());
      if (path.equals("/invocation/next") && exchange.getRequestMethod().equals("GET")) {
        next(exchange);
        return;
      }
      Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, values.get(0)));
      if (path.equals("/init/error")) {
        initError.complete(new Posted("init-error", headers, body));
        exchange.sendResponseHeaders(202, -1);
        return;
      }
      String[] parts = path.split("/");
      // "", "invocation", id, "response" | "error"
      CompletableFuture<Posted> waiting = parts.length == 4 ? posted.remove(parts[2]) : null;
      if (waiting == null) {
        exchange.sendResponseHeaders(400, -1);
        return;
      }
      waiting.complete(new Posted(parts[3], headers, body));
      exchange.sendResponseHeaders(202, -1);
    }
  }

  private void next(HttpExchange exchange) throws IOException {
    Queued event;
    try {
      event = stopped ? STOP : events.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      event = STOP;
    }
    if (event == STOP) {
      events.add(STOP); // every later next ends too
      exchange.sendResponseHeaders(410, -1);
      return;
    }
    exchange.getResponseHeaders().set(RuntimeApi.REQUEST_ID, event.requestId());
    exchange.getResponseHeaders().set(RuntimeApi.DEADLINE_MS, Long.toString(event.deadlineMs()));
    exchange.getResponseHeaders().set("Lambda-Runtime-Invoked-Function-Arn",
        "arn:aws:lambda:us-east-1:123456789012:function:cabal-alert-sink");
    if (event.traceId() != null) {
      exchange.getResponseHeaders().set(RuntimeApi.TRACE_ID, event.traceId());
    }
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, event.event().length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(event.event());
    }
  }

  @Override
  public void close() {
    stopServing();
    server.stop(0);
    workers.shutdownNow();
  }
}
