package com.cabalmail.bench;

import com.cabalmail.alert.Alert;
import com.cabalmail.alert.AlertRouter;
import com.cabalmail.alert.DeliveryReport;
import com.cabalmail.alert.Severity;
import com.cabalmail.alert.ledger.DeliveryLedger;
import com.cabalmail.http.HttpDelivery;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
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
 * What the delivery ledger adds to a cold start: in a fresh JVM (one fork per sample, C1 only
 * as in Lambda), build the ledger (DynamoDB: its client and the warm-up read against a stand-in
 * answering in {@code storeDelayMs}: {@link LedgerUnderTest}) and the router, then route the
 * first alert. The ledger's cold cost is each row minus the {@code none} row.
 *
 * <p>Before that, untimed, what the Lambda sink has done by the time it builds its ledger: the
 * process's shared HTTP client (default {@code SSLContext}, trust store), the signing crypto and
 * one exchange through that client, all for its SSM read. Without them, the DynamoDB row charged
 * the ledger with the process's first {@code java.net.http} client, first exchange and JCE
 * provider: 611 ms against 85 ms in memory, most of it work the sink does for SSM whatever its
 * ledger.
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

  /** What the sink's init has built before its ledger: the HTTP client, the signing crypto. */
  @Setup(Level.Trial)
  public void initAsTheSinkHas(LedgerUnderTest ledger) throws Exception {
    HttpDelivery.warmUp();
    HttpDelivery.shared().client().send(HttpRequest.newBuilder(ledger.storeUrl())
        .version(HttpClient.Version.HTTP_1_1).POST(HttpRequest.BodyPublishers.ofString("{}"))
        .build(), HttpResponse.BodyHandlers.ofByteArray());
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(new byte[32], "HmacSHA256"));
    mac.doFinal(MessageDigest.getInstance("SHA-256").digest(new byte[1]));
  }

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
