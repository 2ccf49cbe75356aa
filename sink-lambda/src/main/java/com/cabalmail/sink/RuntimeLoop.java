package com.cabalmail.sink;

import com.cabalmail.alert.ConfigException;
import com.cabalmail.http.Timeline;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink as a Lambda custom runtime ({@code provided.al2023}): the package's
 * {@code bootstrap} runs {@code java ... com.cabalmail.sink.RuntimeLoop}. It builds the same
 * {@link SinkHandler} as the managed runtime, once (a failure is posted to
 * {@code /runtime/init/error} and the process exits 1), then takes events from the Runtime API
 * forever: next, handle, response. A handler failure is posted to the invocation's
 * {@code /error} with its type and the loop goes on; only a Runtime API that stops answering
 * ends the process.
 *
 * <p>Per event, the {@code Lambda-Runtime-Trace-Id} is exported as the system property
 * {@value #TRACE_PROPERTY} (as the AWS runtime interface client does; Java cannot set the
 * {@code _X_AMZN_TRACE_ID} environment variable of its own process), and the deliveries are
 * bounded by the invocation's deadline less {@link #DEADLINE_MARGIN}, as well as by
 * {@code ALERT_DEADLINE}.
 */
public final class RuntimeLoop {

  private static final Logger log = LoggerFactory.getLogger(RuntimeLoop.class);

  /** The system property holding the current invocation's X-Ray trace header. */
  public static final String TRACE_PROPERTY = "com.amazonaws.xray.traceHeader";

  /** Kept back from the invocation's deadline: writing and posting the response. */
  public static final Duration DEADLINE_MARGIN = Duration.ofMillis(500);

  /** Turns one event into one response; what the loop serves. */
  @FunctionalInterface
  interface EventHandler {
    byte[] handle(byte[] event, Duration budget) throws Exception;
  }

  /** Builds the handler: the init phase. */
  @FunctionalInterface
  interface Init {
    EventHandler create() throws Exception;
  }

  private final RuntimeApi api;
  private final EventHandler handler;
  private final Clock clock;

  RuntimeLoop(RuntimeApi api, EventHandler handler, Clock clock) {
    this.api = api;
    this.handler = handler;
    this.clock = clock;
  }

  /** Serves the Runtime API named by {@code AWS_LAMBDA_RUNTIME_API} until it stops answering. */
  public static void main(String[] args) {
    Timeline.mark("main", "start");
    System.exit(run(System.getenv(), new SinkInit(), Clock.systemUTC()));
  }

  /**
   * Builds the production handler. Classes, not {@code () -> new SinkHandler()::handle}: each
   * lambda costs a cold start a class spun at run time (ColdPathLambdasIT).
   */
  private static final class SinkInit implements Init {
    @Override
    public EventHandler create() {
      return new Handler(new SinkHandler());
    }
  }

  /** {@link SinkHandler#handle}, as the loop's handler. */
  private static final class Handler implements EventHandler {
    private final SinkHandler sink;

    Handler(SinkHandler sink) {
      this.sink = sink;
    }

    @Override
    public byte[] handle(byte[] event, Duration budget) {
      return sink.handle(event, budget);
    }
  }

  /**
   * Inits, then serves. Returns the exit status: 1 after a failed init (reported to the
   * Runtime API) or once the Runtime API stops answering, 2 without a Runtime API.
   */
  static int run(Map<String, String> environment, Init init, Clock clock) {
    String address = environment.get(RuntimeApi.ADDRESS);
    if (address == null || address.isBlank()) {
      log.error("{} is not set: this is the Lambda custom runtime's entry; run LocalServer"
          + " to serve the sink locally", RuntimeApi.ADDRESS);
      return 2;
    }
    EventHandler handler;
    try {
      handler = init.create();
    } catch (Exception | LinkageError e) {
      // The handler logged a configuration problem itself; anything else is logged here.
      if (!(e instanceof ConfigException)) {
        log.error("init failed", e);
      }
      String category = e instanceof ConfigException ? "Runtime.ConfigInvalid" : "Runtime.InitError";
      try {
        int status = RuntimeApi.at(address).initFailed(RuntimeApi.Failure.of(category, e));
        log.info("init failure reported to the Runtime API ({})", status);
      } catch (IOException | InterruptedException | RuntimeException reportFailed) {
        log.error("init failure could not be reported: {}", reportFailed.toString());
      }
      return 1;
    }
    RuntimeLoop loop = new RuntimeLoop(RuntimeApi.at(address), handler, clock);
    try {
      loop.serve();
    } catch (IOException e) {
      log.error("the Runtime API stopped answering; exiting: {}", e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      log.error("interrupted while waiting for the next event; exiting");
    }
    return 1;
  }

  /** Next, handle, respond, forever; returns only by throwing when the Runtime API fails. */
  void serve() throws IOException, InterruptedException {
    while (true) {
      serveOne(api.next());
    }
  }

  /** Handles one invocation and posts its response or its error; never throws for the handler. */
  void serveOne(RuntimeApi.Invocation invocation) throws IOException, InterruptedException {
    String id = invocation.requestId();
    if (invocation.traceId().isPresent()) {
      System.setProperty(TRACE_PROPERTY, invocation.traceId().get());
    } else {
      System.clearProperty(TRACE_PROPERTY);
    }
    byte[] response;
    try {
      response = handler.handle(invocation.event(), budget(invocation.deadline(), clock.instant()));
    } catch (VirtualMachineError e) {
      // The JVM is in no state to go on: report, then let the process die and Lambda restart it.
      api.fail(id, RuntimeApi.Failure.of("Runtime.ExitError", e));
      throw e;
    } catch (Exception | Error e) {
      log.error("invocation {} failed", id, e);
      int status = api.fail(id, RuntimeApi.Failure.of(
          "Function." + e.getClass().getSimpleName(), e));
      if (status != 202) {
        log.warn("invocation {}: the Runtime API answered {} to the error report", id, status);
      }
      return;
    }
    int status = api.respond(id, response);
    Timeline.print(System.out);
    if (status != 202) {
      log.warn("invocation {}: the Runtime API answered {} to the response", id, status);
    }
  }

  /** What the deliveries may use: the time left before the deadline, less the margin. */
  static Duration budget(Optional<Instant> deadline, Instant now) {
    if (deadline.isEmpty()) {
      return null;
    }
    Duration left = Duration.between(now, deadline.get()).minus(DEADLINE_MARGIN);
    return left.isNegative() ? Duration.ZERO : left;
  }
}
