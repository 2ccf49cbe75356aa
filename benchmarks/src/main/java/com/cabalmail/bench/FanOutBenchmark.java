package com.cabalmail.bench;

import com.cabalmail.alert.Alert;
import com.cabalmail.alert.AlertConfig;
import com.cabalmail.alert.AlertRouter;
import com.cabalmail.alert.DeliveryReport;
import com.cabalmail.alert.Outcome;
import com.cabalmail.alert.RoutingTable;
import com.cabalmail.alert.Severity;
import com.cabalmail.alert.spi.Settings;
import com.cabalmail.alert.spi.Transport;
import com.cabalmail.http.Deadline;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Warm fan-out overhead: a critical alert routed to Pushover (priority 1) and ntfy (priority 5),
 * both real transports talking HTTP to loopback stand-ins that answer after a fixed delay
 * (Pushover the slower). {@code fanOut} is the router's total; {@code slowerProviderAlone} is
 * the Pushover transport called directly, same alert, same stand-in. The fan-out overhead is
 * {@code fanOut - slowerProviderAlone}: what routing, the second delivery in parallel, the
 * report and the thread hand-offs add on top of the slowest provider. Budget: 5 ms.
 *
 * <pre>
 * ./mvnw -B -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar FanOutBenchmark
 * </pre>
 *
 * Log lines are switched off (NOP provider) so the harness output stays readable.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 10, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Dslf4j.provider=org.slf4j.helpers.NOP_FallbackServiceProvider"})
public class FanOutBenchmark {

  /** How long the Pushover stand-in takes to answer. */
  @Param("20")
  public int pushoverDelayMs;

  /** How long the ntfy stand-in takes to answer. */
  @Param("10")
  public int ntfyDelayMs;

  private LoopbackProviders providers;
  private AlertRouter router;
  private Transport pushover;
  private Alert alert;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    providers = LoopbackProviders.start(0, Duration.ofMillis(pushoverDelayMs),
        Duration.ofMillis(ntfyDelayMs));
    AlertConfig config = AlertConfig.from(Settings.of(settings(providers.baseUrl())),
        RoutingTable.DEFAULT, FanOutBenchmark.class.getClassLoader());
    router = AlertRouter.create(config);
    pushover = config.transports().get("pushover");
    alert = Alert.firing(Severity.CRITICAL, "bench/fan-out", "Postfix deferred queue above 1000")
        .withRunbook(URI.create("https://runbooks.cabal.example/mail/postfix-queue-backlog"))
        .withLabel("instance", "mail-1");
    if (!router.route(alert).allSent()) {
      throw new IllegalStateException("the stand-ins did not accept the alert");
    }
  }

  /** Both transports configured against the stand-ins; secrets are dummies. */
  static Map<String, String> settings(URI base) {
    Map<String, String> values = new HashMap<>();
    values.put("PUSHOVER_API_URL", base.toString());
    values.put("PUSHOVER_APP_TOKEN", "azGDORePK8gMaC0QOYAMyEEuzJnyUi");
    values.put("PUSHOVER_USER_KEY", "uQiRzpo4DXghDmr9QzzfQu27cmVRsG");
    values.put("NTFY_BASE_URL", base.toString());
    values.put("NTFY_TOPIC", "alerts");
    values.put("NTFY_TOKEN", "tk_benchmarkbenchmarkbenchmark1");
    // The same alert is routed again and again: without this, the ledger would hold it back.
    values.put("ALERT_LEDGER", "none");
    return values;
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    providers.close();
  }

  /** Critical alert through the router: Pushover and ntfy in parallel. */
  @Benchmark
  public DeliveryReport fanOut() {
    return router.route(alert);
  }

  /** The slower provider alone: the floor the fan-out is measured against. */
  @Benchmark
  public Outcome slowerProviderAlone() {
    return pushover.deliver(alert, 1, Deadline.after(Duration.ofSeconds(5)));
  }
}
