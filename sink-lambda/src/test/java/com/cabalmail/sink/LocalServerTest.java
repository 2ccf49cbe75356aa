package com.cabalmail.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cabalmail.alert.decode.AlertBatch;
import com.cabalmail.alert.decode.WebhookFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The same handler served over HTTP on loopback. */
class LocalServerTest {

  private final HttpClient client = HttpClient.newHttpClient();
  private final List<byte[]> bodies = new ArrayList<>();

  Sink sink() {
    return SinkTest.sink(SinkTest.sending("p"), SinkTest.failing("ntfy down"),
        (body, type, format) -> {
          bodies.add(body);
          return new AlertBatch(WebhookFormat.DIRECT, List.of(SinkTest.critical("x")), 0);
        });
  }

  @Test
  void servesTheSameAnswersOverHttp() throws Exception {
    try (LocalServer server = LocalServer.start(sink(), 0)) {
      String base = "http://127.0.0.1:" + server.port();
      HttpResponse<String> partial = client.send(HttpRequest.newBuilder(URI.create(base + "/"))
          .header("Authorization", "Bearer " + SinkTest.SECRET)
          .POST(HttpRequest.BodyPublishers.ofString("{\"summary\":\"Zürich ✓\"}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(207, partial.statusCode());
      assertTrue(partial.body().contains("\"errors\":{\"ntfy\":\"ntfy down\"}"), partial.body());
      assertEquals("{\"summary\":\"Zürich ✓\"}", new String(bodies.get(0), StandardCharsets.UTF_8));

      HttpResponse<String> health = client.send(
          HttpRequest.newBuilder(URI.create(base + "/health")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, health.statusCode());

      HttpResponse<String> unauthorised = client.send(HttpRequest.newBuilder(URI.create(base))
          .POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(401, unauthorised.statusCode());
      assertTrue(unauthorised.body().contains("X-Alert-Secret"));
    }
  }

  @Test
  void bodyOverTheLimitIs413WithoutReadingItAll() throws Exception {
    try (LocalServer server = LocalServer.start(sink(), 0)) {
      HttpResponse<String> response = client.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + server.port() + "/"))
          .header("X-Alert-Secret", SinkTest.SECRET)
          .POST(HttpRequest.BodyPublishers.ofString("x".repeat(4096))).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(413, response.statusCode());
      assertTrue(bodies.isEmpty());
    }
  }

  @Test
  void portComesFromTheFlagThenTheEnvironment() {
    assertEquals(9000, LocalServer.port(new String[] {"--port", "9000"}, Map.of("PORT", "1")));
    assertEquals(9001, LocalServer.port(new String[] {"--port=9001"}, Map.of()));
    assertEquals(7000, LocalServer.port(new String[0], Map.of("PORT", "7000")));
    assertEquals(8080, LocalServer.port(new String[0], Map.of()));
    assertThrows(IllegalArgumentException.class,
        () -> LocalServer.port(new String[] {"--port", "http"}, Map.of()));
  }

  @Test
  void refusesToStartWithTheConfigurationProblem() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = LocalServer.run(new String[] {"--port", "0"},
        Map.of("ALERT_SECRET", "s", "ALERT_ROUTES", "critical:carrier-pigeon=1"),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(1, status);
    assertTrue(err.toString(StandardCharsets.UTF_8).contains(
        "sink not started: configuration problem: ALERT_ROUTES: transport 'carrier-pigeon' is"
            + " not on the class path"), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void runReadsTheConfiguredBodyLimitAndLeavesProcessWideStateAlone() throws Exception {
    String nodelayBefore = System.getProperty(LocalServer.NODELAY);
    List<LocalServer> started = new ArrayList<>();
    int status = LocalServer.run(new String[] {"--port", "0"},
        Map.of("ALERT_SECRET", SinkTest.SECRET, "ALERT_MAX_BODY_BYTES", "1000"),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        started::add);
    assertEquals(0, status);
    try (LocalServer server = started.get(0)) {
      HttpResponse<String> tooLarge = client.send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + server.port() + "/"))
          .header("Authorization", "Bearer " + SinkTest.SECRET)
          .POST(HttpRequest.BodyPublishers.ofString("{\"summary\":\"" + "x".repeat(2_000)
              + "\"}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(413, tooLarge.statusCode(), tooLarge.body());
      assertTrue(tooLarge.body().contains("1000 bytes"), tooLarge.body());
    }
    assertEquals(nodelayBefore, System.getProperty(LocalServer.NODELAY),
        "run() sets no system property; main() does, once");
  }
}
