package com.cabalmail.bench;

import com.cabalmail.alert.Alert;
import com.cabalmail.alert.AlertConfig;
import com.cabalmail.alert.AlertRouter;
import com.cabalmail.alert.RoutingTable;
import com.cabalmail.alert.Severity;
import com.cabalmail.alert.spi.Settings;
import com.cabalmail.alert.spi.Transport;
import com.cabalmail.http.Deadline;
import com.cabalmail.http.Json;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/**
 * The enforced budgets, in one run ({@code benchmarks/budget.sh}). Cold starts are whole fresh
 * processes, launched in rotating order within each round so that load on a shared machine hits
 * every variant alike; each is timed from launch to its response arriving at a loopback Runtime
 * API (the event is queued before the launch), with peak RSS and CPU read from {@code /proc}
 * at that moment:
 *
 * <ul>
 *   <li>package: the unzipped {@code sink-lambda-runtime.zip}'s {@code bootstrap} (jlinked JDK
 *       25, trained AOT cache, {@code AOTMode=on});
 *   <li>floor, jlink + AOT: {@link RuntimeFloor} on the package's own runtime image with its own
 *       trained AOT cache: a JVM, a {@code java.net.http} client (default SSLContext and trust
 *       store), the Runtime API exchange and the event read with jackson-core, no sink code;
 *   <li>managed: the same sink jar on the stock JDK (its default CDS archive, Lambda's managed
 *       flags), {@code RuntimeLoop} standing in for AWS's runtime client;
 *   <li>floor, stock JDK: {@link RuntimeFloor} on that same stock JDK and flags;
 *   <li>package on DynamoDB (deployed): the package as {@code examples/deploy} configures it,
 *       {@code ALERT_LEDGER=dynamodb} on a loopback dynalite (a fresh table each run), EMF
 *       metrics, the Watchdog's ping URL and the acknowledgement key from SSM (so the page
 *       carries Pushover's callback and ntfy's Acknowledge button, to the event's own domain);
 *       its bootstrap picks the cache trained on that path.
 * </ul>
 *
 * The sinks read their secrets from a loopback SSM and deliver a critical alert to loopback
 * Pushover and ntfy. Warm fan-out is measured in this process: a critical alert routed
 * to Pushover (answering after 20 ms) and ntfy (10 ms), alternating with the Pushover transport
 * alone. Every ratio is the median of per-round paired ratios. Cold-start ratios are gated in CPU
 * time always (a cold start is CPU-bound; on a Lambda of up to one vCPU its CPU time is its
 * latency; and CPU time hardly moves when other processes load the machine) and in wall-clock
 * time when the machine is quiet; exits 1 when a gated ratio is over budget. On a machine that
 * other processes keep busy (load per CPU above {@value #BUSY_LOAD_PER_CPU}) nothing is gated
 * (reported only, exit 0) unless {@code STRICT=1}.
 *
 * <p>Environment: {@code ROUNDS} (15), {@code WARMUP} (2), {@code FANOUT_CALLS} (150),
 * {@code STRICT=1} (gate even on a busy machine);
 * {@code VERBOSE=1} prints each variant's last output; {@code EXTRA_JAVA_OPTS} adds JVM flags to
 * every variant (diagnostics); {@code COMPARE_PACKAGE=<unzipped package>} runs another package,
 * and its jar as a managed form, alongside (experiments, reported without a budget), with
 * {@code COMPARE_JAVA_OPTS} added to that managed form's flags only.
 */
public final class Budgets {

  // The gates sit above what runs here measure (docs/performance.md: package 1.19 idle and 1.24
  // in CI; deployed 1.17 to 1.21 CPU and 1.24 to 1.25 wall, its wall time including dynalite's
  // round trips; managed 1.33), so that a regression fails CI and noise does not.
  static final double PACKAGE_BUDGET = 1.3;
  /** The deployed form (DynamoDB ledger, EMF, Watchdog) against the in-memory package. */
  static final double DEPLOYED_BUDGET = 1.35;
  static final double MANAGED_BUDGET = 1.45;
  static final double FAN_OUT_BUDGET = 1.1;
  /** Below this 1-minute load average per CPU, wall-clock ratios are gated too. */
  static final double QUIET_LOAD_PER_CPU = 1.0;
  /**
   * Above this load average per CPU (at start or end), other processes own the machine: no ratio
   * measured then means anything (a cold start's CPU time itself grows with cache and scheduler
   * contention), so nothing is gated unless {@code STRICT=1}.
   */
  static final double BUSY_LOAD_PER_CPU = 3.0;

