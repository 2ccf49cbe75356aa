package com.cabalmail.heartbeat;

import com.cabalmail.http.HttpDelivery;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pings one Healthchecks check, and never harms the job that does so: no method throws, every
 * signal is over within its deadline (5 s by default, retries included) whatever the server
 * does, work happens on daemon threads only, and the caller's thread is never interrupted.
 *
 * <pre>{@code
 * static final Heartbeat HEARTBEAT =
 *     Heartbeat.fromSsmParameter("/cabal/healthcheck_ping_certbot-renewal");
 *
 * public void handleRequest(InputStream in, OutputStream out) throws IOException {
 *   HEARTBEAT.run(() -> renewCertificates());   // start, job, then success or fail
 * }
 * }</pre>
 *
 * <p>A ping URL that is blank or not http(s) (production parks a check with the value
 * {@code paused}) makes a quiet heartbeat that sends nothing, logged once at construction; a
 * malformed http(s) URL does the same with a warning, and so does one the transports would
 * refuse as a base URL: {@code user:password@}, or plain {@code http} to a host that is not
 * loopback unless {@code ALERT_ALLOW_PLAIN_HTTP=true} (the warning names where the URL came
 * from, never the URL). Answers: {@code OK} is delivered; 404 or
 * {@code OK (not found)} is a warning naming the check; 429 and 5xx are retried, then logged.
 * Each signal returns its {@link PingOutcome}. Immutable and thread-safe.
 */
public final class Heartbeat {

  private static final Logger log = LoggerFactory.getLogger(Heartbeat.class);

  /** Default budget of one signal, retries included. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  /** Default body limit: Healthchecks' self-hosted {@code PING_BODY_LIMIT}. */
  public static final int DEFAULT_BODY_LIMIT = PingBody.DEFAULT_LIMIT;

  /**
   * What {@link #run(Runnable, LongSupplier)} leaves of the invocation for the handler itself:
   * the final ping never waits into it.
   */
  public static final Duration INVOCATION_RESERVE = Duration.ofMillis(500);

  private final Pinger pinger;
  private final String offReason;
  private final Optional<UUID> runId;
  private final boolean onCallerThread;

  private Heartbeat(Pinger pinger, String offReason, Optional<UUID> runId,
      boolean onCallerThread) {
    this.pinger = pinger;
    this.offReason = offReason;
    this.runId = runId;
    this.onCallerThread = onCallerThread;
  }

  /** A heartbeat pinging {@code pingUrl} ({@code /ping/<uuid>} or {@code /ping/<key>/<slug>}). */
  public static Heartbeat of(String pingUrl) {
    return builder().forUrl(pingUrl);
  }

  /** A heartbeat pinging the URL in environment variable {@code variable}. */
  public static Heartbeat fromEnvironment(String variable) {
    return builder().fromEnvironment(variable);
  }

  /**
   * A heartbeat pinging the URL stored in SSM parameter {@code parameterName} (e.g.
   * {@code /cabal/healthcheck_ping_certbot-renewal}), read once, now, through the project's
   * SSM client with the Lambda's credentials. If it cannot be read, the heartbeat is off and a
   * warning says why.
   */
  public static Heartbeat fromSsmParameter(String parameterName) {
    return builder().fromSsmParameter(parameterName);
  }

  /** Settings other than the defaults: timeout, body limit, HTTP delivery, environment. */
  public static Builder builder() {
    return new Builder();
  }

  /** Whether this heartbeat sends anything (false when paused, blank or malformed). */
  public boolean isEnabled() {
    return pinger != null;
  }

  /** The run id this heartbeat's signals carry, if it is a run (see {@link #newRun()}). */
  public Optional<UUID> runId() {
    return runId;
  }

  /**
   * The same check with a fresh run id ({@code rid}) on every signal, so that Healthchecks
   * pairs this run's start with its end even when invocations overlap.
   */
  public Heartbeat newRun() {
    return new Heartbeat(pinger, offReason, Optional.of(randomRunId()), onCallerThread);
  }

  /** Success. */
  public PingOutcome success() {
    return signal("success", "", null);
  }

  /** Success, with {@code body} (e.g. a count) in the check's log. */
  public PingOutcome success(String body) {
    return signal("success", "", body);
  }

  /** The job started: Healthchecks measures the run time and can alert on overruns. */
  public PingOutcome start() {
    return signal("start", "/start", null);
  }

  /** The job started, with {@code body}. */
  public PingOutcome start(String body) {
    return signal("start", "/start", body);
  }

  /** Failure. */
  public PingOutcome fail() {
    return signal("fail", "/fail", null);
  }

