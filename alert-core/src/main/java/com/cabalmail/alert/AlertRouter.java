package com.cabalmail.alert;

import com.cabalmail.alert.ledger.DeliveryLedger;
import com.cabalmail.alert.ledger.LedgerPolicy;
import com.cabalmail.alert.spi.Transport;
import com.cabalmail.http.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fans alerts out to transports by the routing table. Every delivery of a call runs in
 * parallel on daemon threads, each bounded by the per-transport timeout and all by the call's
 * deadline; one slow, hung or throwing transport never delays or breaks another. Each delivery
 * ends as one line of the {@link DeliveryReport} and one structured log line.
 *
 * <p><b>Lanes.</b> Each transport has a lane of its own, and so has the delivery ledger: at
 * most {@value #MAX_THREADS} threads a lane (idle ones end after 30 s), and a queue of at most
 * {@value #MAX_QUEUED} deliveries, each still bounded by its own deadline. A hung transport
 * fills only its own lane: the other transports' deliveries, and the storm page, never wait
 * for it. Within a lane the storm page runs first, then the highest route priority. Only
 * beyond a lane's queue is a delivery failed at once, as "router saturated".
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

  /** The most deliveries running at once in one transport's lane. */
  public static final int MAX_THREADS = 32;
  /** The most deliveries waiting for a thread in one transport's lane. */
  public static final int MAX_QUEUED = 4096;
  /** How long {@link #close()} waits for running deliveries before interrupting them. */
  public static final long CLOSE_GRACE_MILLIS = 2_000;

  private static final Logger log = LoggerFactory.getLogger(AlertRouter.class);

  final RoutingTable routes;
  final Map<String, Transport> transports;
  final Duration transportTimeout;
  final Duration deadline;
  final Ticker ticker;
  final Lanes lanes = new Lanes(MAX_THREADS, MAX_QUEUED);
  final DeliveryLedger ledger;
  final LedgerPolicy ledgerPolicy;
  final Clock clock;
  final PageStormGuard pageStorm;
  /** Ledger clears that failed, replayed before the next call's claims. */
  final Map<String, LedgerSession.Unfinished> unfinished =
      new java.util.concurrent.ConcurrentHashMap<>();

  private AlertRouter(Builder builder) {
    this.routes = builder.routes;
    this.transports = Map.copyOf(builder.transports);
    this.transportTimeout = builder.transportTimeout;
    this.deadline = builder.deadline;
    this.ticker = builder.ticker;
    this.ledger = builder.ledger;
    this.ledgerPolicy = builder.ledgerPolicy;
    this.clock = builder.clock;
    this.pageStorm = builder.pageStorm;
  }

  /** A router for a validated configuration. */
  public static AlertRouter create(AlertConfig config) {
    Builder builder = builder()
        .routes(config.routes())
        .transportTimeout(config.transportTimeout())
        .deadline(config.deadline())
        .ledgerPolicy(config.ledgerPolicy())
        .pageStorm(config.pageStorm());
    // No lambdas: this is on the cold path (ColdPathLambdasIT).
    if (config.ledger().isPresent()) {
      builder.ledger(config.ledger().get());
    }
    for (Map.Entry<String, Transport> transport : config.transports().entrySet()) {
      builder.transport(transport.getKey(), transport.getValue());
    }
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
   * Routes every alert of a batch, all deliveries in parallel, within one deadline. With a
   * delivery ledger, what was already delivered is skipped and each end is recorded; with the
   * page storm guard on, a burst of pages becomes one.
   *
   * @throws IllegalStateException once the router is closed
   */
  public DeliveryReport route(List<Alert> alerts) {
    return route(alerts, deadline);
  }

  /**
   * Routes every alert of a batch within the router's deadline or {@code atMost}, whichever
   * ends first: e.g. what is left of a Lambda invocation.
   *
   * @throws IllegalStateException once the router is closed
   */
  public DeliveryReport route(List<Alert> alerts, Duration atMost) {
    requireOpen();
    return new DeliveryRun(this, alerts, atMost).run();
  }

  /** The delivery ledger this router records in, if any. */
  public Optional<DeliveryLedger> ledger() {
    return Optional.ofNullable(ledger);
  }

  /**
   * Takes no new work, waits up to {@value #CLOSE_GRACE_MILLIS} ms for running deliveries, then
   * interrupts them, and closes the delivery ledger. Idempotent.
   */
  @Override
  public void close() {
    lanes.shutdown();
    if (ledger != null) {
      ledger.close();
    }
    try {
      if (!lanes.awaitTermination(CLOSE_GRACE_MILLIS)) {
        lanes.shutdownNow();
      }
    } catch (InterruptedException e) {
      lanes.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  void requireOpen() {
    if (lanes.isShutdown()) {
      throw new IllegalStateException("the alert router is closed and takes no new alerts");
    }
  }

  static void logDelivery(Delivery d) {
    Outcome o = d.outcome();
    String line = "delivery fingerprint=" + d.alert().fingerprint()
        + " source=" + quote(d.alert().source())
        + " severity=" + d.alert().severity().wireName()
        + " status=" + d.alert().status().wireName()
        + " transport=" + d.transport()
        + (d.route().isPresent() ? " priority=" + d.route().get().priority() : "")
        + " outcome=" + o.kind().wireName()
        + " attempts=" + o.attempts()
        + " ms=" + d.elapsed().toMillis()
        + (d.ledger() == Delivery.Ledger.OFF ? "" : " ledger=" + d.ledger().wireName())
        + (d.folded() ? " folded=true" : "")
        + (o.messageId().isPresent() ? " id=" + quote(o.messageId().get()) : "")
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
    private DeliveryLedger ledger;
    private LedgerPolicy ledgerPolicy = LedgerPolicy.defaults();
    private Clock clock = Clock.systemUTC();
    private PageStormGuard pageStorm = PageStormGuard.off();

    private Builder() {}

    /**
     * The delivery ledger to record in ({@code null}: none, the default when built by hand;
     * {@link AlertRouter#create} uses the configured one).
     */
    public Builder ledger(DeliveryLedger store) {
      this.ledger = store;
      return this;
    }

    /** How the ledger is used: repeat window, lease, rejection hold, call timeout. */
    public Builder ledgerPolicy(LedgerPolicy policy) {
      this.ledgerPolicy = Objects.requireNonNull(policy, "ledgerPolicy");
      return this;
    }

    /** Where wall-clock time for the ledger comes from (tests). */
    public Builder clock(Clock source) {
      this.clock = Objects.requireNonNull(source, "clock");
      return this;
    }

    /** The page storm guard; off by default when built by hand. */
    public Builder pageStorm(PageStormGuard guard) {
      this.pageStorm = Objects.requireNonNull(guard, "pageStorm");
      return this;
    }

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
      if (ledger != null && ledgerPolicy.lease().compareTo(transportTimeout) <= 0) {
        problems.add("the ledger's lease (" + ledgerPolicy.lease().toMillis() + " ms) must be"
            + " longer than the transport timeout (" + transportTimeout.toMillis() + " ms)");
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
