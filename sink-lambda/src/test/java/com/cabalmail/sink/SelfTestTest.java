package com.cabalmail.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cabalmail.alert.testkit.CapturedLogs;
import com.cabalmail.alert.testkit.Peers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code POST /test} over both entry points: the local server (real HTTP) and a Function URL
 * event; Pushover and ntfy played by WireMock.
 */
class SelfTestTest {

  static final String SECRET = "self-test-shared-secret-value";

  private final HttpClient client = HttpClient.newHttpClient();
  @RegisterExtension
  final ProviderStubs stubs = new ProviderStubs();
  private LocalServer server;

  @BeforeEach
  void start() {
    CapturedLogs.clear();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  Sink sink() {
    Map<String, String> env = new HashMap<>(stubs.settings());
    env.put("ALERT_SECRET", SECRET);
    return SinkSetup.create(env, SinkSetup.SSM, getClass().getClassLoader(), null);
  }

  HttpResponse<String> post(String secret) throws Exception {
    server = LocalServer.start(sink(), 0);
    return client.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.port() + "/test"))
        .header("X-Alert-Secret", secret).POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void selfTestSendsOneMarkedMessageToEveryTransportAtItsQuietPriority() throws Exception {
    HttpResponse<String> response = post(SECRET);

    assertEquals(200, response.statusCode(), response.body());
    List<Map<String, String>> pushover = stubs.pushoverMessages();
    List<Map<String, String>> ntfy = stubs.ntfyMessages();
    assertEquals(1, pushover.size(), pushover.toString());
    assertEquals(1, ntfy.size(), ntfy.toString());
    assertEquals("-1", pushover.get(0).get("priority"), "Pushover's quiet priority");
    assertEquals("3", ntfy.get(0).get("priority"), "ntfy's quiet priority");
    assertTrue(pushover.get(0).get("message").startsWith("TEST from the Cabal alert sink"),
        pushover.get(0).toString());
    assertTrue(pushover.get(0).get("title").contains(SelfTest.SOURCE), pushover.toString());
    assertTrue(ntfy.get(0).get("message").contains("Nothing is wrong; no action needed."),
        ntfy.toString());

    Map<String, String> report = ProviderStubs.flatJson(
        response.body().getBytes(StandardCharsets.UTF_8));
    assertEquals("sent", report.get("test"), response.body());
    assertEquals("true", report.get("allSent"), response.body());
    String body = response.body();
    assertTrue(body.contains("{\"transport\":\"pushover\",\"priority\":-1,\"outcome\":\"sent\","
        + "\"id\":\"5042853c-402d-4a18-abcb-168734a801de\""), body);
    assertTrue(body.contains("{\"transport\":\"ntfy\",\"priority\":3,\"outcome\":\"sent\""),
        body);
    assertFalse(body.contains(ProviderStubs.PUSHOVER_TOKEN), body);
  }

  @Test
  void selfTestWithAFailingTransportStillAnswers200NamingTheFailure() throws Exception {
    stubs.ntfyAnswers(ProviderStubs.ntfyServerError());

    HttpResponse<String> response = post(SECRET);

    assertEquals(200, response.statusCode(), response.body());
    String body = response.body();
    assertTrue(body.contains("\"test\":\"partly sent\",\"allSent\":false"), body);
    assertTrue(body.contains("{\"transport\":\"ntfy\",\"priority\":3,\"outcome\":\"failed\""),
        body);
  }

  @Test
  void selfTestNeedsTheSharedSecretAndSendsNothingWithoutIt() throws Exception {
    HttpResponse<String> response = post("wrong-secret");

    assertEquals(401, response.statusCode());
    assertEquals(List.of(), stubs.pushoverMessages());
    assertEquals(List.of(), stubs.ntfyMessages());
  }

  /** Runs examples/deploy/self-test.sh against the local server; returns exit status + output. */
  String script(String secret) throws Exception {
    Peers.require("curl", "apt-get install curl");
    server = LocalServer.start(sink(), 0);
    ProcessBuilder builder = new ProcessBuilder("sh",
        java.nio.file.Paths.get("..", "examples", "deploy", "self-test.sh").toString(),
        "http://127.0.0.1:" + server.port() + "/").redirectErrorStream(true);
    builder.environment().put("ALERT_SECRET", secret);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), output);
    return process.exitValue() + "\n" + output;
  }

  @Test
  void selfTestScriptExitsZeroWhenEveryTransportDelivered() throws Exception {
    String result = script(SECRET);

    assertTrue(result.startsWith("0\n"), result);
    assertTrue(result.contains("self-test: every transport delivered its test message"), result);
    assertEquals(1, stubs.pushoverMessages().size());
    assertFalse(result.contains(SECRET), "the secret is never printed: " + result);
  }

  @Test
  void selfTestScriptExitsTwoNamingAFailingTransportAndOneOnAWrongSecret() throws Exception {
    stubs.pushoverAnswers(ProviderStubs.connectionReset());
    String failing = script(SECRET);
    assertTrue(failing.startsWith("2\n"), failing);
    assertTrue(failing.contains("\"transport\":\"pushover\",\"priority\":-1,\"outcome\":"
        + "\"failed\""), failing);
    server.close();

    String refused = script("not-the-secret");
    assertTrue(refused.startsWith("1\n"), refused);
    assertTrue(refused.contains("answered HTTP 401"), refused);
  }

  @Test
  void selfTestThroughAFunctionUrlEventAnswers200WithTheReport() throws Exception {
    FunctionUrlEvent event = FunctionUrlEvent.post("/test")
        .header("authorization", "Bearer " + SECRET).requestId("fn-url-self-test");

    Map<String, Object> response = event.sendTo(new SinkHandler(sink()));

    assertEquals(200, response.get("statusCode"), response.toString());
    String body = (String) response.get("body");
    assertTrue(body.contains("\"requestId\":\"fn-url-self-test\",\"test\":\"sent\""), body);
    assertEquals(1, stubs.pushoverMessages().size());
    assertEquals(1, stubs.ntfyMessages().size());
  }
}
