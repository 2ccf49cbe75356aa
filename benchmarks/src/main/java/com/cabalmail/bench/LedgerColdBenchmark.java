package com.cabalmail.bench;

import com.cabalmail.alert.Alert;
import com.cabalmail.alert.AlertRouter;
import com.cabalmail.alert.DeliveryReport;
import com.cabalmail.alert.Severity;
import com.cabalmail.alert.ledger.DeliveryLedger;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the delivery ledger adds to a cold start: in a fresh JVM (one fork per sample, C1 only
 * as in Lambda), build the ledger (DynamoDB: its client and the warm-up read against a stand-in
 * answering in {@code storeDelayMs}: {@link LedgerUnderTest}) and the router, then route the
 * first alert. The ledger's cold cost is each row minus the {@code none} row.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar LedgerColdBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
@Fork(value = 10, jvmArgsAppend = {"-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
    "-Dslf4j.provider=org.slf4j.helpers.NOP_FallbackServiceProvider",
    "-Dsun.net.httpserver.nodelay=true"})
public class LedgerColdBenchmark {

  private AlertRouter router;

  @TearDown(Level.Trial)
  public void tearDown() {
    if (router != null) {
      router.ledger().ifPresent(DeliveryLedger::close);
    }
  }

  /** Build the ledger and the router, route the first alert. */
  @Benchmark
  public DeliveryReport firstAlert(LedgerUnderTest ledger) {
    router = ledger.newRouter();
    return router.route(Alert.firing(Severity.CRITICAL, "bench/cold", "the first alert"));
  }
}
