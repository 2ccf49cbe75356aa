package com.cabalmail.sink;

import com.cabalmail.aws.testkit.DynaliteServer;
import com.cabalmail.aws.testkit.DynamoDbTables;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The build's AOT training run ({@code -Pruntime}): runs the staged package's own
 * {@code bootstrap}, as Lambda would, with {@code CABAL_AOT_TRAINING} set, against
 * {@link PackagePeers}, and feeds it {@link PackagePeers#events()} a few times over: the real
 * handler behind the real runtime loop, SSM read and TLS set-up at init included. Then the
 * Runtime API stops answering, the loop exits and the JVM writes the cache.
 *
 * <p>Two caches, one per form, since a cache holds what one process loaded: {@code memory}
 * (the package's default, {@code sink.aot}) and {@code dynamodb}, the deployed form
 * ({@code sink-dynamodb.aot}, which the bootstrap picks when {@code ALERT_LEDGER=dynamodb}),
 * configured as {@code examples/deploy} configures it (the DynamoDB ledger on dynalite, EMF
 * metrics, the Watchdog's ping URL) and trained on every ledger path a cold start can take:
 * claims and settles, held claims (the repeats of the later rounds), recoveries that clear,
 * and, in a last round after dynalite is stopped, an unreachable table.
 *
 * <pre>RuntimeTraining &lt;package dir&gt; &lt;cache file&gt; &lt;log file&gt; [memory|dynamodb]</pre>
 *
 * Exits non-zero (failing the build) when an event is not answered as expected or no cache is
 * written; the bootstrap's output is in the log file.
 */
public final class RuntimeTraining {

  private static final Pattern STATUS = Pattern.compile("\"statusCode\":(\\d+)");
  private static final Duration ANSWER_LIMIT = Duration.ofSeconds(60);
  private static final Duration EXIT_LIMIT = Duration.ofMinutes(5);

  private RuntimeTraining() {}

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args[0]).toAbsolutePath();
    Path cache = Path.of(args[1]).toAbsolutePath();
    Path log = Path.of(args[2]).toAbsolutePath();
    boolean deployed = args.length > 3 && args[3].equals("dynamodb");
    int rounds = 3;
    Files.deleteIfExists(cache);
    String problem;
    try (PackagePeers peers = PackagePeers.start();
        DynaliteServer dynalite = deployed ? DynaliteServer.start() : null) {
      Map<String, String> env = peers.environment(root);
      if (deployed) {
        String table = "cabal-alert-ledger";
        DynamoDbTables.createTable(dynalite.endpoint(), table, "pk", null);
        env.putAll(peers.deployedEnvironment(dynalite.endpoint(), table));
      }
      env.put("CABAL_AOT_TRAINING", cache.toString());
      Process bootstrap = launch(root, env, log);
      try {
        problem = train(peers, rounds, false);
        if (problem == null && deployed) {
          // The table unreachable: every claim fails, and the alerts go out without the ledger.
          dynalite.close();
          problem = train(peers, 1, true);
        }
        peers.api().stopServing();
        if (!bootstrap.waitFor(EXIT_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
          problem = "the bootstrap did not exit within " + EXIT_LIMIT.toMinutes() + " min";
        }
      } finally {
        bootstrap.destroyForcibly();
      }
    }
    if (problem == null && (!Files.isRegularFile(cache) || Files.size(cache) == 0)) {
      problem = "no AOT cache was written to " + cache;
    }
    if (problem != null) {
      java.util.List<String> lines = Files.readAllLines(log);
      System.out.println(problem + "\n--- last lines of the bootstrap's output (" + log + "):\n"
          + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
      System.exit(1);
    }
    System.out.println("AOT training (" + (deployed ? "dynamodb" : "memory") + " ledger): "
        + (deployed ? rounds + 1 : rounds) + " x " + PackagePeers.events().size()
        + " invocations answered; cache " + cache + " (" + Files.size(cache) / (1024 * 1024)
        + " MiB)");
  }

  /** Runs {@code root/bootstrap} as Lambda does: from the package root, in its environment. */
  static Process launch(Path root, Map<String, String> env, Path log) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(root.resolve("bootstrap").toString())
        .directory(root.toFile())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    builder.environment().clear();
    builder.environment().putAll(env);
    return builder.start();
  }

  /**
   * Feeds every event {@code rounds} times; returns what went wrong, or null. With
   * {@code ledgerDown}, the ledger does not answer: an alert is delivered without it (204, or
   * 200 with a report saying so, or 207/502 with a late stand-in) or reported unrecorded (503).
   */
  static String train(PackagePeers peers, int rounds, boolean ledgerDown) throws Exception {
    for (int round = 1; round <= rounds; round++) {
      for (PackagePeers.Event event : PackagePeers.events()) {
        RuntimeApiStandIn.Posted posted = peers.api().invoke(event.bytes(), Duration.ofSeconds(10),
            "Root=1-6a882542-4c1f7a9e2d3b5c6e7f80123" + round + ";Sampled=0")
            .get(ANSWER_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        Matcher status = STATUS.matcher(posted.text());
        int answered = status.find() ? Integer.parseInt(status.group(1)) : -1;
        boolean alert = event.status() == 204 || event.name().startsWith("direct");
        // On a loaded build machine a stand-in may answer late: a 207 or 502 then still trains
        // the delivery, retry and report paths. Anything else is a defect.
        boolean late = alert && (answered == 207 || answered == 502);
        // From the second round on, every alert is a repeat the ledger holds back (200, naming
        // the earlier delivery): that path is trained too.
        boolean repeat = (round > 1 || ledgerDown) && alert && answered == 200
            && posted.text().contains("already_delivered");
        boolean unrecorded = ledgerDown && alert
            && (answered == 204 || answered == 200 || answered == 503);
        if (!posted.kind().equals("response")
            || (answered != event.status() && !late && !repeat && !unrecorded)) {
          return "event '" + event.name() + "'" + (ledgerDown ? " (ledger down)" : "")
              + " expected " + event.status() + ", got " + posted.kind() + " " + posted.text();
        }
      }
    }
    return null;
  }
}
