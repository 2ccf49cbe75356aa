package com.cabalmail.sink;

import com.cabalmail.http.HttpDelivery;
import com.cabalmail.http.Json;
import com.cabalmail.http.Timeline;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The Lambda Runtime API as a custom runtime sees it ({@code AWS_LAMBDA_RUNTIME_API}, plain
 * HTTP/1.1, path prefix {@code /2018-06-01/runtime}): take the next event, post its response
 * or its error, or report a failed init. {@code next} has no timeout: it blocks while the
 * execution environment is frozen between events.
 */
final class RuntimeApi {

  /** The environment variable holding {@code host:port}. */
  static final String ADDRESS = "AWS_LAMBDA_RUNTIME_API";
  static final String PREFIX = "/2018-06-01/runtime";
  static final String REQUEST_ID = "Lambda-Runtime-Aws-Request-Id";
  static final String DEADLINE_MS = "Lambda-Runtime-Deadline-Ms";
  static final String TRACE_ID = "Lambda-Runtime-Trace-Id";
  static final String ERROR_TYPE = "Lambda-Runtime-Function-Error-Type";

  /** Request ids are UUIDs; anything else never reaches a URL path. */
  private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");
  private static final int MAX_FRAMES = 32;

  private final HttpClient client;
  private final URI base;

  private RuntimeApi(HttpClient client, URI base) {
    this.client = client;
    this.base = base;
  }

  /** The Runtime API at {@code address} ({@code host:port}, as Lambda sets it). */
  static RuntimeApi at(String address) {
    if (address == null || address.isBlank() || address.contains("/")) {
      throw new IllegalArgumentException(ADDRESS + " must be host:port, as Lambda sets it;"
          + " this process is not running as a Lambda custom runtime");
    }
    // The process's one client (init has built it already): no second selector thread and pool.
    return new RuntimeApi(HttpDelivery.shared().client(),
        URI.create("http://" + address.trim() + PREFIX));
  }

  /** One event and what the Runtime API said about it. */
  record Invocation(String requestId, Optional<Instant> deadline, Optional<String> traceId,
      byte[] event) {}

  /** A failure as Lambda reports it: the header's type, the body's type, message and frames. */
  record Failure(String category, String errorType, String message, StackTraceElement[] frames) {

    /** A failure describing {@code thrown} under {@code category} (e.g. {@code Runtime.ConfigInvalid}). */
    static Failure of(String category, Throwable thrown) {
      return new Failure(category, thrown.getClass().getName(),
          thrown.getMessage() == null ? thrown.getClass().getSimpleName() : thrown.getMessage(),
          thrown.getStackTrace());
    }

    byte[] body() {
      return Json.write(g -> {
        g.writeStartObject();
        g.writeStringField("errorMessage", message);
        g.writeStringField("errorType", errorType);
        g.writeArrayFieldStart("stackTrace");
        for (int i = 0; i < Math.min(frames.length, MAX_FRAMES); i++) {
          g.writeString(frames[i].toString());
        }
        g.writeEndArray();
        g.writeEndObject();
      });
    }
  }

  /** Waits, without a timeout, for the next event. */
  Invocation next() throws IOException, InterruptedException {
    Timeline.mark("runtime-api", "next");
    HttpResponse<byte[]> answer = client.send(
        request("/invocation/next").GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
    Timeline.mark("runtime-api", "event received");
    if (answer.statusCode() != 200) {
      throw new IOException("Runtime API answered " + answer.statusCode() + " to next");
    }
    HttpHeaders headers = answer.headers();
    String id = headers.firstValue(REQUEST_ID).orElse("");
    if (!SAFE_ID.matcher(id).matches()) {
      throw new IOException("Runtime API gave no usable " + REQUEST_ID);
    }
    // Plain ifs, not flatMap/filter callbacks: on a cold start each costs a class spun then.
    Optional<String> deadlineMillis = headers.firstValue(DEADLINE_MS);
    Optional<Instant> deadline = deadlineMillis.isPresent() ? epochMillis(deadlineMillis.get())
        : Optional.empty();
    String traceHeader = headers.firstValue(TRACE_ID).orElse("");
    Optional<String> trace = traceHeader.isBlank() ? Optional.empty() : Optional.of(traceHeader);
    return new Invocation(id, deadline, trace, answer.body());
  }

  /** Posts the response of one invocation; returns the Runtime API's status (202 expected). */
  int respond(String requestId, byte[] response) throws IOException, InterruptedException {
    Timeline.mark("runtime-api", "response");
    int status = post("/invocation/" + requestId + "/response", response, null);
    Timeline.mark("runtime-api", "response accepted");
    return status;
  }

  /** Posts the failure of one invocation; returns the Runtime API's status (202 expected). */
  int fail(String requestId, Failure failure) throws IOException, InterruptedException {
    return post("/invocation/" + requestId + "/error", failure.body(), failure.category());
  }

  /** Reports that the init failed; the process should exit afterwards. */
  int initFailed(Failure failure) throws IOException, InterruptedException {
    return post("/init/error", failure.body(), failure.category());
  }

  private int post(String path, byte[] body, String errorType)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        request(path).POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (errorType != null) {
      request.header(ERROR_TYPE, errorType).header("Content-Type", "application/json");
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  /** Plain HTTP/1.1 to a local endpoint: no h2c upgrade; no timeout (next waits for events). */
  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(base + path)).version(HttpClient.Version.HTTP_1_1);
  }

  private static Optional<Instant> epochMillis(String text) {
    try {
      return Optional.of(Instant.ofEpochMilli(Long.parseLong(text.trim())));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
