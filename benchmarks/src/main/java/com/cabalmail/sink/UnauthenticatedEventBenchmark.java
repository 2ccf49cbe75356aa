package com.cabalmail.sink;

import com.cabalmail.http.Json;
import com.cabalmail.http.Secret;
import java.util.Base64;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What a caller without the secret costs (issue 16, point 2): a 6 MB Function URL event whose
 * body is base64, with a wrong {@code X-Alert-Secret}. {@code decodeThenCheck} is the old
 * order (read the whole event, copy and decode the body, then check the secret);
 * {@code checkFirst} is what {@link SinkHandler} does now (stream the headers, skip the body
 * unread, check). In package {@code com.cabalmail.sink} to reach its package-private classes.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar UnauthenticatedEventBenchmark -f 1 -wi 3 -i 5
 *     -w 1s -r 1s -prof gc</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class UnauthenticatedEventBenchmark {

  /** The event's size: a Function URL's request limit. */
  static final int EVENT_BYTES = 6 * 1000 * 1000;

  private byte[] event;
  private SecretCheck check;

  @Setup
  public void setUp() {
    byte[] raw = new byte[(EVENT_BYTES - 1000) / 4 * 3];
    new Random(16).nextBytes(raw);
    String body = Base64.getEncoder().encodeToString(raw);
    event = Json.write(g -> {
      g.writeStartObject();
      g.writeStringField("version", "2.0");
      g.writeStringField("rawPath", "/");
      g.writeObjectFieldStart("headers");
      g.writeStringField("content-type", "application/json");
      g.writeStringField("x-alert-secret", "a-guess-that-is-wrong");
      g.writeEndObject();
      g.writeObjectFieldStart("requestContext");
      g.writeObjectFieldStart("http");
      g.writeStringField("method", "POST");
      g.writeEndObject();
      g.writeStringField("requestId", "bench");
      g.writeEndObject();
      g.writeStringField("body", body);
      g.writeBooleanField("isBase64Encoded", true);
      g.writeEndObject();
    });
    check = new SecretCheck(Secret.of("the-real-secret-0123456789"), Optional.empty());
  }

  /** The old order: the whole event read and the body decoded before the check. */
  @Benchmark
  public boolean decodeThenCheck() throws FunctionUrlEvents.BadEvent {
    return check.accepts(FunctionUrlEvents.read(event));
  }

  /** The order now: the headers streamed, the body skipped unread, then the check. */
  @Benchmark
  public boolean checkFirst() throws FunctionUrlEvents.BadEvent {
    return check.accepts(FunctionUrlEvents.preview(event));
  }
}
