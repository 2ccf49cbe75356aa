package com.cabalmail.sink;

import com.cabalmail.alert.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Lambda entry point, handler string {@code com.cabalmail.sink.SinkHandler::handleRequest},
 * on the managed Java runtimes without {@code aws-lambda-java-core}. Takes Function URL events
 * (payload 2.0; API Gateway 1.0 events too) and answers in their response shape.
 *
 * <p>Everything is prepared when the runtime constructs the handler, in the init phase: the
 * secrets read from SSM Parameter Store in one call, the HTTP client, the decoder, the
 * transports and the router. A configuration problem fails the init with a
 * {@link ConfigException} listing every problem, each naming its variable (never a secret).
 */
public final class SinkHandler {

  private static final Logger log = LoggerFactory.getLogger(SinkHandler.class);

  /** The largest event read whole for an unauthenticated acknowledgement callback. */
  static final int MAX_CALLBACK_EVENT = 64 * 1024;

  private final Sink sink;

  /**
   * Reads the configuration from the environment.
   *
   * @throws ConfigException listing every configuration problem
   */
  public SinkHandler() {
    this(lambdaSink());
  }

  SinkHandler(Sink sink) {
    this.sink = sink;
  }

  private static Sink lambdaSink() {
    try {
      return SinkSetup.forLambda(System.getenv());
    } catch (ConfigException e) {
      log.error("sink not started: {}", e.getMessage());
      throw e;
    }
  }

  /** Answers one Function URL event with one Function URL response. */
  public void handleRequest(InputStream input, OutputStream output) throws IOException {
    output.write(FunctionUrlEvents.write(answer(input.readAllBytes())));
    output.flush();
  }

  /**
   * The custom runtime's entry ({@link RuntimeLoop}): one event's bytes to one response's
   * bytes, with the deliveries bounded by {@code budget} (what is left of the invocation).
   */
  byte[] handle(byte[] event, Duration budget) {
    return FunctionUrlEvents.write(answer(event, budget));
  }

  SinkResponse answer(byte[] event) {
    return answer(event, null);
  }

  private SinkResponse answer(byte[] event, Duration budget) {
    SinkRequest request;
    try {
      // The secret first, on the raw event: a caller without it gets its 401 (or 404, 405,
      // health) from a request with no body, and nothing of its body is copied or decoded.
      // Only a request Grafana signed needs its body read to be authenticated.
      // Pushover's acknowledgement callback is the one unauthenticated request whose (small,
      // form) body is read: it names the receipt.
      SinkRequest preview = FunctionUrlEvents.preview(event);
      if (!sink.signed(preview) && !sink.authenticated(preview)) {
        if (event.length > MAX_CALLBACK_EVENT || !Acknowledgements.isCallback(preview)) {
          return sink.handle(preview);
        }
      }
      request = FunctionUrlEvents.read(event);
    } catch (FunctionUrlEvents.BadEvent e) {
      String id = java.util.UUID.randomUUID().toString();
      log.warn("request {}: unusable event: {}", id, e.getMessage());
      return SinkResponse.error(e.isTooLarge() ? 413 : 400, id, e.getMessage());
    }
    return sink.handle(request, budget);
  }
}