  private static final List<String> LAMBDA_FLAGS =
      List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
  private static final Duration ANSWER_LIMIT = Duration.ofSeconds(60);
  private static final String SECRET_PARAM = "/cabal/alert_sink_secret";
  private static final String WATCHDOG_PARAM = "/cabal/watchdog_ping_url";
  private static final String ACK_KEY_PARAM = "/cabal/alert_ack_key";

  private Budgets() {}

  /** {@code Budgets <unzipped package> <stock JDK's bin/java> <Function URL event file>}. */
  public static void main(String[] args) throws Exception {
    System.setProperty("slf4j.provider", "org.slf4j.helpers.NOP_FallbackServiceProvider");
    Path pkg = Path.of(args[0]).toAbsolutePath();
    String stockJava = args[1];
    byte[] event = Files.readAllBytes(Path.of(args[2]));
    int rounds = Integer.parseInt(System.getenv().getOrDefault("ROUNDS", "15"));
    int warmUp = Integer.parseInt(System.getenv().getOrDefault("WARMUP", "2"));
    Path work = Files.createTempDirectory("budgets");

    boolean pass;
    double firstLoad = loadPerCpu();
    Map<String, String> ssmValues = ssmValues(secret(event));
    LoopbackServer ssm = ssm(ssmValues);
    try (Dynalite dynalite = Dynalite.start(Path.of("peers/dynalite"), work);
        TimedRuntimeApi api = TimedRuntimeApi.start();
        LoopbackProviders providers = LoopbackProviders.start(0, Duration.ZERO, Duration.ZERO)) {
      Map<String, String> env = environment(api.address(), ssm, providers.baseUrl());
      ssmValues.put(WATCHDOG_PARAM, providers.baseUrl() + "/ping/5c2b6f8e-1d4a-4e7b-9c3f-0a8d2e6b1f47");
      Path floorJar = floorJar(work);
      Path floorCache = work.resolve("floor.aot");
      // The package's own JVM flags, read from its bootstrap: the floor runs on the same runtime.
      List<String> floorFlags = jvmFlags(pkg.resolve("bootstrap"));
      System.out.println("JVM flags (package and floor alike): " + String.join(" ", floorFlags));
      List<String> train = new ArrayList<>(List.of(pkg.resolve("jre/bin/java").toString(),
          "-XX:AOTCacheOutput=" + floorCache));
      train.addAll(floorFlags);
      train.addAll(List.of("-cp", floorJar.toString(), RuntimeFloor.class.getName()));
      api.run(train, work, env, event, 3, work.resolve("floor-training.log"), Duration.ofMinutes(5));
      if (!Files.isRegularFile(floorCache)) {
        throw new IllegalStateException("the floor's AOT cache was not written: "
            + Files.readString(work.resolve("floor-training.log")));
      }

      // Diagnostics only (e.g. -Xlog:class+load with VERBOSE=1): appended to every JVM's flags.
      List<String> extra = List.of(System.getenv().getOrDefault("EXTRA_JAVA_OPTS", "").split(" "))
          .stream().filter(flag -> !flag.isBlank()).collect(java.util.stream.Collectors.toList());
      Map<String, String> packageEnv = new LinkedHashMap<>(env);
      packageEnv.put("CABAL_AOT_MODE", "on");
      packageEnv.put("CABAL_JAVA_OPTS", String.join(" ", extra));
      List<String> floorAot = new ArrayList<>(List.of(pkg.resolve("jre/bin/java").toString(),
          "-XX:AOTCache=" + floorCache, "-XX:AOTMode=on"));
      floorAot.addAll(floorFlags);
      floorAot.addAll(extra);
      floorAot.addAll(List.of("-cp", floorJar.toString(), RuntimeFloor.class.getName()));
      List<String> managed = new ArrayList<>(List.of(stockJava));
      managed.addAll(LAMBDA_FLAGS);
      managed.addAll(extra);
      managed.addAll(List.of("-cp", pkg.resolve("sink-lambda.jar").toString(),
          "com.cabalmail.sink.RuntimeLoop"));
      List<String> floorStock = new ArrayList<>(List.of(stockJava));
      floorStock.addAll(LAMBDA_FLAGS);
      floorStock.addAll(extra);
      floorStock.addAll(List.of("-cp", floorJar.toString(), RuntimeFloor.class.getName()));

      // The deployed form, as examples/deploy configures it: the DynamoDB ledger (on
      // dynalite, a fresh table each run, so that every run claims and sends as a first cold
      // start does), EMF metrics, the Watchdog's ping URL read from SSM.
      Map<String, String> deployedEnv = new LinkedHashMap<>(packageEnv);
      deployedEnv.put("ALERT_LEDGER", "dynamodb");
      deployedEnv.put("AWS_ENDPOINT_URL_DYNAMODB", dynalite.endpoint());
      deployedEnv.put("ALERT_METRICS", "emf");
      deployedEnv.put("ALERT_WATCHDOG_PING_URL_PARAM", WATCHDOG_PARAM);
      deployedEnv.put("ALERT_ACK_KEY_PARAM", ACK_KEY_PARAM);
      List<Variant> variants = new ArrayList<>(List.of(
          new Variant("package (bootstrap: jlink + AOT)", List.of(pkg.resolve("bootstrap").toString()),
              pkg, packageEnv),
          new Variant("floor, jlink + AOT", floorAot, work, env),
          new Variant("managed (stock JDK, sink jar)", managed, pkg, env),
          new Variant("floor, stock JDK", floorStock, work, env),
          new Variant("package on DynamoDB (deployed)",
              List.of(pkg.resolve("bootstrap").toString()), pkg, deployedEnv)));
      String compare = System.getenv("COMPARE_PACKAGE");
      if (compare != null) {
        // An experiment: another unzipped package, run alongside, compared with the first.
        Path other = Path.of(compare).toAbsolutePath();
        variants.add(new Variant("package B (" + other.getFileName() + ")",
            List.of(other.resolve("bootstrap").toString()), other, packageEnv));
        List<String> managedB = new ArrayList<>(managed);
        managedB.set(managedB.size() - 2, other.resolve("sink-lambda.jar").toString());
        // COMPARE_JAVA_OPTS: flags for managed B only (e.g. a system property to try).
        managedB.addAll(managedB.size() - 3, List.of(
            System.getenv().getOrDefault("COMPARE_JAVA_OPTS", "").split(" ")).stream()
            .filter(flag -> !flag.isBlank()).collect(java.util.stream.Collectors.toList()));
        variants.add(new Variant("managed B (" + other.getFileName() + ")", managedB, other, env));
      }
      double loadAtStart = loadPerCpu();
      System.out.printf(Locale.ROOT, "cold starts: %d rounds after %d warm-up round(s), %d"
          + " variants in rotating order; stock JDK: %s%n", rounds, warmUp, variants.size(),
          stockJava);
      for (int round = -warmUp; round < rounds; round++) {
        for (int i = 0; i < variants.size(); i++) {
          Variant v = variants.get(Math.floorMod(round + i, variants.size()));
          Path log = work.resolve("variant-" + variants.indexOf(v) + ".log");
          if (v.env.containsKey("AWS_ENDPOINT_URL_DYNAMODB")) {
            v.env.put("ALERT_LEDGER_TABLE", dynalite.newTable());
          }
          TimedRuntimeApi.Arrival arrival =
              api.run(v.command, v.dir, v.env, event, 1, log, ANSWER_LIMIT);
          String body = arrival.body();
          if ("1".equals(System.getenv("VERBOSE"))) {
            System.out.println("      (" + v.name + ")");
          }
          boolean isSink = !v.name.startsWith("floor");
          if (isSink && !body.contains("\"statusCode\":204")) {
            throw new IllegalStateException(v.name + " did not answer 204: " + body + "\n"
                + Files.readString(log));
          }
          if (round >= 0) {
            v.add(arrival);
          }
        }
      }
      System.out.printf(Locale.ROOT, "%-34s %s%n", "launch -> response at the Runtime API",
          "median ms (min-max)    CPU ms   peak RSS MiB");
      if ("1".equals(System.getenv("VERBOSE"))) {
        for (Variant v : variants) {
          System.out.println("--- last run of " + v.name + ":\n"
              + Files.readString(work.resolve("variant-" + variants.indexOf(v) + ".log")));
        }
      }
      for (Variant v : variants) {
        System.out.printf(Locale.ROOT, "  %-32s %6.0f (%4.0f-%4.0f) %8.0f %9.1f%n", v.name,
            median(v.millis), Collections.min(v.millis), Collections.max(v.millis),
            median(v.cpuMillis), median(v.rssMib));
      }
      double zipMib = Files.exists(pkg.resolve("../sink-lambda-runtime.zip"))
          ? Files.size(pkg.resolve("../sink-lambda-runtime.zip")) / 1048576.0 : Double.NaN;
      if (!Double.isNaN(zipMib)) {
        System.out.printf(Locale.ROOT, "  package zip: %.1f MiB%n", zipMib);
      }

      diagnose(api, event, work, variants, dynalite);

      FanOut fanOut = fanOut();
      System.out.printf(Locale.ROOT, "warm fan-out: critical alert to Pushover (20 ms) and ntfy"
          + " (10 ms), %d calls each, alternating: fan-out median %.2f ms, Pushover alone %.2f ms%n",
          fanOut.calls, median(fanOut.fanOut), median(fanOut.alone));

      double load = loadPerCpu();
      boolean quiet = Math.max(loadAtStart, load) < QUIET_LOAD_PER_CPU;
      System.out.printf(Locale.ROOT, "ratios (median of per-round paired ratios; ratio of"
          + " medians in brackets). CPU ratios are always gated; wall-clock ratios when the"
          + " machine is quiet (load per CPU below %.1f): load per CPU %.1f at start, %.1f at"
          + " end: wall-clock %s%n", QUIET_LOAD_PER_CPU, loadAtStart, load,
          quiet ? "GATED" : "reported only");
      pass = report("package / floor (jlink + AOT)", variants.get(0), variants.get(1),
          PACKAGE_BUDGET, quiet);
      pass &= report("managed / floor (stock JDK)", variants.get(2), variants.get(3),
          MANAGED_BUDGET, quiet);
      pass &= report("deployed / package (DynamoDB / memory)", variants.get(4),
          variants.get(0), DEPLOYED_BUDGET, quiet);
      System.out.printf(Locale.ROOT, "  %-40s %.2f (information: no budget)%n",
          "managed / floor (jlink + AOT), wall", pairedRatio(variants.get(2).millis, variants.get(1).millis));
      if (variants.size() > 5) {
        for (int[] pair : new int[][] {{5, 0}, {6, 2}}) {
          Variant b = variants.get(pair[0]);
          Variant a = variants.get(pair[1]);
          System.out.printf(Locale.ROOT, "  %-40s wall %.2f [%.2f], CPU %.2f [%.2f]"
              + " (experiment: no budget)%n", b.name.substring(0, b.name.indexOf(' ')) + " B / A",
              pairedRatio(b.millis, a.millis), median(b.millis) / median(a.millis),
              pairedRatio(b.cpuMillis, a.cpuMillis), median(b.cpuMillis) / median(a.cpuMillis));
        }
      }
      pass &= verdict("fan-out / slowest provider", pairedRatio(fanOut.fanOut, fanOut.alone),
          median(fanOut.fanOut) / median(fanOut.alone), FAN_OUT_BUDGET);
    } finally {
      ssm.close();
      try (java.util.stream.Stream<Path> files = Files.list(work)) {
        for (Path file : (Iterable<Path>) files::iterator) {
          Files.delete(file);
        }
      }
      Files.delete(work);
    }
    double loadAtEnd = loadPerCpu();
    boolean busy = Math.max(loadAtEnd, firstLoad) > BUSY_LOAD_PER_CPU
        && !"1".equals(System.getenv("STRICT"));
    if (busy) {
      System.out.printf(Locale.ROOT, "NOT GATED: the machine is busy (load per CPU %.1f at start,"
          + " %.1f at end, above %.1f): the ratios above are reported only; rerun on a quieter"
          + " machine, or with STRICT=1 to gate anyway%n", firstLoad, loadAtEnd, BUSY_LOAD_PER_CPU);
      System.exit(0);
    }
    System.out.println(pass ? "BUDGETS MET" : "BUDGET EXCEEDED");
    System.exit(pass ? 0 : 1);
  }

