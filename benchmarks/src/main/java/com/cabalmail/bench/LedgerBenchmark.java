package com.cabalmail.bench;

import com.cabalmail.alert.Alert;
import com.cabalmail.alert.AlertRouter;
import com.cabalmail.alert.DeliveryReport;
import com.cabalmail.alert.Severity;
import com.cabalmail.alert.ledger.DeliveryLedger;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the delivery ledger adds to a request, warm: a critical alert routed to two transports
 * that answer at once (so only routing and the ledger are measured), with no ledger, the
 * in-memory ledger, and the DynamoDB ledger against a stand-in that answers every call after
 * {@code storeDelayMs} ({@link LedgerUnderTest}). {@code newAlert} routes a fresh alert each
 * time (claim, send, record, clear: the path of every real page); {@code repeatedAlert} routes
 * one alert again and again (the ledger holds it back: a re-send or a retry).
 *
 * <pre>
 * ./mvnw -B -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar LedgerBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Dslf4j.provider=org.slf4j.helpers.NOP_FallbackServiceProvider",
    "-Dsun.net.httpserver.nodelay=true"})
public class LedgerBenchmark {

  private AlertRouter router;
  private Alert repeated;
  private final AtomicLong next = new AtomicLong();

  @Setup(Level.Trial)
  public void setUp(LedgerUnderTest ledger) {
    router = ledger.newRouter();
    repeated = Alert.firing(Severity.CRITICAL, "bench/repeated", "the same alert again");
    if (!router.route(repeated).allSent()) {
      throw new IllegalStateException("the first delivery failed");
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    router.ledger().ifPresent(DeliveryLedger::close);
  }

  /** A fresh alert: claimed, sent, recorded, its recovery entries cleared. */
  @Benchmark
  public DeliveryReport newAlert() {
    return router.route(Alert.firing(Severity.CRITICAL, "bench/new-" + next.incrementAndGet(),
        "a new alert"));
  }

  /** The same alert again: held back by the ledger (sent again without one). */
  @Benchmark
  public DeliveryReport repeatedAlert() {
    return router.route(repeated);
  }
}
