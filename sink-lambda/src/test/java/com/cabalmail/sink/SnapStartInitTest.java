package com.cabalmail.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cabalmail.alert.testkit.NtfyStandIn;
import com.cabalmail.alert.testkit.PushoverStandIn;
import com.cabalmail.http.Json;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The managed runtime's init under SnapStart: Lambda gives no key variables then, only the
 * container-credentials pair, and the sink's secrets must still be read from SSM, signed with
 * the credentials that endpoint hands out.
 */
class SnapStartInitTest {

  static final String CONTAINER_TOKEN = "lambda-snapstart-authorization-token-1";
  static final String SESSION_TOKEN = "session-token-from-the-container-endpoint";

  @RegisterExtension
  final ProviderStubs stubs = new ProviderStubs();

  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private HttpServer credentials;
  private SsmStandIn ssm;

  @AfterEach
  void stop() {
    if (credentials != null) {
      credentials.stop(0);
    }
    if (ssm != null) {
      ssm.close();
    }
  }

  @Test
  void snapStartInitReadsTheSecretsWithContainerCredentialsAlone() throws Exception {
    credentials = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
    credentials.createContext("/2018-06-01/credentials", exchange -> {
      try (exchange; InputStream in = exchange.getRequestBody()) {
        in.readAllBytes();
        authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
        byte[] body = Json.write(g -> {
          g.writeStartObject();
          g.writeStringField("AccessKeyId", "ASIASNAPSTARTEXAMPLE");
          g.writeStringField("SecretAccessKey", "snapstart-secret-access-key-example");
          g.writeStringField("Token", SESSION_TOKEN);
          g.writeStringField("Expiration",
              Instant.now().plus(6, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString());
          g.writeEndObject();
        });
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    });
    credentials.start();
    ssm = SsmStandIn.start(Map.of(
        "/cabal/alert_sink_secret", SinkHandlerEventsTest.SAMPLE_SECRET,
        "/cabal/pushover_user_key", PushoverStandIn.USER_KEY,
        "/cabal/pushover_app_token", PushoverStandIn.APP_TOKEN,
        "/cabal/ntfy_publisher_token", NtfyStandIn.TOKEN));
    Map<String, String> env = new HashMap<>();
    env.put(SinkSetup.INITIALIZATION_TYPE, SinkSetup.SNAP_START);
    env.put("AWS_REGION", "us-east-1");
    env.put("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:"
        + credentials.getAddress().getPort() + "/2018-06-01/credentials");
    env.put("AWS_CONTAINER_AUTHORIZATION_TOKEN", CONTAINER_TOKEN);
    env.put("AWS_ENDPOINT_URL_SSM", ssm.endpoint());
    env.put("SHARED_SECRET_PARAM", "/cabal/alert_sink_secret");
    env.put("PUSHOVER_USER_KEY_PARAM", "/cabal/pushover_user_key");
    env.put("PUSHOVER_APP_TOKEN_PARAM", "/cabal/pushover_app_token");
    env.put("NTFY_PUBLISHER_TOKEN_PARAM", "/cabal/ntfy_publisher_token");
    Map<String, String> providers = stubs.settings();
    env.put("PUSHOVER_API_URL", providers.get("PUSHOVER_API_URL"));
    env.put("NTFY_BASE_URL", providers.get("NTFY_BASE_URL"));

    SinkHandler handler = new SinkHandler(SinkSetup.forLambda(env));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handler.handleRequest(new ByteArrayInputStream(
        SinkHandlerEventsTest.resource("functionurl-event.json")), out);

    assertEquals(List.of(CONTAINER_TOKEN), authorizations, "one fetch, with the token");
    assertEquals(1, ssm.calls());
    assertEquals(SESSION_TOKEN, ssm.securityToken(), "SSM signed with the container's session");
    String response = out.toString(StandardCharsets.UTF_8);
    assertTrue(response.contains("\"statusCode\":204"), response);
    assertEquals(1, stubs.pushoverMessages().size());
  }
}