  /**
   * One more run of each sink variant, not measured, twice: with {@code -Xlog:class+load}, to
   * count the classes loaded from the AOT cache (the stock JDK: its CDS archive) and from
   * outside it; and with the timeline on ({@code com.cabalmail.http.Timeline}), to print the cold
   * path from {@code main} to the response, every round trip's start and end included.
   */
  private static void diagnose(TimedRuntimeApi api, byte[] event, Path work,
      List<Variant> variants, Dynalite dynalite) throws Exception {
    System.out.println("classes loaded by one more run of each sink (-Xlog:class+load): from the"
        + " cache (package: its AOT cache; managed: the JDK's CDS archive), from outside it");
    Path classes = work.resolve("classes.log");
    Path log = work.resolve("diagnose.log");
    for (Variant v : variants) {
      if (v.name.startsWith("floor")) {
        continue;
      }
      Files.deleteIfExists(classes);
      if (v.env.containsKey("AWS_ENDPOINT_URL_DYNAMODB")) {
        v.env.put("ALERT_LEDGER_TABLE", dynalite.newTable());
      }
      api.run(v.commandWith("-Xlog:class+load=info:file=" + classes), v.dir,
          v.envWith("-Xlog:class+load=info:file=" + classes), event, 1, log, ANSWER_LIMIT);
      long cached = 0;
      long outside = 0;
      List<String> outsideJar = new ArrayList<>();
      for (String line : Files.readAllLines(classes)) {
        if (line.contains("source: shared objects file")) {
          cached++;
        } else if (line.contains(" source: ")) {
          outside++;
          if (line.contains("source: jar:") || line.contains("source: file:")) {
            outsideJar.add(line.substring(line.indexOf("] ") + 2, line.indexOf(" source:")));
          }
        }
      }
      System.out.printf(Locale.ROOT, "  %-32s %5d from the cache, %5d outside it (%d of them"
          + " from the sink's jar)%n", v.name, cached, outside, outsideJar.size());
    }
    for (Variant v : variants) {
      if (v.name.startsWith("floor")) {
        continue;
      }
      if (v.env.containsKey("AWS_ENDPOINT_URL_DYNAMODB")) {
        v.env.put("ALERT_LEDGER_TABLE", dynalite.newTable());
      }
      String on = "-D" + com.cabalmail.http.Timeline.PROPERTY + "=true";
      api.run(v.commandWith(on), v.dir, v.envWith(on), event, 1, log, ANSWER_LIMIT);
      System.out.println("cold path of " + v.name + " (one more run, timeline on):");
      for (String line : Files.readAllLines(log)) {
        if (line.startsWith("timeline")) {
          System.out.println("  " + line);
        }
      }
    }
  }

