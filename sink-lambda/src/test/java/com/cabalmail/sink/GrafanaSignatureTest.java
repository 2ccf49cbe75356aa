package com.cabalmail.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cabalmail.aws.SsmParameters;
import com.cabalmail.alert.AlertRouter;
import com.cabalmail.alert.ConfigException;
import com.cabalmail.alert.decode.AlertBatch;
import com.cabalmail.alert.decode.WebhookFormat;
import com.cabalmail.alert.testkit.CapturedLogs;
import com.cabalmail.alert.testkit.WebhookSamples;
import com.cabalmail.http.Secret;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Grafana's webhook signature (PROTOCOLS.md section 18) as an alternative to the shared secret
 * on {@code /grafana}, over real HTTP to the local server and through Function URL events. The
 * signatures are computed as Grafana's {@code HMACRoundTripper} computes them: lowercase hex
 * HMAC-SHA256, keyed with the secret's UTF-8 bytes, of {@code timestamp + ":" + body} (or the
 * body alone without a timestamp header); {@link #theTestSignerMatchesAnIndependentVector}
 * pins the signer to one computed by {@code openssl dgst -sha256 -hmac}.
 */
class GrafanaSignatureTest {

  static final String HMAC = "grafana-hmac-secret-0123456789";
  static final String TIMESTAMP = "X-Grafana-Alerting-Timestamp";
  private static final String SIGNATURE = GrafanaSignature.HEADER;
  private static final byte[] BODY = "{\"receiver\":\"cabal\",\"status\":\"firing\"}"
      .getBytes(StandardCharsets.UTF_8);

  private final HttpClient client = HttpClient.newHttpClient();
  private final List<byte[]> decoded = new ArrayList<>();

  @BeforeEach
  void clearLogs() {
    CapturedLogs.clear();
  }

  /** As Grafana signs: hex(HMAC-SHA256(secret, [timestamp ":"] body)). */
  static String grafanaSigns(String secret, String timestamp, byte[] body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    if (timestamp != null) {
      mac.update((timestamp + ":").getBytes(StandardCharsets.UTF_8));
    }
    StringBuilder hex = new StringBuilder();
    for (byte b : mac.doFinal(body)) {
      hex.append(String.format("%02x", b));
    }
    return hex.toString();
  }

  private Sink sink(Optional<String> timestampHeader, Clock clock) {
    AlertRouter router = AlertRouter.builder().routes(SinkTest.table())
        .transport("pushover", SinkTest.sending("p")).transport("ntfy", SinkTest.sending("n"))
        .transportTimeout(Duration.ofSeconds(2)).deadline(Duration.ofSeconds(3)).build();
    SecretCheck check = new SecretCheck(Secret.of(SinkTest.SECRET), Optional.empty())
        .withGrafana(Optional.of(new GrafanaSignature(Secret.of(HMAC), timestampHeader, 1 << 20,
            clock)));
    return new Sink(check, (body, type, format) -> {
      decoded.add(body);
      return new AlertBatch(WebhookFormat.GRAFANA, List.of(SinkTest.critical("x")), 0);
    }, router, 1 << 20);
  }

  private Sink sink() {
    return sink(Optional.of(TIMESTAMP), Clock.systemUTC());
  }

  private static String now() {
    return Long.toString(Instant.now().getEpochSecond());
  }

  private HttpResponse<String> post(int port, String path, byte[] body,
      Map<String, String> headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + path))
        .header("Content-Type", "application/json").timeout(Duration.ofSeconds(20))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(request::header);
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> signed(int port, String path, String timestamp, byte[] body)
      throws Exception {
    return post(port, path, body, Map.of(TIMESTAMP, timestamp,
        SIGNATURE, grafanaSigns(HMAC, timestamp, body)));
  }

  private void assertRefused(HttpResponse<String> response, String why) {
    assertEquals(401, response.statusCode(), response.body());
    assertTrue(response.body().contains(why), response.body());
    assertTrue(decoded.isEmpty(), "the body was decoded before the signature was checked");
    assertFalse(response.body().contains(HMAC), response.body());
    assertFalse(CapturedLogs.text().contains(HMAC), CapturedLogs.text());
  }

  @Test
  void theTestSignerMatchesAnIndependentVector() throws Exception {
    // printf '1700000000:{"receiver":"cabal","status":"firing"}' \
    //   | openssl dgst -sha256 -hmac 'grafana-hmac-secret-0123456789'
    assertEquals("c57ac4b63b93866fba9b38830b8e94295274e483e40f86ac8289b5827328ca7e",
        grafanaSigns(HMAC, "1700000000", BODY));
  }

  @Test
  void theIndependentVectorIsAcceptedAtItsTimeWithoutTheSharedSecret() throws Exception {
    Clock then = Clock.fixed(Instant.ofEpochSecond(1700000000L + 60), ZoneOffset.UTC);
    try (LocalServer server = LocalServer.start(sink(Optional.of(TIMESTAMP), then), 0)) {
      HttpResponse<String> response = post(server.port(), "/grafana", BODY, Map.of(
          TIMESTAMP, "1700000000", SIGNATURE,
          "c57ac4b63b93866fba9b38830b8e94295274e483e40f86ac8289b5827328ca7e"));
      assertEquals(204, response.statusCode(), response.body());
      assertEquals(new String(BODY, StandardCharsets.UTF_8),
          new String(decoded.get(0), StandardCharsets.UTF_8));
    }
  }

  @Test
  void aSignedGrafanaRequestIsAcceptedWithoutTheSharedSecret() throws Exception {
    byte[] body = WebhookSamples.bytes(WebhookSamples.GRAFANA_FIRING);
    try (LocalServer server = LocalServer.start(sink(), 0)) {
      HttpResponse<String> response = signed(server.port(), "/grafana", now(), body);
      assertEquals(204, response.statusCode(), response.body());
      assertEquals(1, decoded.size());
    }
  }

  @Test
  void withoutATimestampHeaderTheBodyAloneIsSigned() throws Exception {
    try (LocalServer server = LocalServer.start(sink(Optional.empty(), Clock.systemUTC()), 0)) {
      HttpResponse<String> response = post(server.port(), "/grafana", BODY,
          Map.of(SIGNATURE, grafanaSigns(HMAC, null, BODY)));
      assertEquals(204, response.statusCode(), response.body());
      HttpResponse<String> withTimestamp = post(server.port(), "/grafana", BODY,
          Map.of(SIGNATURE, grafanaSigns(HMAC, now(), BODY)));
      assertEquals(401, withTimestamp.statusCode(), withTimestamp.body());
    }
  }

  @Test
  void aCompressedBodyIsSignedAsSentAndDecodedOnlyAfterTheCheck() throws Exception {
    ByteArrayOutputStream gzip = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gzip)) {
      out.write(BODY);
    }
    byte[] sent = gzip.toByteArray();
    try (LocalServer server = LocalServer.start(sink(), 0)) {
      String timestamp = now();
      HttpResponse<String> response = post(server.port(), "/grafana", sent, Map.of(
          "Content-Encoding", "gzip", TIMESTAMP, timestamp,
          SIGNATURE, grafanaSigns(HMAC, timestamp, sent)));
      assertEquals(204, response.statusCode(), response.body());
      assertEquals(new String(BODY, StandardCharsets.UTF_8),
          new String(decoded.get(0), StandardCharsets.UTF_8));
      // Signed over the decoded body instead: refused, nothing decoded.
      decoded.clear();
      String later = now();
      assertRefused(post(server.port(), "/grafana", sent, Map.of("Content-Encoding", "gzip",
          TIMESTAMP, later, SIGNATURE, grafanaSigns(HMAC, later, BODY))), "does not match");
    }
  }

  @Test
  void aBadSignatureIs401() throws Exception {
    try (LocalServer server = LocalServer.start(sink(), 0)) {
      String timestamp = now();
      assertRefused(post(server.port(), "/grafana", BODY, Map.of(TIMESTAMP, timestamp,
          SIGNATURE, grafanaSigns("another-secret-0123456789", timestamp, BODY))),
          "does not match");
      byte[] changed = "{\"receiver\":\"cabal\",\"status\":\"resolved\"}"
          .getBytes(StandardCharsets.UTF_8);
      assertRefused(post(server.port(), "/grafana", changed, Map.of(TIMESTAMP, timestamp,
          SIGNATURE, grafanaSigns(HMAC, timestamp, BODY))), "does not match");
      String later = Long.toString(Long.parseLong(timestamp) + 1);
      assertRefused(post(server.port(), "/grafana", BODY, Map.of(TIMESTAMP, later,
          SIGNATURE, grafanaSigns(HMAC, timestamp, BODY))), "does not match");
      assertRefused(post(server.port(), "/grafana", BODY, Map.of(TIMESTAMP, timestamp,
          SIGNATURE, "not-hex")), "is not a hex HMAC-SHA256");
      assertRefused(post(server.port(), "/grafana", BODY,
          Map.of(SIGNATURE, grafanaSigns(HMAC, timestamp, BODY))), "has no " + TIMESTAMP);
    }
  }

  @Test
  void aReplayedSignedRequestIsRefused() throws Exception {
    try (LocalServer server = LocalServer.start(sink(), 0)) {
      String timestamp = now();
      assertEquals(204, signed(server.port(), "/grafana", timestamp, BODY).statusCode());
      decoded.clear();
      assertRefused(signed(server.port(), "/grafana", timestamp, BODY), "replayed");
      // Grafana signs each attempt anew: a retry with a new timestamp is accepted.
      String retry = Long.toString(Long.parseLong(timestamp) + 1);
      assertEquals(204, signed(server.port(), "/grafana", retry, BODY).statusCode());
    }
  }

  @Test
  void aStaleOrFutureTimestampIsRefused() throws Exception {
    long now = Instant.now().getEpochSecond();
    try (LocalServer server = LocalServer.start(sink(), 0)) {
      assertRefused(signed(server.port(), "/grafana", Long.toString(now - 301 - 60), BODY),
          "more than 5 minutes");
      assertRefused(signed(server.port(), "/grafana", Long.toString(now + 301 + 60), BODY),
          "more than 5 minutes");
      assertRefused(signed(server.port(), "/grafana", "1e9", BODY), "not a time in Unix seconds");
    }
  }

  @Test
  void theEdgesOfTheWindowOnAFixedClock() throws Exception {
    long at = 1_800_000_000L;
    Clock clock = Clock.fixed(Instant.ofEpochSecond(at), ZoneOffset.UTC);
    try (LocalServer server = LocalServer.start(sink(Optional.of(TIMESTAMP), clock), 0)) {
      assertEquals(204, signed(server.port(), "/grafana", Long.toString(at - 300), BODY)
          .statusCode());
      assertEquals(204, signed(server.port(), "/grafana", Long.toString(at + 300), BODY)
          .statusCode());
      decoded.clear();
      assertRefused(signed(server.port(), "/grafana", Long.toString(at - 301), BODY),
          "more than 5 minutes");
    }
  }

  @Test
  void aSignatureAuthenticatesOnlyGrafanasPath() throws Exception {
    try (LocalServer server = LocalServer.start(sink(), 0)) {
      HttpResponse<String> response = signed(server.port(), "/alertmanager", now(), BODY);
      assertEquals(401, response.statusCode(), response.body());
      assertTrue(decoded.isEmpty());
    }
  }

  @Test
  void twoDifferentSignaturesAreAmbiguous() throws Exception {
    String timestamp = now();
    Map<String, Object> response = FunctionUrlEvent.post("/grafana").text(BODY)
        .header("content-type", "application/json").header(TIMESTAMP.toLowerCase(), timestamp)
        .header(SIGNATURE.toLowerCase(), grafanaSigns(HMAC, timestamp, BODY) + ","
            + grafanaSigns(HMAC, timestamp, "{}".getBytes(StandardCharsets.UTF_8)))
        .sendTo(new SinkHandler(sink()));
    assertEquals(401, response.get("statusCode"));
    assertTrue(String.valueOf(response.get("body")).contains("ambiguous"));
  }

  @Test
  void aSignedFunctionUrlEventIsAcceptedPlainOrBase64AndReplayRefused() throws Exception {
    SinkHandler handler = new SinkHandler(sink());
    String timestamp = now();
    FunctionUrlEvent event = FunctionUrlEvent.post("/grafana")
        .header("content-type", "application/json").header("x-grafana-alerting-timestamp",
            timestamp).header("x-grafana-alerting-signature", grafanaSigns(HMAC, timestamp, BODY));
    assertEquals(204, event.text(BODY).sendTo(handler).get("statusCode"));
    Map<String, Object> replay = event.base64(BODY).sendTo(handler);
    assertEquals(401, replay.get("statusCode"));
    assertTrue(String.valueOf(replay.get("body")).contains("replayed"));
    String next = Long.toString(Long.parseLong(timestamp) + 1);
    assertEquals(204, FunctionUrlEvent.post("/grafana").header("x-grafana-alerting-timestamp",
        next).header("x-grafana-alerting-signature", grafanaSigns(HMAC, next, BODY))
        .base64(BODY).sendTo(handler).get("statusCode"));
    assertEquals(2, decoded.size());
  }

  @Test
  void aSignedFunctionUrlEventOverTheBodyLimitIs413BeforeAnyMac() throws Exception {
    byte[] big = new byte[(1 << 20) + 1];
    Map<String, Object> response = FunctionUrlEvent.post("/grafana")
        .header("x-grafana-alerting-timestamp", now())
        .header("x-grafana-alerting-signature", "0".repeat(64)).base64(big)
        .sendTo(new SinkHandler(sink()));
    assertEquals(413, response.get("statusCode"));
    assertTrue(decoded.isEmpty());
  }

  // Configuration: the settings, validated at startup with problems naming the key.

  private final Map<String, String> stored = new HashMap<>();

  private SinkSetup.ParameterStores store() {
    return environment -> (names, deadline) -> {
      Map<String, Secret> found = new HashMap<>();
      for (String name : names) {
        if (stored.containsKey(name)) {
          found.put(name, Secret.of(stored.get(name)));
        }
      }
      return new SsmParameters.Lookup(found, List.of());
    };
  }

  private Sink lambda(Map<String, String> environment) {
    Map<String, String> env = new HashMap<>(environment);
    env.put("ALERT_SECRET", "a-shared-secret-long-enough");
    env.put("ALERT_ROUTES", "critical:scripted=5");
    env.put("SCRIPTED_TOKEN", "scripted-token-value");
    return SinkSetup.create(env, store(), getClass().getClassLoader(), null);
  }

  @Test
  void theSecretComesFromSsmThroughItsParamForm() throws Exception {
    stored.put("/cabal/grafana_hmac", HMAC);
    Sink sink = lambda(Map.of(GrafanaSignature.SECRET + "_PARAM", "/cabal/grafana_hmac",
        GrafanaSignature.TIMESTAMP_HEADER, TIMESTAMP));
    byte[] body = WebhookSamples.bytes(WebhookSamples.GRAFANA_FIRING);
    try (LocalServer server = LocalServer.start(sink, 0)) {
      HttpResponse<String> response = signed(server.port(), "/grafana", now(), body);
      assertTrue(response.statusCode() < 300, response.statusCode() + " " + response.body());
      String timestamp = now();
      HttpResponse<String> bad = post(server.port(), "/grafana", body, Map.of(TIMESTAMP,
          timestamp, SIGNATURE, grafanaSigns("not-" + HMAC, timestamp, body)));
      assertEquals(401, bad.statusCode(), bad.body());
    }
    assertFalse(CapturedLogs.text().contains(HMAC), CapturedLogs.text());
  }

  @Test
  void badSettingsAreStartupProblemsNamingTheKey() {
    ConfigException header = assertThrows(ConfigException.class, () -> lambda(Map.of(
        GrafanaSignature.SECRET, HMAC, GrafanaSignature.TIMESTAMP_HEADER, "X Timestamp")));
    assertEquals(1, header.problems().size(), header.problems().toString());
    assertTrue(header.problems().get(0).startsWith(GrafanaSignature.TIMESTAMP_HEADER + ": "),
        header.problems().toString());
    ConfigException reserved = assertThrows(ConfigException.class, () -> lambda(Map.of(
        GrafanaSignature.SECRET, HMAC, GrafanaSignature.TIMESTAMP_HEADER, "Content-Length")));
    assertTrue(reserved.problems().get(0).startsWith(GrafanaSignature.TIMESTAMP_HEADER + ": "));
    ConfigException alone = assertThrows(ConfigException.class, () -> lambda(Map.of(
        GrafanaSignature.TIMESTAMP_HEADER, TIMESTAMP)));
    assertTrue(alone.problems().get(0).contains(GrafanaSignature.SECRET), alone.getMessage());
    ConfigException weak = assertThrows(ConfigException.class, () -> lambda(Map.of(
        GrafanaSignature.SECRET, "tiny-hmac")));
    assertTrue(weak.problems().get(0).startsWith(GrafanaSignature.SECRET + " is shorter than"),
        weak.getMessage());
    assertFalse(weak.getMessage().contains("tiny-hmac"), weak.getMessage());
  }
}
