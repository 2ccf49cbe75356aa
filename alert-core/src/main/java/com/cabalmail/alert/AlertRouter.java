package com.cabalmail.alert;

import com.cabalmail.alert.spi.Transport;
import com.cabalmail.http.Deadline;
import com.cabalmail.http.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fans alerts out to transports by the routing table. Every delivery of a call runs in
 * parallel on daemon threads, each bounded by the per-transport timeout and all by the call's
 * deadline; one slow, hung or throwing transport never delays or breaks another. Each delivery
 * ends as one line of the {@link DeliveryReport} and one structured log line.
 *
 * <p><b>Bounds.</b> Deliveries run on at most {@value #MAX_THREADS} threads (idle ones end after
 * 30 s); more wait in a queue of at most {@value #MAX_QUEUED} deliveries,
 * each still bounded by its own deadline, so a request of many alerts never fails a delivery
 * for lack of a thread (a transport that limits its own concurrency, such as Pushover's two
 * connections, queues it within the deadline too). Only beyond the queue is a delivery failed at
 * once, as "router saturated".
 *
 * <p><b>Closing.</b> {@link #close()} takes no new work ({@link #route} then throws
 * {@link IllegalStateException}), waits up to {@value #CLOSE_GRACE_MILLIS} ms for running
 * deliveries, then interrupts them; closing twice is harmless.
 *
 * <pre>
 * AlertRouter router = AlertRouter.create(AlertConfig.from(System.getenv()));
 * DeliveryReport report = router.route(Alert.firing(Severity.CRITICAL, "cron/backup", "failed"));
 * </pre>
 *
 * Thread-safe; make one per process.
 */
public final class AlertRouter implements AutoCloseable {

  /** The most deliveries running at once. */
  public static final int MAX_THREADS = 32;
  /** The most deliveries waiting for a thread. */
  public static final int MAX_QUEUED = 4096;
  /** How long {@link #close()} waits for running deliveries before interrupting them. */
  public static final long CLOSE_GRACE_MILLIS = 2_000;
  private static final long IDLE_SECONDS = 30;

  private static final Logger log = LoggerFactory.getLogger(AlertRouter.class);
  /** How long past its deadline a transport that ignores it is waited for. */
  private static final Duration GRACE = Duration.ofMillis(50);
  private static final AtomicInteger THREADS = new AtomicInteger();
  private static final ThreadFactory DAEMONS = task -> {
    Thread thread = new Thread(task, "cabal-alert-delivery-" + THREADS.incrementAndGet());
    thread.setDaemon(true);
    return thread;
  };

  private final RoutingTable routes;
  private final Map<String, Transport> transports;
  private final Duration transportTimeout;
  private final Duration deadline;
  private final Ticker ticker;
  private final ThreadPoolExecutor workers = boundedWorkers();

  private AlertRouter(Builder builder) {
    this.routes = builder.routes;
    this.transports = Map.copyOf(builder.transports);
    this.transportTimeout = builder.transportTimeout;
    this.deadline = builder.deadline;
    this.ticker = builder.ticker;
  }

  private static ThreadPoolExecutor boundedWorkers() {
    ThreadPoolExecutor pool = new ThreadPoolExecutor(MAX_THREADS, MAX_THREADS, IDLE_SECONDS,
        TimeUnit.SECONDS, new LinkedBlockingQueue<>(MAX_QUEUED), DAEMONS);
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  /** A router for a validated configuration. */
  public static AlertRouter create(AlertConfig config) {
    Builder builder = builder()
        .routes(config.routes())
        .transportTimeout(config.transportTimeout())
        .deadline(config.deadline());
    config.transports().forEach(builder::transport);
    return builder.build();
  }

  /** A router assembled by hand: for embedding and tests. */
  public static Builder builder() {
    return new Builder();
  }

  /** The table this router follows. */
  public RoutingTable routes() {
    return routes;
  }

  /** Routes one alert. */
  public DeliveryReport route(Alert alert) {
    return route(List.of(alert));
  }

  /**
   * Routes every alert of a batch, all deliveries in parallel, within one deadline.
   *
   * @throws IllegalStateException once the router is closed
   */
  public DeliveryReport route(List<Alert> alerts) {
    requireOpen();
    Deadline overall = Deadline.after(deadline, ticker);
    List<Pending> pending = new ArrayList<>();
    for (Alert alert : alerts) {
      List<Route> planned = routes.routesFor(alert);
      if (planned.isEmpty()) {
        pending.add(new Pending(alert, null, null, null, 0));
        continue;
      }
      for (Route route : planned) {
        Deadline own = overall.atMost(transportTimeout);
        Transport transport = transports.get(route.transport());
        long queued = ticker.nanoTime();
        Future<Finished> future;
        try {
          future = workers.submit(() -> deliver(transport, alert, route, own));
        } catch (RejectedExecutionException e) {
          requireOpen();
          future = CompletableFuture.completedFuture(new Finished(Outcome.failed(
              "router saturated: " + MAX_QUEUED + " deliveries already wait for a thread", 0),
              Duration.ZERO));
        }
        pending.add(new Pending(alert, route, own, future, queued));
      }
    }
    List<Delivery> deliveries = new ArrayList<>(pending.size());
    for (Pending p : pending) {
      Delivery delivery = p.await();
      logDelivery(delivery);
      deliveries.add(delivery);
    }
    return new DeliveryReport(deliveries);
  }

  private Finished deliver(Transport transport, Alert alert, Route route, Deadline own) {
    long started = ticker.nanoTime();
    Outcome outcome;
    try {
      outcome = Objects.requireNonNull(
          transport.deliver(alert, route.priority(), own), "transport returned no outcome");
    } catch (Throwable t) { // contained: one broken transport never breaks the others
      outcome = Outcome.failed("transport threw " + t.getClass().getName()
          + (t.getMessage() == null ? "" : ": " + t.getMessage()), 0);
      log.warn("transport '{}' threw while delivering alert {}", route.transport(),
          alert.fingerprint(), t);
    }
    return new Finished(outcome, Duration.ofNanos(ticker.nanoTime() - started));
  }

  private record Finished(Outcome outcome, Duration elapsed) {}

  private final class Pending {
    final Alert alert;
    final Route route;
    final Deadline deadline;
    final Future<Finished> future;
    final long queued;

    Pending(Alert alert, Route route, Deadline deadline, Future<Finished> future, long queued) {
      this.alert = alert;
      this.route = route;
      this.deadline = deadline;
      this.future = future;
      this.queued = queued;
    }

    Delivery await() {
      if (route == null) {
        String why = "no route for " + (alert.isResolved() ? "resolved " : "")
            + alert.severity().wireName() + " alerts";
        return new Delivery(alert, Optional.empty(), Outcome.dropped(why), Duration.ZERO);
      }
      try {
        long wait = deadline.remaining().plus(GRACE).toNanos();
        Finished done = future.get(wait, TimeUnit.NANOSECONDS);
        return new Delivery(alert, Optional.of(route), done.outcome(), done.elapsed());
      } catch (TimeoutException e) {
        future.cancel(true);
        return new Delivery(alert, Optional.of(route),
            Outcome.failed("no outcome within the deadline; delivery abandoned", 0),
            Duration.ofNanos(ticker.nanoTime() - queued));
      } catch (InterruptedException e) {
        future.cancel(true);
        Thread.currentThread().interrupt();
        return new Delivery(alert, Optional.of(route),
            Outcome.failed("interrupted while waiting for the delivery", 0), Duration.ZERO);
      } catch (ExecutionException e) {
        return new Delivery(alert, Optional.of(route),
            Outcome.failed("delivery failed: " + e.getCause(), 0), Duration.ZERO);
      }
    }
  }

  /**
   * Takes no new work, waits up to {@value #CLOSE_GRACE_MILLIS} ms for running deliveries, then
   * interrupts them. Idempotent.
   */
  @Override
  public void close() {
    workers.shutdown();
    try {
      if (!workers.awaitTermination(CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS)) {
        workers.shutdownNow();
      }
    } catch (InterruptedException e) {
      workers.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  private void requireOpen() {
    if (workers.isShutdown()) {
      throw new IllegalStateException("the alert router is closed and takes no new alerts");
    }
  }

  private static void logDelivery(Delivery d) {
    Outcome o = d.outcome();
    String line = "delivery fingerprint=" + d.alert().fingerprint()
        + " source=" + quote(d.alert().source())
        + " severity=" + d.alert().severity().wireName()
        + " status=" + d.alert().status().wireName()
        + " transport=" + d.transport()
        + d.route().map(r -> " priority=" + r.priority()).orElse("")
        + " outcome=" + o.kind().wireName()
        + " attempts=" + o.attempts()
        + " ms=" + d.elapsed().toMillis()
        + o.messageId().map(id -> " id=" + quote(id)).orElse("")
        + " detail=" + quote(o.detail());
    if (o.isFailure()) {
      log.warn(line);
    } else {
      log.info(line);
    }
  }

  /** A log-safe quoted value: one line, quotes and backslashes escaped. */
  static String quote(String value) {
    StringBuilder out = new StringBuilder(value.length() + 2).append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20 || c == 0x7f) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }

  /** Assembles a router by hand. */
  public static final class Builder {
    private RoutingTable routes;
    private final Map<String, Transport> transports = new LinkedHashMap<>();
    private Duration transportTimeout = AlertConfig.DEFAULT_TRANSPORT_TIMEOUT;
    private Duration deadline = AlertConfig.DEFAULT_DEADLINE;
    private Ticker ticker = Ticker.system();

    private Builder() {}

    /** The routing table (required). */
    public Builder routes(RoutingTable table) {
      this.routes = Objects.requireNonNull(table, "routes");
      return this;
    }

    /** A transport routes may name. */
    public Builder transport(String name, Transport transport) {
      transports.put(Objects.requireNonNull(name, "name"),
          Objects.requireNonNull(transport, "transport"));
      return this;
    }

    /** The budget of one delivery, retries included. */
    public Builder transportTimeout(Duration timeout) {
      this.transportTimeout = positive(timeout, "transportTimeout");
      return this;
    }

    /** The budget of one routing call. */
    public Builder deadline(Duration budget) {
      this.deadline = positive(budget, "deadline");
      return this;
    }

    /** Where time comes from (tests). */
    public Builder ticker(Ticker source) {
      this.ticker = Objects.requireNonNull(source, "ticker");
      return this;
    }

    /**
     * The router.
     *
     * @throws ConfigException when the table names a transport that was not given
     */
    public AlertRouter build() {
      if (routes == null) {
        throw new ConfigException("no routing table was given");
      }
      List<String> problems = new ArrayList<>();
      for (String name : routes.transports()) {
        if (!transports.containsKey(name)) {
          problems.add("the routing table names transport '" + name + "', which was not given");
        }
      }
      if (!problems.isEmpty()) {
        throw new ConfigException(problems);
      }
      return new AlertRouter(this);
    }

    private static Duration positive(Duration d, String what) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive");
      }
      return d;
    }
  }
}
