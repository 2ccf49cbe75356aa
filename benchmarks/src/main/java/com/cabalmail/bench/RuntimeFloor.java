package com.cabalmail.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * The floor under any Java Lambda that talks HTTP with {@code java.net.http}: a JVM that builds
 * one client (which initialises the default {@code SSLContext}, trust store included, as every
 * client does) and serves the Runtime API with it: next, then a fixed response, forever. No sink
 * code, no JSON library. {@link Budgets} runs it as its own jar, on the package's jlinked runtime
 * with its own trained AOT cache, and on the stock JDK.
 */
public final class RuntimeFloor {

  private RuntimeFloor() {}

  public static void main(String[] args) throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    String base = "http://" + System.getenv("AWS_LAMBDA_RUNTIME_API")
        + "/2018-06-01/runtime/invocation/";
    while (true) {
      HttpResponse<byte[]> next = client.send(
          HttpRequest.newBuilder(URI.create(base + "next")).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      if (next.statusCode() != 200) {
        System.exit(1);
      }
      String id = next.headers().firstValue("Lambda-Runtime-Aws-Request-Id").orElseThrow();
      client.send(HttpRequest.newBuilder(URI.create(base + id + "/response"))
              .POST(HttpRequest.BodyPublishers.ofString("{\"statusCode\":204}")).build(),
          HttpResponse.BodyHandlers.discarding());
    }
  }
}
