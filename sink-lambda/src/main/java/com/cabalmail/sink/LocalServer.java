package com.cabalmail.sink;

import com.cabalmail.alert.ConfigException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink served over plain HTTP on loopback, from the same environment as the Lambda:
 * {@code java -jar sink-lambda.jar [--port N]} (default {@code PORT}, else 8080). With no
 * transport configured (neither {@code ALERT_ROUTES} nor any setting a transport provider on
 * the class path declares, nor its {@code _PARAM} form) it prints routed alerts (the
 * {@code console} transport); with no secret
 * configured it generates one for the run and prints it with a ready-to-run {@code curl}.
 *
 * <p>Each connection carries one request and gets its own deadlines (the head within 5 s of
 * its first byte, the whole request within 15 s, each write within 5 s), on one of
 * {@value #WORKERS} workers: a few clients that trickle their requests a byte at a time never
 * hold up another caller, and a request that waited for a worker is still read. An error
 * answered before the request was read whole (413, 400, 503) is followed by a bounded drain
 * of what the client still sends, so the answer arrives instead of a connection reset.
 */
public final class LocalServer implements AutoCloseable {

  /** The port used when neither {@code --port} nor {@code PORT} says. */
  public static final int DEFAULT_PORT = 8080;

  /**
   * Connection workers. Each connection holds one until it is answered or its read deadline
   * ({@link LoopbackHttp#HEAD_DEADLINE}, {@link LoopbackHttp#REQUEST_DEADLINE}) passes, so this
   * many clients trickling their requests at once are what it takes to delay another caller.
   */
  static final int WORKERS = 32;
  /** Connections waiting for a worker; beyond this a connection is answered 503 at once. */
  static final int QUEUED = 256;
  /** Threads that answer 503 to connections past the queue, then drain them. */
  private static final int REFUSERS = 2;
  private static final int BACKLOG = 128;
  private static final Logger log = LoggerFactory.getLogger(LocalServer.class);

  private final ServerSocket server;
  private final ExecutorService workers;
  private final ExecutorService refusers;
  private final Sink sink;
  private final LoopbackHttp.Limits limits;
  private final CountDownLatch closed = new CountDownLatch(1);

  private LocalServer(ServerSocket server, ExecutorService workers, ExecutorService refusers,
      Sink sink, LoopbackHttp.Limits limits) {
    this.server = server;
    this.workers = workers;
    this.refusers = refusers;
    this.sink = sink;
    this.limits = limits;
  }

  /**
   * Serves until the process is stopped; exits 1 with the reason when it cannot start. The one
   * process-wide choice, a shutdown hook that closes the server, is made here, never by
   * {@link #run}; no system property is set (each connection gets TCP_NODELAY itself).
   */
  public static void main(String[] args) throws InterruptedException {
    AtomicReference<LocalServer> served = new AtomicReference<>();
    PrintStream out = StdoutLogging.utf8(System.out);
    int status = run(args, System.getenv(), out, StdoutLogging.utf8(System.err), server -> {
      served.set(server);
      Runtime.getRuntime().addShutdownHook(new Thread(server::close, "cabal-sink-stop"));
    });
    if (status != 0) {
      System.exit(status);
    }
    // The server's threads are daemons (tests start and stop servers in one JVM), so the
    // command keeps its process alive until the server is closed (Ctrl-C, SIGTERM).
    served.get().awaitClose();
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
      byte[] example = DirectAlertBody.of("critical", "local/test", "Hello from the sink");
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
    return start(sink, port, WORKERS);
  }

  /** As {@link #start(Sink, int)}, with {@code workers} connection workers (tests). */
  static LocalServer start(Sink sink, int port, int workers) throws IOException {
    return start(sink, port, workers, QUEUED, LoopbackHttp.Limits.DEFAULT);
  }

  /**
   * As {@link #start(Sink, int)}, with {@code workers} connection workers, {@code queued}
   * connections waiting for one, and the connections' {@code limits} (tests).
   */
  static LocalServer start(Sink sink, int port, int workers, int queued,
      LoopbackHttp.Limits limits) throws IOException {
    ServerSocket socket = new ServerSocket();
    socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), BACKLOG);
    ThreadPoolExecutor pool = new ThreadPoolExecutor(workers, workers, 30, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(queued), task -> {
          Thread thread = new Thread(task, "cabal-sink-http");
          thread.setDaemon(true);
          return thread;
        });
    pool.allowCoreThreadTimeOut(true);
    ThreadPoolExecutor refusers = new ThreadPoolExecutor(0, REFUSERS, 5, TimeUnit.SECONDS,
        new SynchronousQueue<>(), task -> {
          Thread thread = new Thread(task, "cabal-sink-refuse");
          thread.setDaemon(true);
          return thread;
        });
    LocalServer local = new LocalServer(socket, pool, refusers, sink, limits);
    // Callbacks and actions point here unless ALERT_PUBLIC_URL says otherwise.
    sink.acknowledgements().useLocalAddress("http://127.0.0.1:" + socket.getLocalPort());
    Thread acceptor = new Thread(local::accept, "cabal-sink-accept");
    acceptor.setDaemon(true);
    acceptor.start();
    return local;
  }

  /** The port served. */
  int port() {
    return server.getLocalPort();
  }

  private void accept() {
    while (!server.isClosed()) {
      Socket connection;
      try {
        connection = server.accept();
      } catch (IOException e) {
        if (server.isClosed()) {
          return;
        }
        log.warn("local server: accept failed: {}", e.toString());
        continue;
      }
      try {
        workers.execute(() -> serve(connection));
      } catch (RejectedExecutionException e) {
        // Every worker busy and the queue full: say so at once rather than hang the caller,
        // off the accepting thread (the answer is followed by a drain).
        try {
          refusers.execute(() -> refuse(connection));
        } catch (RejectedExecutionException overloaded) {
          closeQuietly(connection);
        }
      }
    }
  }

  private void refuse(Socket connection) {
    try (connection) {
      SinkResponse busy = SinkResponse.error(503, UUID.randomUUID().toString(),
          "every worker is busy and the queue is full; retry shortly")
          .withHeader("retry-after", "1");
      LoopbackHttp.write(connection, busy.status(), busy.headers(), busy.body(), false,
          limits.write());
      LoopbackHttp.drain(connection, limits);
    } catch (IOException e) {
      log.debug("local server: refused connection ended early: {}", e.toString());
    }
  }

  private void serve(Socket connection) {
    long servedAt = System.nanoTime();
    try (connection) {
      connection.setTcpNoDelay(true);
      String id = UUID.randomUUID().toString();
      SinkResponse response;
      boolean head = false;
      boolean unread = false;
      try {
        LoopbackHttp.Request request = LoopbackHttp.read(connection, sink.maxBodyBytes(),
            System::nanoTime, servedAt, limits);
        head = request.method().equals("HEAD");
        response = sink.handle(SinkRequest.withRepeatedHeaders(request.method(), request.path(),
            request.headers(), request.body(), id));
      } catch (LoopbackHttp.Unreadable e) {
        response = SinkResponse.error(e.status(), id, e.getMessage());
        // A client past its deadline is too slow to wait for; any other may still be sending.
        unread = e.status() != 408;
      }
      LoopbackHttp.write(connection, response.status(), response.headers(), response.body(),
          head, limits.write());
      if (unread) {
        LoopbackHttp.drain(connection, limits);
      }
    } catch (IOException e) {
      log.debug("local server: connection ended early: {}", e.toString());
    }
  }

  private static void closeQuietly(Socket connection) {
    try {
      connection.close();
    } catch (IOException ignored) {
      // nothing more to do
    }
  }

  /** Waits until {@link #close} has run. */
  void awaitClose() throws InterruptedException {
    closed.await();
  }

  @Override
  public void close() {
    closed.countDown();
    try {
      server.close();
    } catch (IOException e) {
      log.debug("local server: close: {}", e.toString());
    }
    workers.shutdownNow();
    refusers.shutdownNow();
    try {
      workers.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
