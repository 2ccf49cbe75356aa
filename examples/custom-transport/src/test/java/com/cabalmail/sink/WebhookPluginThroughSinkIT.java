package com.cabalmail.sink;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cabalmail.example.webhook.WebhookProvider;
import com.cabalmail.http.Json;
import com.cabalmail.alert.testkit.CapturedLogs;
import com.cabalmail.aws.testkit.MotoServer;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The sink knows no plugin: the example webhook plugin, on the class path next to the sink,
 * is routed to by {@code ALERT_ROUTES=critical:webhook=1} alone, its {@code WEBHOOK_TOKEN} read
 * from moto's SSM through {@code WEBHOOK_TOKEN_PARAM}, both by the local server over HTTP and by
 * {@link SinkHandler} answering a Function URL event. Lives in the sink's package only to build
 * the sink from a given environment instead of the process's; the sink itself is unchanged.
 */
class WebhookPluginThroughSinkIT {

  static final String SECRET = "shared-secret-for-the-webhook-test";
  static final String TOKEN = "webhook-token-from-ssm-0123456789";
  static final HttpClient CLIENT = HttpClient.newHttpClient();
  static final String ALERT = "{\"severity\":\"critical\",\"source\":\"cabal/dmarc-ingest\","
      + "\"summary\":\"DMARC ingest failed\"}";

  @RegisterExtension
  static WireMockExtension hook =
      WireMockExtension.newInstance().options(options().dynamicPort()).build();

  private static MotoServer moto;

  @BeforeAll
  static void startMoto() throws Exception {
    moto = MotoServer.start();
    moto.putSecureString("/cabal/alert_sink_secret", SECRET);
    moto.putSecureString("/cabal/webhook_token", TOKEN);
  }

  @AfterAll
  static void stopMoto() throws IOException {
    if (moto != null) {
      moto.close();
    }
  }

  @BeforeEach
  void answer() {
    CapturedLogs.clear();
    hook.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(204)));
  }

  /** A Lambda's environment: the seed's secret name, the route, the plugin's own settings. */
  static Map<String, String> environment() {
    Map<String, String> env = new HashMap<>();
    env.put("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE");
    env.put("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    env.put("AWS_REGION", MotoServer.REGION);
    env.put("AWS_ENDPOINT_URL_SSM", moto.endpoint());
    env.put("SHARED_SECRET_PARAM", "/cabal/alert_sink_secret");
    env.put("ALERT_ROUTES", "critical:webhook=1");
    env.put(WebhookProvider.URL, hook.baseUrl() + "/hook");
    env.put(WebhookProvider.TOKEN + "_PARAM", "/cabal/webhook_token");
    return env;
  }

  void assertDeliveredWithTokenFromSsm() {
    hook.verify(1, postRequestedFor(urlEqualTo("/hook"))
        .withHeader("Authorization", equalTo("Bearer " + TOKEN))
        .withRequestBody(matchingJsonPath("$.source", equalTo("cabal/dmarc-ingest")))
        .withRequestBody(matchingJsonPath("$.priority", equalTo("1"))));
    assertFalse(CapturedLogs.text().contains(TOKEN), CapturedLogs.text());
    assertFalse(CapturedLogs.text().contains(SECRET), CapturedLogs.text());
  }

  @Test
  void localServerRoutesToTheWebhookPluginWithItsTokenFromSsm() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Sink sink = SinkSetup.create(environment(), SinkSetup.SSM, getClass().getClassLoader(),
        new PrintStream(out, true, StandardCharsets.UTF_8));
    try (LocalServer server = LocalServer.start(sink, 0)) {
      HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + server.port() + "/"))
          .header("X-Alert-Secret", SECRET).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(ALERT)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(204, response.statusCode(), response.body());
    }
    assertFalse(out.toString(StandardCharsets.UTF_8).contains("console"), out.toString());
    assertDeliveredWithTokenFromSsm();
  }

  @Test
  void sinkHandlerRoutesAFunctionUrlEventToTheWebhookPluginWithItsTokenFromSsm()
      throws Exception {
    SinkHandler handler = new SinkHandler(SinkSetup.create(environment(), SinkSetup.SSM,
        getClass().getClassLoader(), null));
    byte[] event = Json.write(g -> {
      g.writeStartObject();
      g.writeStringField("version", "2.0");
      g.writeStringField("rawPath", "/");
      g.writeObjectFieldStart("headers");
      g.writeStringField("content-type", "application/json");
      g.writeStringField("x-alert-secret", SECRET);
      g.writeEndObject();
      g.writeObjectFieldStart("requestContext");
      g.writeObjectFieldStart("http");
      g.writeStringField("method", "POST");
      g.writeStringField("path", "/");
      g.writeEndObject();
      g.writeStringField("requestId", "webhook-plugin-it");
      g.writeEndObject();
      g.writeStringField("body", ALERT);
      g.writeBooleanField("isBase64Encoded", false);
      g.writeEndObject();
    });
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handler.handleRequest(new ByteArrayInputStream(event), out);
    String response = out.toString(StandardCharsets.UTF_8);
    assertTrue(response.contains("\"statusCode\":204"), response);
    assertDeliveredWithTokenFromSsm();
  }

  @Test
  void theWebhookPluginsDeclaredSettingsMeanATransportIsConfigured() {
    ClassLoader loader = getClass().getClassLoader();
    assertFalse(SinkSetup.anyTransportConfigured(Map.of(), loader));
    assertTrue(SinkSetup.anyTransportConfigured(Map.of(WebhookProvider.URL, "http://x/"), loader));
    assertTrue(SinkSetup.anyTransportConfigured(
        Map.of(WebhookProvider.TOKEN + "_PARAM", "/cabal/webhook_token"), loader));
  }
}