  /** Failure, with {@code reason} in the check's log (its end is kept if it is long). */
  public PingOutcome fail(String reason) {
    return signal("fail", "/fail", reason);
  }

  /** A log line for the check, changing nothing of its state. */
  public PingOutcome log(String text) {
    return signal("log", "/log", text);
  }

  /**
   * Exit status {@code code}: 0 is success, 1 to 255 failure. Other values (Healthchecks would
   * answer 400) are sent as a failure naming the code.
   */
  public PingOutcome exitStatus(int code) {
    return exitStatus(code, null);
  }

  /** Exit status {@code code}, with {@code body}. */
  public PingOutcome exitStatus(int code, String body) {
    if (code >= 0 && code <= 255) {
      return signal("exit status " + code, "/" + code, body);
    }
    String note = "exit status " + code + " (outside 0-255)";
    return signal("fail", "/fail", body == null ? note : note + "\n" + body);
  }

  /**
   * Sends {@code signal} on a daemon thread and returns at once; the future completes with the
   * outcome, never exceptionally, within the deadline. For example
   * {@code heartbeat.async(h -> h.log("phase 2"))}.
   */
  public CompletableFuture<PingOutcome> async(Function<Heartbeat, PingOutcome> signal) {
    Objects.requireNonNull(signal, "signal");
    if (pinger == null) {
      return CompletableFuture.completedFuture(skipped());
    }
    Heartbeat direct = new Heartbeat(pinger, offReason, runId, true);
    return CompletableFuture.supplyAsync(() -> {
      try {
        PingOutcome outcome = signal.apply(direct);
        return outcome != null ? outcome
            : new PingOutcome(PingOutcome.Kind.FAILED, 0, "the signal returned no outcome", 0);
      } catch (RuntimeException e) {
        log.warn("heartbeat signal for {} threw {}", pinger.label(), e.toString());
        return new PingOutcome(PingOutcome.Kind.FAILED, 0, e.getClass().getSimpleName(), 0);
      }
    }, RunTiming.DAEMON_THREADS);
  }

  /**
   * Runs {@code job} between a start and a success, or a failure carrying the exception's class
   * and message, all under one fresh run id; rethrows the job's own exception untouched. The
   * start goes out in the background while the job runs and never delays it. After the job,
   * the end waits for the start (so Healthchecks sees them in order) and is then sent, both
   * within one timeout: <b>the most a heartbeat adds to a job is the timeout</b> (5 s by
   * default), reached only when Healthchecks accepts connections and never answers.
   */
  public void run(Runnable job) {
    run(job, RunTiming.NO_INVOCATION_DEADLINE);
  }

  /**
   * As {@link #run(Runnable)}, inside an invocation that ends in {@code remainingMillis}
   * milliseconds (a Lambda handler passes {@code context::getRemainingTimeInMillis}): the final
   * ping never waits past that, less {@link #INVOCATION_RESERVE} left for the handler to answer.
   */
  public void run(Runnable job, LongSupplier remainingMillis) {
    Objects.requireNonNull(job, "job");
    Objects.requireNonNull(remainingMillis, "remainingMillis");
    RunTiming run = begin();
    try {
      job.run();
    } catch (RuntimeException | Error e) {
      run.finish(e, remainingMillis);
      throw e;
    }
    run.finish(null, remainingMillis);
  }

  /**
   * As {@link #run(Runnable)}, returning the job's result.
   *
   * @throws Exception exactly what {@code job} threw
   */
  public <T> T run(Callable<T> job) throws Exception {
    return run(job, RunTiming.NO_INVOCATION_DEADLINE);
  }

  /**
   * As {@link #run(Runnable, LongSupplier)}, returning the job's result.
   *
   * @throws Exception exactly what {@code job} threw
   */
  public <T> T run(Callable<T> job, LongSupplier remainingMillis) throws Exception {
    Objects.requireNonNull(job, "job");
    Objects.requireNonNull(remainingMillis, "remainingMillis");
    RunTiming run = begin();
    T result;
    try {
      result = job.call();
    } catch (Exception | Error e) {
      run.finish(e, remainingMillis);
      throw e;
    }
    run.finish(null, remainingMillis);
    return result;
  }

  /** A fresh run: its start ping goes out in the background, its end is timed by RunTiming. */
  private RunTiming begin() {
    Heartbeat run = newRun();
    return RunTiming.begun(run.pinger, run.runId, run.async(Heartbeat::start));
  }

  private PingOutcome signal(String name, String suffix, String body) {
    if (pinger == null) {
      return skipped();
    }
    if (onCallerThread) {
      return pinger.send(name, suffix, runId, body);
    }
    CompletableFuture<PingOutcome> sent =
        RunTiming.onDaemonThread(() -> pinger.send(name, suffix, runId, body));
    return RunTiming.await(sent, pinger.timeout());
  }

