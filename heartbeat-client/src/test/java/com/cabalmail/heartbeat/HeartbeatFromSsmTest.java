package com.cabalmail.heartbeat;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cabalmail.alert.testkit.CapturedLogs;
import com.cabalmail.alert.testkit.ManualTicker;
import com.cabalmail.alert.testkit.StandInServer;
import com.cabalmail.http.HttpDelivery;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The ping URL read once from SSM (answered by WireMock as SSM answers), then pinged. */
class HeartbeatFromSsmTest {

  static final String PARAMETER = "/cabal/healthcheck_ping_certbot-renewal";
  static final String PING_PATH = "/ping/5f1c2b3a-8d4e-4f60-9a7b-0c1d2e3f4a5b";
  static final String SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  static final String TOKEN = "IQoJb3JpZ2luX2VjEXAMPLETOKEN";

  /** The stand-in server: one per class, stubs and journal reset before each test. */
  @RegisterExtension
  static WireMockExtension server = StandInServer.onFreePort();
  Map<String, String> environment;

  @BeforeEach
  void reset() {
    CapturedLogs.clear();
    server.stubFor(post(urlPathEqualTo(PING_PATH))
        .willReturn(aResponse().withStatus(200).withBody("OK")));
    environment = new HashMap<>();
    environment.put("AWS_ACCESS_KEY_ID", "ASIAEXAMPLEKEYID1234");
    environment.put("AWS_SECRET_ACCESS_KEY", SECRET_KEY);
    environment.put("AWS_SESSION_TOKEN", TOKEN);
    environment.put("AWS_REGION", "eu-west-1");
    environment.put("AWS_ENDPOINT_URL_SSM", server.baseUrl());
  }

  void ssmAnswers(String value) {
    server.stubFor(post(urlEqualTo("/"))
        .withHeader("X-Amz-Target", equalTo("AmazonSSM.GetParameters"))
        .withRequestBody(equalToJson(
            "{\"Names\":[\"" + PARAMETER + "\"],\"WithDecryption\":true}"))
        .willReturn(aResponse().withStatus(200)
            .withHeader("Content-Type", "application/x-amz-json-1.1")
            .withBody("{\"Parameters\":[{\"Name\":\"" + PARAMETER + "\",\"Type\":\"SecureString\","
                + "\"Value\":\"" + value + "\",\"Version\":1,"
                + "\"LastModifiedDate\":1.787307330123E9,\"DataType\":\"text\"}],"
                + "\"InvalidParameters\":[]}")));
  }

  Heartbeat fromSsm() {
    return Heartbeat.builder().environment(environment)
        .delivery(HttpDelivery.create(new ManualTicker())).fromSsmParameter(PARAMETER);
  }

  @Test
  void pingUrlIsReadOnceFromSsmThenPinged() {
    ssmAnswers(server.baseUrl() + PING_PATH);

    Heartbeat heartbeat = fromSsm();
    heartbeat.success();
    heartbeat.success();

    assertTrue(heartbeat.isEnabled());
    server.verify(exactly(1), postRequestedFor(urlEqualTo("/")));
    server.verify(exactly(2), postRequestedFor(urlEqualTo(PING_PATH)));
    assertFalse(CapturedLogs.text().contains(PING_PATH), CapturedLogs.text());
  }

  @Test
  void pausedParameterMakesAQuietNoOp() {
    ssmAnswers("paused");

    Heartbeat heartbeat = fromSsm();

    assertFalse(heartbeat.isEnabled());
    assertEquals(PingOutcome.Kind.SKIPPED, heartbeat.success().kind());
    assertEquals(List.of("INFO com.cabalmail.heartbeat.Heartbeat - heartbeat off: SSM parameter "
        + PARAMETER + " is 'paused'"), CapturedLogs.lines().stream()
            .filter(line -> !line.startsWith("DEBUG")).collect(Collectors.toList()));
    server.verify(exactly(0), postRequestedFor(urlEqualTo(PING_PATH)));
  }

  @Test
  void unreadableParameterIsAWarningNamingItNotAnException() {
    server.stubFor(post(urlEqualTo("/")).willReturn(aResponse().withStatus(400)
        .withHeader("Content-Type", "application/x-amz-json-1.1")
        .withBody("{\"__type\":\"AccessDeniedException\",\"message\":\"User: arn:aws:sts::"
            + "123456789012:assumed-role/certbot/certbot is not authorized to perform:"
            + " ssm:GetParameters\"}")));

    Heartbeat heartbeat = fromSsm();

    assertFalse(heartbeat.isEnabled());
    String logs = CapturedLogs.text();
    assertTrue(logs.startsWith("WARN"), logs);
    assertTrue(logs.contains("SSM parameter " + PARAMETER + " could not be read: SSM denied"
        + " access reading " + PARAMETER), logs);
    assertFalse(logs.contains(SECRET_KEY) || logs.contains(TOKEN), logs);
  }

  @Test
  void missingCredentialsAreAWarningNotAnException() {
    environment.remove("AWS_ACCESS_KEY_ID");

    Heartbeat heartbeat = fromSsm();

    assertFalse(heartbeat.isEnabled());
    assertTrue(CapturedLogs.text().contains("AWS_ACCESS_KEY_ID is not set"), CapturedLogs.text());
  }

  @Test
  void ssmThatNeverAnswersLeavesTheHeartbeatOffWithinTheTimeout() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 50)) {
      environment.put("AWS_ENDPOINT_URL_SSM", "http://127.0.0.1:" + silent.getLocalPort());
      long began = System.nanoTime();

      Heartbeat heartbeat = Heartbeat.builder().environment(environment)
          .timeout(Duration.ofMillis(600)).fromSsmParameter(PARAMETER);

      Duration took = Duration.ofNanos(System.nanoTime() - began);
      assertFalse(heartbeat.isEnabled());
      assertTrue(took.compareTo(Duration.ofSeconds(4)) < 0, "took " + took);
      assertTrue(CapturedLogs.text().contains("SSM parameter " + PARAMETER
          + " could not be read"), CapturedLogs.text());
    }
  }
}
