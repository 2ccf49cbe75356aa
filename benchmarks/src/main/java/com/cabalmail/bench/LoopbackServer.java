package com.cabalmail.bench;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A JDK HTTP server on loopback whose exchanges run on daemon threads: what the benchmarks'
 * stand-ins answer on. Closing it stops it at once and ends its threads.
 *
 * @param server the server, started
 * @param workers the threads its exchanges run on
 */
record LoopbackServer(HttpServer server, ExecutorService workers) implements AutoCloseable {

  /**
   * Serves {@code handler} at {@code /} on 127.0.0.1:{@code port} (0: a free port), on threads
   * named {@code name}.
   */
  static LoopbackServer start(int port, int backlog, String name, HttpHandler handler)
      throws IOException {
    HttpServer server = HttpServer.create(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), port), backlog);
    ExecutorService workers = Executors.newCachedThreadPool(task -> {
      Thread thread = new Thread(task, name);
      thread.setDaemon(true);
      return thread;
    });
    server.setExecutor(workers);
    server.createContext("/", handler);
    server.start();
    return new LoopbackServer(server, workers);
  }

  /** The port it listens on. */
  int port() {
    return server.getAddress().getPort();
  }

  /** {@code http://127.0.0.1:<port>}. */
  String baseUrl() {
    return "http://127.0.0.1:" + port();
  }

  @Override
  public void close() {
    server.stop(0);
    workers.shutdownNow();
  }
}