  private PingOutcome skipped() {
    return new PingOutcome(PingOutcome.Kind.SKIPPED, 0, offReason, 0);
  }

  /** A version-4 UUID from a fast, non-cryptographic source: a run id is not a secret. */
  static UUID randomRunId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long high = (random.nextLong() & ~0xF000L) | 0x4000L;
    long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(high, low);
  }

  /**
   * How logs name the check without its secret parts: the slug or the first block of the UUID,
   * and the host ({@code check 'certbot-renewal' at hc-ping.com}); for an off heartbeat, why.
   */
  public String label() {
    return pinger == null ? offReason : pinger.label();
  }

  @Override
  public String toString() {
    return pinger == null ? "Heartbeat[off: " + offReason + "]"
        : "Heartbeat[" + pinger.label() + runId.map(id -> ", rid " + id).orElse("") + "]";
  }

  /**
   * Settings of a heartbeat; the terminal methods build it from a URL, an environment variable
   * or an SSM parameter. Setters throw on nonsense values (a programming error, found by the
   * first test); the terminal methods never throw.
   */
  public static final class Builder {

    private Duration timeout = DEFAULT_TIMEOUT;
    private int bodyLimit = DEFAULT_BODY_LIMIT;
    private boolean failureDetails = true;
    private HttpDelivery delivery;
    private Map<String, String> environment;

    private Builder() {}

    /** Budget of each signal, retries included (default 5 s). */
    public Builder timeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive, was " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /**
     * Largest body sent, in bytes (default 10,000, Healthchecks' self-hosted limit); a
     * {@code Ping-Body-Limit} answer header may lower it, never raise it. Longer bodies keep
     * their end.
     */
    public Builder bodyLimit(int bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("bodyLimit must be positive, was " + bytes);
      }
      this.bodyLimit = bytes;
      return this;
    }

    /**
     * Whether a failed job's exception message goes to Healthchecks (default true). It is
     * scrubbed first: the ping URL, AWS access key ids ({@code AKIA…}, {@code ASIA…}), the
     * value after {@code Bearer}/{@code Basic}, {@code user:password@} in URLs and the values
     * of {@code password=}, {@code token=}, {@code secret=}, {@code key=} pairs become
     * {@code <redacted>}. With {@code false}, only the exception's class name is sent.
     */
    public Builder sendFailureDetails(boolean send) {
      this.failureDetails = send;
      return this;
    }

    /** The HTTP delivery (default {@link HttpDelivery#shared()}; tests pass a manual ticker). */
    public Builder delivery(HttpDelivery delivery) {
      this.delivery = Objects.requireNonNull(delivery, "delivery");
      return this;
    }

    /** Where variables are read (default {@code System.getenv()}). */
    public Builder environment(Map<String, String> environment) {
      this.environment = Map.copyOf(environment);
      return this;
    }

    /** A heartbeat pinging {@code pingUrl}. */
    public Heartbeat forUrl(String pingUrl) {
      return create(pingUrl, "ping URL");
    }

    /** A heartbeat pinging the URL in environment variable {@code variable}. */
    public Heartbeat fromEnvironment(String variable) {
      String value = environment().get(variable);
      if (value == null) {
        return off("environment variable " + variable + " is not set", true);
      }
      return create(value, "environment variable " + variable);
    }

    /** A heartbeat pinging the URL in SSM parameter {@code parameterName}, read now, once. */
    public Heartbeat fromSsmParameter(String parameterName) {
      String source = "SSM parameter " + parameterName;
      SsmPingUrl.Read read =
          SsmPingUrl.read(parameterName, environment(), delivery(), timeout);
      return read.url() != null ? create(read.url(), source)
          : off(source + " " + read.problem(), true);
    }

    private Heartbeat create(String url, String source) {
      PingUrlCheck.Checked checked = PingUrlCheck.check(url, source, environment());
      if (checked.target() == null) {
        return off(checked.offReason(), checked.warn());
      }
      return new Heartbeat(new Pinger(checked.target(), delivery(), timeout, bodyLimit,
          failureDetails), null, Optional.empty(), false);
    }

    private static Heartbeat off(String reason, boolean warn) {
      if (warn) {
        log.warn("heartbeat off: {}", reason);
      } else {
        log.info("heartbeat off: {}", reason);
      }
      return new Heartbeat(null, "heartbeat off: " + reason, Optional.empty(), false);
    }

    private HttpDelivery delivery() {
      return delivery != null ? delivery : HttpDelivery.shared();
    }

    private Map<String, String> environment() {
      return environment != null ? environment : System.getenv();
    }
  }
}
