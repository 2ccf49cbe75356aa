package com.cabalmail.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cabalmail.alert.ledger.dynamodb.DynaliteLedgers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cold path's lambda budget, as a test rather than a comment in every class it touches:
 * each lambda or method reference the sink's code reaches on a cold start costs a class spun at
 * run time (an {@code invokedynamic} bootstrap, a hidden class, its linkage), which no CDS
 * archive of the stock JDK holds. The managed form ({@code sink-lambda.jar} on this JDK, C1
 * only, as Lambda runs it) answers one critical alert cold, in memory and as deployed (the
 * DynamoDB ledger on dynalite, EMF metrics, the Watchdog's ping URL), with
 * {@code -Xlog:class+load}; the lambda classes spun for {@code com.cabalmail} code must stay
 * within the budget. A new lambda on the cold path fails here, naming itself: write the loop, or
 * raise the budget on purpose.
 */
class ColdPathLambdasIT {

  /** Lambda classes of the sink's own code a cold critical alert may spin, in memory. */
  static final int IN_MEMORY_BUDGET = 4;
  /** The same, as deployed. */
  static final int DEPLOYED_BUDGET = 4;

  private static final Pattern OURS = Pattern.compile(
      "\\] (com\\.cabalmail\\.[\\w.$]*\\$\\$Lambda[\\w$]*)/0x\\p{XDigit}+ source: ");
  private static final Duration LIMIT = Duration.ofSeconds(60);

  @RegisterExtension
  static final DynaliteLedgers DYNALITE = new DynaliteLedgers();

  @TempDir
  Path work;

  @Test
  void aColdAlertInMemorySpinsNoMoreLambdasThanBudgeted() throws Exception {
    List<String> spun = coldStart(false);
    System.out.println("cold path lambdas, in memory: " + spun.size() + " " + spun);
    assertTrue(spun.size() <= IN_MEMORY_BUDGET, spun.size() + " lambda classes of the sink's"
        + " code on a cold start (budget " + IN_MEMORY_BUDGET + "): " + spun);
  }

  @Test
  void aColdAlertAsDeployedSpinsNoMoreLambdasThanBudgeted() throws Exception {
    List<String> spun = coldStart(true);
    System.out.println("cold path lambdas, as deployed: " + spun.size() + " " + spun);
    assertTrue(spun.size() <= DEPLOYED_BUDGET, spun.size() + " lambda classes of the sink's"
        + " code on a cold start as deployed (budget " + DEPLOYED_BUDGET + "): " + spun);
  }

  /** Runs the managed form on one critical alert; the sink's lambda classes it loaded. */
  private List<String> coldStart(boolean deployed) throws Exception {
    Path root = OneCommandRunIT.ROOT;
    Path jar = root.resolve(OneCommandRunIT.JAR);
    assertTrue(Files.isRegularFile(jar), jar + " is built by package, before integration-test");
    Path classes = work.resolve("classes.log");
    Path log = work.resolve("sink.log");
    try (PackagePeers peers = PackagePeers.start()) {
      Map<String, String> env = peers.environment(work);
      if (deployed) {
        Map<String, String> ledger = DYNALITE.ledgerSettings();
        env.putAll(peers.deployedEnvironment(DYNALITE.endpoint(),
            ledger.get("ALERT_LEDGER_TABLE")));
      }
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      ProcessBuilder command = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1",
          "-XX:+UseSerialGC", "-Xlog:class+load=info:file=" + classes, "-cp", jar.toString(),
          RuntimeLoop.class.getName())
          .directory(work.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
      command.environment().clear();
      command.environment().putAll(env);
      Process sink = command.start();
      try {
        RuntimeApiStandIn.Posted posted = peers.api()
            .invoke(PackagePeers.events().get(0).bytes(), Duration.ofSeconds(10),
                "Root=1-6a882542-4c1f7a9e2d3b5c6e7f801230;Sampled=0")
            .get(LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        assertEquals("response", posted.kind(), Files.readString(log));
        assertTrue(posted.text().contains("\"statusCode\":204"),
            posted.text() + "\n" + Files.readString(log));
        peers.api().stopServing();
        assertTrue(sink.waitFor(LIMIT.toMillis(), TimeUnit.MILLISECONDS), "did not exit");
      } finally {
        sink.destroyForcibly();
      }
    }
    List<String> spun = new ArrayList<>();
    for (String line : Files.readAllLines(classes)) {
      Matcher lambda = OURS.matcher(line);
      if (lambda.find()) {
        spun.add(lambda.group(1));
      }
    }
    assertTrue(Files.readString(classes).contains("com.cabalmail.sink.RuntimeLoop"),
        "no class-load log of the sink");
    return spun;
  }
}
