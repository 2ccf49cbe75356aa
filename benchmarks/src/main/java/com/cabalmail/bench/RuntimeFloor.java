package com.cabalmail.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * The floor under any Java Lambda built on this project's two required libraries,
 * {@code java.net.http} and jackson-core: a JVM that builds one client (which initialises the
 * default {@code SSLContext}, trust store included, as every client does), serves the Runtime
 * API with it (next, then a fixed response, forever) and reads each event with jackson-core's
 * streaming parser, as any handler must. No sink code. {@link Budgets} runs it as its own jar
 * (this class and jackson-core's), on the package's jlinked runtime with its own trained AOT
 * cache, and on the stock JDK.
 *
 * <p>Reading the event is in the floor because jackson-core's first parser initialises
 * {@code java.math.BigDecimal} (its parsers' base class keeps {@code BigDecimal} bounds), whose
 * JDK 25 static initialiser squares a 152,000-bit number: about 25 ms of CPU on every cold start
 * of anything that parses JSON with jackson-core on JDK 25, which no code of the sink can avoid
 * (README, "Performance").
 */
public final class RuntimeFloor {

  private RuntimeFloor() {}

  public static void main(String[] args) throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    JsonFactory json = new JsonFactory();
    String base = "http://" + System.getenv("AWS_LAMBDA_RUNTIME_API")
        + "/2018-06-01/runtime/invocation/";
    while (true) {
      HttpResponse<byte[]> next = client.send(
          HttpRequest.newBuilder(URI.create(base + "next")).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      if (next.statusCode() != 200) {
        System.exit(1);
      }
      int fields = 0;
      try (JsonParser parser = json.createParser(next.body())) {
        for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
          fields += token == JsonToken.FIELD_NAME ? 1 : 0;
        }
      }
      String id = next.headers().firstValue("Lambda-Runtime-Aws-Request-Id").orElseThrow();
      client.send(HttpRequest.newBuilder(URI.create(base + id + "/response"))
              .POST(HttpRequest.BodyPublishers.ofString("{\"statusCode\":204,\"fields\":"
                  + fields + "}")).build(),
          HttpResponse.BodyHandlers.discarding());
    }
  }
}