  /**
   * Gates one cold-start ratio: in CPU time always (a cold start is CPU-bound, and on a Lambda
   * of up to 1769 MB, one vCPU or less, its CPU time is its latency; CPU time barely moves when
   * other processes load the machine), in wall-clock time when the machine is quiet.
   */
  private static boolean report(String name, Variant a, Variant b, double budget,
      boolean gateWallClock) {
    boolean cpu = verdict(name + ", CPU", pairedRatio(a.cpuMillis, b.cpuMillis),
        median(a.cpuMillis) / median(b.cpuMillis), budget);
    double wall = pairedRatio(a.millis, b.millis);
    if (gateWallClock) {
      return verdict(name + ", wall", wall, median(a.millis) / median(b.millis), budget) && cpu;
    }
    System.out.printf(Locale.ROOT, "  %-40s %.2f [%.2f]  budget %.2f  (machine busy: not gated)%n",
        name + ", wall", wall, median(a.millis) / median(b.millis), budget);
    return cpu;
  }

  /**
   * The {@code -XX:} flags a package's {@code bootstrap} passes its JVM, but for the AOT cache's
   * own (the floor names its own cache): the floor and the package then always run alike.
   */
  static List<String> jvmFlags(Path bootstrap) throws IOException {
    List<String> flags = new ArrayList<>();
    java.util.regex.Matcher flag = java.util.regex.Pattern.compile("(?<=[\\s'])-XX:[^\\s\"']+")
        .matcher(Files.readString(bootstrap));
    while (flag.find()) {
      if (!flag.group().matches("-XX:AOT(Cache|CacheOutput|Mode)=.*")) {
        flags.add(flag.group());
      }
    }
    if (!flags.contains("-XX:+UseSerialGC")) {
      throw new IllegalStateException("no JVM flags found in " + bootstrap);
    }
    return flags;
  }

