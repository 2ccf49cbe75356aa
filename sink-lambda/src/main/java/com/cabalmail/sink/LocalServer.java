package com.cabalmail.sink;

import com.cabalmail.alert.ConfigException;
import com.cabalmail.http.Json;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The sink served over plain HTTP on loopback, from the same environment as the Lambda:
 * {@code java -jar sink-lambda.jar [--port N]} (default {@code PORT}, else 8080). With no
 * transport configured (neither {@code ALERT_ROUTES} nor any setting a transport provider on
 * the class path declares, nor its {@code _PARAM} form) it prints routed alerts (the
 * {@code console} transport); with no secret
 * configured it generates one for the run and prints it with a ready-to-run {@code curl}.
 */
public final class LocalServer implements AutoCloseable {

  /** The port used when neither {@code --port} nor {@code PORT} says. */
  public static final int DEFAULT_PORT = 8080;

  private final HttpServer server;
  private final ExecutorService workers;
  private final Sink sink;

  /** The JDK server's switch for TCP_NODELAY, read once per process. */
  static final String NODELAY = "sun.net.httpserver.nodelay";

  private LocalServer(HttpServer server, ExecutorService workers, Sink sink) {
    this.server = server;
    this.workers = workers;
    this.sink = sink;
  }

  /**
   * Serves until the process is stopped; exits 1 with the reason when it cannot start. The
   * process-wide choices are made here, once, never by {@link #run}: the JDK server's
   * {@code sun.net.httpserver.nodelay} (unless given with {@code -D}; the JDK reads it once) and
   * one shutdown hook that closes the server.
   */
  public static void main(String[] args) {
    if (System.getProperty(NODELAY) == null) {
      // The JDK server writes headers and body separately; with Nagle on, small answers stall
      // ~40 ms on delayed ACKs.
      System.setProperty(NODELAY, "true");
    }
    int status = run(args, System.getenv(), System.out, System.err,
        server -> Runtime.getRuntime().addShutdownHook(
            new Thread(server::close, "cabal-sink-stop")));
    if (status != 0) {
      System.exit(status);
    }
  }

  /** Starts serving and returns 0, or prints why not and returns the exit status. */
  static int run(String[] args, Map<String, String> environment, PrintStream out,
      PrintStream err) {
    return run(args, environment, out, err, server -> { });
  }

  /**
   * Starts serving, hands the server to {@code started} (which owns closing it) and returns 0,
   * or prints why not and returns the exit status.
   */
  static int run(String[] args, Map<String, String> environment, PrintStream out,
      PrintStream err, Consumer<LocalServer> started) {
    int port;
    try {
      port = port(args, environment);
    } catch (IllegalArgumentException e) {
      err.println("sink: " + e.getMessage());
      err.println("usage: java -jar sink-lambda.jar [--port N]   (or PORT=N)");
      return 2;
    }
    Map<String, String> settings = new LinkedHashMap<>(environment);
    String generated = null;
    if (!SinkSetup.hasSharedSecret(environment)) {
      generated = SinkSetup.generateSecret();
      settings.put(SinkSetup.ALERT_SECRET, generated);
      out.println("No ALERT_SECRET or ALERT_SECRET_PARAM set: this run accepts the generated"
          + " secret " + generated);
    }
    LocalServer server;
    try {
      server = start(SinkSetup.create(settings, SinkSetup.SSM,
          LocalServer.class.getClassLoader(), out), port);
    } catch (ConfigException e) {
      err.println("sink not started: " + e.getMessage());
      return 1;
    } catch (IOException e) {
      err.println("sink not started: cannot listen on 127.0.0.1:" + port + ": " + e.getMessage());
      return 1;
    }
    started.accept(server);
    out.println("Alert sink listening on http://127.0.0.1:" + server.port() + "/ (paths "
        + Sink.PATHS + ", GET /health)");
    if (generated != null) {
      byte[] example = Json.write(g -> {
        g.writeStartObject();
        g.writeStringField("severity", "critical");
        g.writeStringField("source", "local/test");
        g.writeStringField("summary", "Hello from the sink");
        g.writeEndObject();
      });
      out.println("Fire a test alert:\n  curl -sS -i -H 'X-Alert-Secret: " + generated + "'"
          + " -H 'Content-Type: application/json' -d '"
          + new String(example, StandardCharsets.UTF_8) + "' http://127.0.0.1:" + server.port()
          + "/");
    }
    return 0;
  }

  static int port(String[] args, Map<String, String> environment) {
    String text = environment.get("PORT");
    List<String> list = List.of(args);
    for (int i = 0; i < list.size(); i++) {
      String arg = list.get(i);
      if (arg.equals("--port") && i + 1 < list.size()) {
        text = list.get(++i);
      } else if (arg.startsWith("--port=")) {
        text = arg.substring(7);
      } else {
        throw new IllegalArgumentException("unknown argument '" + arg + "'");
      }
    }
    if (text == null || text.isBlank()) {
      return DEFAULT_PORT;
    }
    try {
      int port = Integer.parseInt(text.trim());
      if (port >= 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("port '" + text + "' is not a number from 0 to 65535");
  }

  /** Serves {@code sink} on 127.0.0.1:{@code port} (0 picks a free port). */
  static LocalServer start(Sink sink, int port) throws IOException {
    HttpServer server = HttpServer.create(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
    ExecutorService workers = Executors.newFixedThreadPool(4, task -> {
      Thread thread = new Thread(task, "cabal-sink-http");
      thread.setDaemon(true);
      return thread;
    });
    LocalServer local = new LocalServer(server, workers, sink);
    server.createContext("/", local::serve);
    server.setExecutor(workers);
    server.start();
    return local;
  }

  /** The port served. */
  int port() {
    return server.getAddress().getPort();
  }

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      String id = UUID.randomUUID().toString();
      Map<String, String> headers = new LinkedHashMap<>();
      exchange.getRequestHeaders().forEach((name, values) -> headers.put(name,
          String.join(",", values)));
      SinkResponse response;
      byte[] body = readCapped(exchange.getRequestBody(), sink.maxBodyBytes());
      if (body == null) {
        response = sink.tooLarge(id, (long) sink.maxBodyBytes() + 1);
      } else {
        response = sink.handle(new SinkRequest(exchange.getRequestMethod(),
            exchange.getRequestURI().getRawPath(), headers, body, id));
      }
      response.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
      byte[] out = response.body();
      boolean empty = out.length == 0 || exchange.getRequestMethod().equalsIgnoreCase("HEAD");
      exchange.sendResponseHeaders(response.status(), empty ? -1 : out.length);
      if (!empty) {
        try (OutputStream stream = exchange.getResponseBody()) {
          stream.write(out);
        }
      }
    }
  }

  /** The body, or null when it is over {@code max} bytes (reading stops there). */
  static byte[] readCapped(InputStream in, int max) throws IOException {
    byte[] bytes = in.readNBytes(max + 1);
    return bytes.length > max ? null : bytes;
  }

  @Override
  public void close() {
    server.stop(0);
    workers.shutdownNow();
    try {
      workers.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
