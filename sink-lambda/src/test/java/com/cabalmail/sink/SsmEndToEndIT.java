package com.cabalmail.sink;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cabalmail.alert.ConfigException;
import com.cabalmail.alert.testkit.CapturedLogs;
import com.cabalmail.alert.testkit.Peers;
import com.cabalmail.aws.testkit.MotoServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The sink against moto's SSM server: the four SecureString parameters are read in one
 * signed GetParameters call at startup, and the stored secret is what callers must send.
 */
class SsmEndToEndIT {

  static final String SECRET = SinkHandlerEventsTest.SAMPLE_SECRET;
  static final String PREVIOUS = "previous-shared-secret-rotating-out";
  static final HttpClient CLIENT = HttpClient.newHttpClient();

  private static MotoServer moto;
  private static String endpoint;

  @RegisterExtension
  final ProviderStubs stubs = new ProviderStubs();

  @BeforeAll
  static void startMoto() throws Exception {
    moto = MotoServer.start();
    endpoint = moto.endpoint();
    put("/cabal/alert_sink_secret", SECRET);
    put("/cabal/alert_sink_secret_previous", PREVIOUS);
    put("/cabal/pushover_user_key", ProviderStubs.PUSHOVER_USER);
    put("/cabal/pushover_app_token", ProviderStubs.PUSHOVER_TOKEN);
    put("/cabal/ntfy_publisher_token", ProviderStubs.NTFY_TOKEN);
  }

  @AfterAll
  static void stopMoto() throws IOException {
    if (moto != null) {
      moto.close();
    }
  }

  @BeforeEach
  void clearLogs() {
    CapturedLogs.clear();
  }

  static void put(String name, String value) throws Exception {
    moto.putSecureString(name, value);
  }

  /** The Lambda's environment: parameter names, credentials, and the providers' URLs. */
  Map<String, String> environment() {
    Map<String, String> env = new HashMap<>();
    env.put("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE");
    env.put("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    env.put("AWS_SESSION_TOKEN", "IQoJb3JpZ2luX2VjEXAMPLETOKEN");
    env.put("AWS_REGION", MotoServer.REGION);
    env.put("AWS_ENDPOINT_URL_SSM", endpoint);
    env.put("SHARED_SECRET_PARAM", "/cabal/alert_sink_secret");
    env.put("PUSHOVER_USER_KEY_PARAM", "/cabal/pushover_user_key");
    env.put("PUSHOVER_APP_TOKEN_PARAM", "/cabal/pushover_app_token");
    env.put("NTFY_PUBLISHER_TOKEN_PARAM", "/cabal/ntfy_publisher_token");
    env.put("PUSHOVER_API_URL", stubs.pushover.baseUrl());
    env.put("NTFY_BASE_URL", stubs.ntfy.baseUrl());
    env.put("NTFY_TOPIC", "alerts");
    return env;
  }

  static HttpResponse<String> post(int port, String secret) throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
        .header("X-Alert-Secret", secret).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"severity\":\"critical\","
            + "\"source\":\"cabal/dmarc-ingest\",\"summary\":\"DMARC ingest failed\"}"))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void sinkReadsEverySecretFromSsmAndAcceptsOnlyTheStoredOne() throws Exception {
    try (LocalServer server = LocalServer.start(SinkSetup.create(environment(), SinkSetup.SSM,
        getClass().getClassLoader(), null), 0)) {
      assertEquals(401, post(server.port(), "guess").statusCode());
      assertEquals(204, post(server.port(), SECRET).statusCode());
    }
    Map<String, String> page = stubs.pushoverMessages().get(0);
    assertEquals(ProviderStubs.PUSHOVER_TOKEN, page.get("token"));
    assertEquals(ProviderStubs.PUSHOVER_USER, page.get("user"));
    assertEquals("Bearer " + ProviderStubs.NTFY_TOKEN, stubs.ntfy.findAll(
        anyRequestedFor(anyUrl())).get(0).getHeader("Authorization"));
    String logs = CapturedLogs.text();
    for (String secret : List.of(SECRET, ProviderStubs.PUSHOVER_TOKEN, ProviderStubs.PUSHOVER_USER,
        ProviderStubs.NTFY_TOKEN)) {
      assertFalse(logs.contains(secret), "a secret was logged: " + logs);
    }
  }

  @Test
  void previousSecretFromSsmIsAcceptedDuringARotation() throws Exception {
    Map<String, String> env = environment();
    env.put("SHARED_SECRET_PREVIOUS_PARAM", "/cabal/alert_sink_secret_previous");
    try (LocalServer server = LocalServer.start(SinkSetup.create(env, SinkSetup.SSM,
        getClass().getClassLoader(), null), 0)) {
      assertEquals(204, post(server.port(), SECRET).statusCode());
      assertEquals(200, post(server.port(), PREVIOUS).statusCode(),
          "accepted: the same alert again, held back as a repeat and said so");
    }
  }

  @Test
  void lambdaHandlerAnswersTheSampleEventWithTheSecretFromSsm() throws Exception {
    SinkHandler handler = new SinkHandler(SinkSetup.create(environment(), SinkSetup.SSM,
        getClass().getClassLoader(), null));
    assertEquals(204, SinkHandlerEventsTest.invoke(handler,
        SinkHandlerEventsTest.resource("functionurl-event-base64.json")).get("statusCode"));
    assertEquals(1, stubs.pushoverMessages().size());
  }

  @Test
  void missingParameterIsAStartupErrorNamingItAndNoValue() {
    Map<String, String> env = environment();
    env.put("PUSHOVER_APP_TOKEN_PARAM", "/cabal/no_such_parameter");
    ConfigException e = assertThrows(ConfigException.class, () -> SinkSetup.create(env,
        SinkSetup.SSM, getClass().getClassLoader(), null));
    assertTrue(e.getMessage().contains("PUSHOVER_APP_TOKEN_PARAM names SSM parameter"
        + " '/cabal/no_such_parameter', which does not exist"), e.getMessage());
    assertFalse(e.getMessage().contains(SECRET), e.getMessage());
    assertFalse(e.getMessage().contains(ProviderStubs.PUSHOVER_USER), e.getMessage());
  }

  @Test
  void unreachableSsmKeepsTheLocalServerFromStartingWithAClearMessage() throws Exception {
    Map<String, String> env = environment();
    env.put("AWS_ENDPOINT_URL_SSM", "http://127.0.0.1:" + Peers.freePort());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    long started = System.nanoTime();
    int status = LocalServer.run(new String[] {"--port", "0"}, env,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    long millis = (System.nanoTime() - started) / 1_000_000;
    String message = err.toString(StandardCharsets.UTF_8);
    assertEquals(1, status, message);
    assertTrue(message.startsWith("sink not started: configuration problem: secrets could not be"
        + " read from SSM Parameter Store: "), message);
    assertTrue(millis < SinkSetup.SSM_BUDGET.toMillis() + 2_000, "gave up after " + millis);
    assertFalse(out.toString(StandardCharsets.UTF_8).contains("listening"));
  }
}