  /** The 1-minute load average divided by the CPUs. */
  static double loadPerCpu() {
    try {
      String text = Files.readString(Path.of("/proc/loadavg"));
      return Double.parseDouble(text.split(" ")[0]) / Runtime.getRuntime().availableProcessors();
    } catch (IOException | RuntimeException e) {
      return Double.POSITIVE_INFINITY;
    }
  }

  private static boolean verdict(String name, double ratio, double ofMedians, double budget) {
    boolean ok = ratio <= budget;
    System.out.printf(Locale.ROOT, "  %-40s %.2f [%.2f]  budget %.2f  margin %+.0f%%  %s%n",
        name, ratio, ofMedians, budget, (budget - ratio) / budget * 100, ok ? "PASS" : "FAIL");
    return ok;
  }

  /** One way of starting a cold process, and what its runs measured. */
  private static final class Variant {
    final String name;
    final List<String> command;
    final Path dir;
    final Map<String, String> env;
    final List<Double> millis = new ArrayList<>();
    final List<Double> cpuMillis = new ArrayList<>();
    final List<Double> rssMib = new ArrayList<>();

    Variant(String name, List<String> command, Path dir, Map<String, String> env) {
      this.name = name;
      this.command = command;
      this.dir = dir;
      this.env = env;
    }

