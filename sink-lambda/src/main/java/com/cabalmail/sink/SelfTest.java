package com.cabalmail.sink;

import com.cabalmail.alert.Alert;
import com.cabalmail.alert.AlertConfig;
import com.cabalmail.alert.AlertRouter;
import com.cabalmail.alert.Delivery;
import com.cabalmail.alert.DeliveryReport;
import com.cabalmail.alert.Outcome;
import com.cabalmail.alert.Route;
import com.cabalmail.alert.RoutingTable;
import com.cabalmail.alert.Severity;
import com.cabalmail.alert.spi.Transport;
import com.cabalmail.alert.spi.TransportProvider;
import com.cabalmail.http.Json;
import com.cabalmail.http.Redaction;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.Supplier;

/**
 * {@code POST /test}: one clearly marked test message to every configured transport at that
 * transport's quiet priority (Pushover -1, ntfy 3: recorded, never waking anyone), through the
 * same transports, timeouts and deadline as real alerts. Answers 200 with the per-transport
 * report whatever the outcomes, so that an operator (or {@code examples/deploy/self-test.sh})
 * sees each one:
 *
 * <pre>
 * {"requestId": "...", "test": "sent", "allSent": true,
 *  "transports": [{"transport": "pushover", "priority": -1, "outcome": "sent",
 *                  "id": "5042853c-...", "detail": "queued", "attempts": 1, "ms": 153}, ...]}
 * </pre>
 *
 * {@code test} is {@code sent}, {@code partly sent} or {@code failed}.
 */
final class SelfTest {

  /** The path, answered to POST with the alerts' authentication. */
  static final String PATH = "/test";
  /** The test message's source, which its title shows. */
  static final String SOURCE = "sink/self-test";

  /** The outcome of one self-test: the answer, and the report metrics count. */
  record Result(SinkResponse response, DeliveryReport report) {}

  private final Supplier<AlertRouter> router;
  private final Clock clock;

  SelfTest(Supplier<AlertRouter> router, Clock clock) {
    this.router = router;
    this.clock = clock;
  }

  /**
   * A self-test over {@code config}'s transports, each at the quiet priority its provider
   * (found by {@code loader}) declares; a transport whose provider cannot be asked gets the
   * lowest priority its routes give it. Its router is built at the first test, not at cold
   * start, which it would only slow down.
   */
  static SelfTest create(AlertConfig config, ClassLoader loader, Clock clock) {
    return new SelfTest(new Supplier<>() {
      private AlertRouter built;

      @Override
      public synchronized AlertRouter get() {
        if (built == null) {
          built = router(config, loader);
        }
        return built;
      }
    }, clock);
  }

  private static AlertRouter router(AlertConfig config, ClassLoader loader) {
    Map<String, Integer> quiet = new LinkedHashMap<>();
    try {
      ServiceLoader.load(TransportProvider.class, loader).stream().forEach(p -> {
        try {
          TransportProvider provider = p.get();
          quiet.putIfAbsent(provider.name(), provider.priorities().quiet());
        } catch (ServiceConfigurationError | RuntimeException e) {
          // reported by AlertConfig already; the fallback below applies
        }
      });
    } catch (ServiceConfigurationError e) {
      // the same
    }
    List<Route> routes = new ArrayList<>();
    AlertRouter.Builder builder = AlertRouter.builder()
        .transportTimeout(config.transportTimeout())
        .deadline(config.deadline());
    for (Map.Entry<String, Transport> entry : config.transports().entrySet()) {
      String name = entry.getKey();
      Integer priority = quiet.get(name);
      routes.add(new Route(name, priority != null ? priority : lowest(config.routes(), name)));
      builder.transport(name, entry.getValue());
    }
    RoutingTable table = RoutingTable.of(Map.of(Severity.INFO, routes), Map.of());
    return builder.routes(table).build();
  }

  private static int lowest(RoutingTable table, String transport) {
    int lowest = Integer.MAX_VALUE;
    for (Severity severity : Severity.values()) {
      for (Route route : table.firing(severity)) {
        if (route.transport().equals(transport)) {
          lowest = Math.min(lowest, route.priority());
        }
      }
    }
    return lowest == Integer.MAX_VALUE ? 0 : lowest;
  }

  /** The test message: its summary says it is a test, when, and that nothing is wrong. */
  Alert message() {
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    return Alert.firing(Severity.INFO, SOURCE, "TEST from the Cabal alert sink (POST /test) at "
        + now + ": this transport delivers. Nothing is wrong; no action needed.");
  }

  /** Sends the test message everywhere and answers with the report. */
  Result run(String requestId, Redaction redaction) {
    DeliveryReport report = router.get().route(message());
    List<Delivery> planned = report.planned();
    long sent = planned.stream().filter(d -> d.outcome().isSent()).count();
    String verdict = sent == planned.size() ? "sent" : sent == 0 ? "failed" : "partly sent";
    byte[] body = Json.write(g -> {
      g.writeStartObject();
      g.writeStringField("requestId", requestId);
      g.writeStringField("test", verdict);
      g.writeBooleanField("allSent", sent == planned.size());
      g.writeArrayFieldStart("transports");
      for (Delivery d : planned) {
        Outcome o = d.outcome();
        g.writeStartObject();
        g.writeStringField("transport", d.transport());
        g.writeNumberField("priority", d.route().map(Route::priority).orElse(0));
        g.writeStringField("outcome", o.kind().wireName());
        if (o.messageId().isPresent()) {
          g.writeStringField("id", o.messageId().get());
        }
        g.writeStringField("detail", redaction.scrub(o.detail()));
        g.writeNumberField("attempts", o.attempts());
        g.writeNumberField("ms", d.elapsed().toMillis());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    });
    return new Result(SinkResponse.json(200, requestId, body), report);
  }

}