    /** The command with {@code flag} added to the JVM's flags (the bootstrap: see envWith). */
    List<String> commandWith(String flag) {
      int cp = command.indexOf("-cp");
      if (cp < 0) {
        return command;
      }
      List<String> with = new ArrayList<>(command);
      with.add(cp, flag);
      return with;
    }

    /** The environment, with {@code flag} in the bootstrap's CABAL_JAVA_OPTS where it has one. */
    Map<String, String> envWith(String flag) {
      if (command.indexOf("-cp") >= 0) {
        return env;
      }
      Map<String, String> with = new LinkedHashMap<>(env);
      with.put("CABAL_JAVA_OPTS", (env.getOrDefault("CABAL_JAVA_OPTS", "") + " " + flag).trim());
      return with;
    }

    void add(TimedRuntimeApi.Arrival arrival) {
      millis.add(arrival.millis());
      cpuMillis.add((double) arrival.cpuMillis());
      rssMib.add(arrival.peakRssKib() / 1024.0);
    }
  }

  static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  /** The median of a[i] / b[i]: pairs measured side by side cancel slow drifts in load. */
  static double pairedRatio(List<Double> a, List<Double> b) {
    List<Double> ratios = new ArrayList<>();
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      ratios.add(a.get(i) / b.get(i));
    }
    return median(ratios);
  }

  private static Map<String, String> environment(String runtimeApi, LoopbackServer ssm,
      URI providers) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
    env.put("TZ", ":UTC");
    env.put("AWS_LAMBDA_RUNTIME_API", runtimeApi);
    env.put("AWS_LAMBDA_FUNCTION_NAME", "cabal-alert-sink");
    env.put("AWS_REGION", "us-east-1");
    env.put("AWS_ACCESS_KEY_ID", "AKIDBUDGETCHECK00001");
    env.put("AWS_SECRET_ACCESS_KEY", "budget-check-secret-access-key");
    env.put("AWS_SESSION_TOKEN", "budget-check-session-token");
    env.put("AWS_ENDPOINT_URL_SSM", ssm.baseUrl());
    env.put("SHARED_SECRET_PARAM", SECRET_PARAM);
    env.put("PUSHOVER_USER_KEY_PARAM", "/cabal/pushover_user_key");
    env.put("PUSHOVER_APP_TOKEN_PARAM", "/cabal/pushover_app_token");
    env.put("NTFY_PUBLISHER_TOKEN_PARAM", "/cabal/ntfy_publisher_token");
    env.put("PUSHOVER_API_URL", providers.toString());
    env.put("NTFY_BASE_URL", providers.toString());
    env.put("NTFY_TOPIC", "alerts");
    return env;
  }

  /** The shared secret the event carries in its {@code x-alert-secret} header. */
  private static String secret(byte[] event) {
    String text = new String(event, StandardCharsets.UTF_8);
    int at = text.indexOf("\"x-alert-secret\"");
    int start = text.indexOf('"', text.indexOf(':', at) + 1) + 1;
    return text.substring(start, text.indexOf('"', start));
  }

  /**
   * SSM's GetParameters over {@code values} (parameter name to value, read at each request):
   * the names asked for that it holds under {@code Parameters}, the others under
   * {@code InvalidParameters}, as SSM answers.
   */
  private static LoopbackServer ssm(Map<String, String> values) throws IOException {
    return LoopbackServer.start(0, 16, "ssm", exchange -> {
      try (exchange; InputStream in = exchange.getRequestBody()) {
        List<String> names = new ArrayList<>();
        try (com.fasterxml.jackson.core.JsonParser parser = Json.factory().createParser(
            in.readAllBytes())) {
          boolean inNames = false;
          for (com.fasterxml.jackson.core.JsonToken token = parser.nextToken(); token != null;
              token = parser.nextToken()) {
            if (token == com.fasterxml.jackson.core.JsonToken.START_ARRAY) {
              inNames = "Names".equals(parser.currentName());
            } else if (token == com.fasterxml.jackson.core.JsonToken.END_ARRAY) {
              inNames = false;
            } else if (inNames && token == com.fasterxml.jackson.core.JsonToken.VALUE_STRING) {
              names.add(parser.getText());
            }
          }
        }
        byte[] answer = Json.write(g -> {
          g.writeStartObject();
          g.writeArrayFieldStart("Parameters");
          for (String name : names) {
            if (values.containsKey(name)) {
              g.writeStartObject();
              g.writeStringField("Name", name);
              g.writeStringField("Type", "SecureString");
              g.writeStringField("Value", values.get(name));
              g.writeNumberField("Version", 1);
              g.writeEndObject();
            }
          }
          g.writeEndArray();
          g.writeArrayFieldStart("InvalidParameters");
          for (String name : names) {
            if (!values.containsKey(name)) {
              g.writeString(name);
            }
          }
          g.writeEndArray();
          g.writeEndObject();
        });
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
        exchange.sendResponseHeaders(200, answer.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(answer);
        }
      }
    });
  }

  /** The production secrets the SSM stand-in holds; the Watchdog's URL is added once known. */
  private static Map<String, String> ssmValues(String sharedSecret) {
    Map<String, String> values = new java.util.concurrent.ConcurrentHashMap<>();
    values.put(SECRET_PARAM, sharedSecret);
    values.put("/cabal/pushover_user_key", "uQiRzpo4DXghDmr9QzzfQu27cmVRsG");
    values.put("/cabal/pushover_app_token", "azGDORePK8gMaC0QOYAMyEEuzJnyUi");
    values.put("/cabal/ntfy_publisher_token", "tk_budgetbudgetbudgetbudget0001");
    values.put(ACK_KEY_PARAM, "budget-ack-key-4f1d8a2c9e7b3a60");
    return values;
  }

  /**
   * {@link RuntimeFloor} in a jar with jackson-core, copied from this benchmark's own jar: the
   * floor carries no sink code.
   */
  private static Path floorJar(Path work) throws IOException {
    Path jar = work.resolve("floor.jar");
    String entry = RuntimeFloor.class.getName().replace('.', '/') + ".class";
    Path self;
    try {
      self = Path.of(Budgets.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IOException(e);
    }
    try (java.util.jar.JarFile benchmarks = new java.util.jar.JarFile(self.toFile());
        JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      for (JarEntry from : Collections.list(benchmarks.entries())) {
        String name = from.getName();
        boolean jackson = name.startsWith("com/fasterxml/jackson/core/") && !from.isDirectory()
            && !name.contains("/module-info");
        if (name.equals(entry) || jackson) {
          out.putNextEntry(new JarEntry(name));
          try (InputStream in = benchmarks.getInputStream(from)) {
            in.transferTo(out);
          }
          out.closeEntry();
        }
      }
    }
    return jar;
  }

  private record FanOut(int calls, List<Double> fanOut, List<Double> alone) {}

  /** Router fan-out and the slower provider alone, alternating, in this warm JVM. */
  private static FanOut fanOut() throws IOException {
    int calls = Integer.parseInt(System.getenv().getOrDefault("FANOUT_CALLS", "150"));
    try (LoopbackProviders providers = LoopbackProviders.start(0, Duration.ofMillis(20),
        Duration.ofMillis(10))) {
      AlertConfig config = AlertConfig.from(
          Settings.of(FanOutBenchmark.settings(providers.baseUrl())), RoutingTable.DEFAULT,
          Budgets.class.getClassLoader());
      AlertRouter router = AlertRouter.create(config);
      Transport pushover = config.transports().get("pushover");
      Alert alert = Alert.firing(Severity.CRITICAL, "bench/fan-out", "Postfix deferred queue")
          .withLabel("instance", "mail-1");
      List<Double> fanOut = new ArrayList<>();
      List<Double> alone = new ArrayList<>();
      for (int i = -calls / 3; i < calls; i++) {
        long start = System.nanoTime();
        if (!router.route(alert).allSent()) {
          throw new IllegalStateException("the stand-ins did not accept the fan-out");
        }
        long routed = System.nanoTime();
        pushover.deliver(alert, 1, Deadline.after(Duration.ofSeconds(5)));
        long delivered = System.nanoTime();
        if (i >= 0) {
          fanOut.add((routed - start) / 1e6);
          alone.add((delivered - routed) / 1e6);
        }
      }
      return new FanOut(calls, fanOut, alone);
    }
  }

  /**
   * A Runtime API that serves one launched process at a time: hands it the queued event(s),
   * timestamps the arrival of its last response, reads the process's peak RSS and CPU time
   * while it waits for the 202, then answers its next {@code next} with 410 so that it exits.
   */
  static final class TimedRuntimeApi implements AutoCloseable {

    record Arrival(double millis, long peakRssKib, long cpuMillis, String body) {}

    private static final class Run {
      final byte[] event;
      final int events;
      final long launched;
      final CompletableFuture<Arrival> answered = new CompletableFuture<>();
      volatile long pid;
      int delivered;
      int responded;

      Run(byte[] event, int events) {
        this.event = event;
        this.events = events;
        this.launched = System.nanoTime();
      }
    }

    private LoopbackServer server;
    private volatile Run current;

    static TimedRuntimeApi start() throws IOException {
      System.setProperty("sun.net.httpserver.nodelay", "true");
      TimedRuntimeApi api = new TimedRuntimeApi();
      api.server = LoopbackServer.start(0, 16, "runtime-api", api::answer);
      return api;
    }

    String address() {
      return "127.0.0.1:" + server.port();
    }

    /** Launches {@code command}, serves it {@code events} events, waits for it to exit. */
    Arrival run(List<String> command, Path dir, Map<String, String> env, byte[] event,
        int events, Path log, Duration limit) throws Exception {
      ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
          .redirectErrorStream(true).redirectOutput(log.toFile());
      builder.environment().clear();
      builder.environment().putAll(env);
      Run run = new Run(event, events);
      current = run;
      Process process = builder.start();
      run.pid = process.pid();
      try {
        Arrival arrival = run.answered.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
          throw new TimeoutException("did not exit");
        }
        return arrival;
      } catch (TimeoutException e) {
        throw new IllegalStateException(String.join(" ", command) + ": no answer or no exit"
            + " within " + limit.toSeconds() + " s:\n" + Files.readString(log), e);
      } finally {
        process.destroyForcibly();
        current = null;
      }
    }

    private void answer(HttpExchange exchange) throws IOException {
      long arrived = System.nanoTime();
      try (exchange; InputStream in = exchange.getRequestBody()) {
        byte[] body = in.readAllBytes();
        Run run = current;
        String path = exchange.getRequestURI().getPath();
        if (path.endsWith("/invocation/next")) {
          synchronized (this) {
            if (run == null || run.delivered >= run.events) {
              exchange.sendResponseHeaders(410, -1);
              return;
            }
            run.delivered++;
          }
          exchange.getResponseHeaders().set("Lambda-Runtime-Aws-Request-Id",
              UUID.randomUUID().toString());
          exchange.getResponseHeaders().set("Lambda-Runtime-Deadline-Ms",
              Long.toString(System.currentTimeMillis() + 10_000));
          exchange.getResponseHeaders().set("Lambda-Runtime-Trace-Id",
              "Root=1-6a882542-4c1f7a9e2d3b5c6e7f801234;Sampled=0");
          exchange.sendResponseHeaders(200, run.event.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(run.event);
          }
          return;
        }
        if (run != null && path.endsWith("/response") && ++run.responded == run.events) {
          if ("1".equals(System.getenv("VERBOSE"))) {
            System.out.println("    CPU ms by thread: " + threadCpu(run.pid));
          }
          run.answered.complete(new Arrival((arrived - run.launched) / 1e6,
              status(run.pid, "VmHWM:"), cpuMillis(run.pid),
              new String(body, StandardCharsets.UTF_8)));
        }
        exchange.sendResponseHeaders(202, -1);
      }
    }

    /** A {@code /proc/<pid>/status} value in kB (0 when gone). */
    private static long status(long pid, String key) {
      try {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
          if (line.startsWith(key)) {
            return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
          }
        }
      } catch (IOException | RuntimeException e) {
        return 0;
      }
      return 0;
    }

    /** User + system CPU per thread name, from {@code /proc/<pid>/task/<tid>/stat}. */
    private static String threadCpu(long pid) {
      Map<String, Long> byName = new java.util.TreeMap<>();
      try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
        for (Path task : (Iterable<Path>) tasks::iterator) {
          String stat = Files.readString(task.resolve("stat"));
          String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
              .replaceAll("[0-9]+$", "#");
          String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          byName.merge(name, (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10,
              Long::sum);
        }
      } catch (IOException | RuntimeException e) {
        return "unreadable: " + e;
      }
      return byName.toString();
    }

    /** User + system CPU of the process so far, from {@code /proc/<pid>/stat} (100 Hz ticks). */
    private static long cpuMillis(long pid) {
      try {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10;
      } catch (IOException | RuntimeException e) {
        return 0;
      }
    }

    @Override
    public void close() {
      server.close();
    }
  }
}
