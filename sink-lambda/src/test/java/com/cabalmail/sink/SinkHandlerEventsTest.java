package com.cabalmail.sink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cabalmail.alert.AlertRouter;
import com.cabalmail.alert.decode.AlertBatch;
import com.cabalmail.alert.decode.WebhookFormat;
import com.cabalmail.alert.testkit.WebhookSamples;
import com.cabalmail.http.Json;
import com.cabalmail.http.Secret;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The Lambda entry point, fed the Function URL events of the shared samples. */
class SinkHandlerEventsTest {

  static final String SAMPLE_SECRET = "example-not-a-real-secret-7f3a9c";

  private final List<byte[]> bodies = new ArrayList<>();
  private final List<String> contentTypes = new ArrayList<>();

  SinkHandler handler() {
    Sink.BodyDecoder decoder = (body, type, format) -> {
      bodies.add(body);
      contentTypes.add(type);
      return new AlertBatch(WebhookFormat.DIRECT, List.of(SinkTest.critical("x")), 0);
    };
    AlertRouter router = AlertRouter.builder().routes(SinkTest.table())
        .transport("pushover", SinkTest.sending("p")).transport("ntfy", SinkTest.sending("n"))
        .deadline(Duration.ofSeconds(2)).build();
    return new SinkHandler(new Sink(new SecretCheck(Secret.of(SAMPLE_SECRET), Optional.empty()),
        decoder, router, 1 << 20));
  }

  /** A Function URL event under {@code /samples/}, or one of the kit's webhook bodies. */
  static byte[] resource(String name) throws IOException {
    if (WebhookSamples.ALL.contains(name)) {
      return WebhookSamples.bytes(name);
    }
    try (InputStream in = SinkHandlerEventsTest.class.getResourceAsStream("/samples/" + name)) {
      return in.readAllBytes();
    }
  }

  static Map<String, Object> invoke(SinkHandler handler, byte[] event) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handler.handleRequest(new ByteArrayInputStream(event), out);
    Map<String, Object> response = new LinkedHashMap<>();
    try (JsonParser p = Json.factory().createParser(out.toByteArray())) {
      assertEquals(JsonToken.START_OBJECT, p.nextToken());
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken t = p.nextToken();
        if (t == JsonToken.START_OBJECT) {
          Map<String, String> headers = new LinkedHashMap<>();
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String header = p.currentName();
            p.nextToken();
            headers.put(header, p.getText());
          }
          response.put(name, headers);
        } else if (t == JsonToken.VALUE_NUMBER_INT) {
          response.put(name, p.getIntValue());
        } else if (t.isBoolean()) {
          response.put(name, t == JsonToken.VALUE_TRUE);
        } else {
          response.put(name, p.getText());
        }
      }
    }
    return response;
  }

  @Test
  void plainAndBase64FunctionUrlEventsCarryTheSameBody() throws IOException {
    SinkHandler handler = handler();
    Map<String, Object> plain = invoke(handler, resource("functionurl-event.json"));
    Map<String, Object> encoded = invoke(handler, resource("functionurl-event-base64.json"));
    assertEquals(204, plain.get("statusCode"));
    assertEquals(204, encoded.get("statusCode"));
    assertEquals(2, bodies.size());
    assertArrayEquals(bodies.get(0), bodies.get(1));
    String body = new String(bodies.get(0), StandardCharsets.UTF_8);
    assertTrue(body.startsWith("{\"severity\":\"critical\",\"source\":\"cabal/dmarc-ingest\""), body);
    assertEquals(List.of("application/json", "application/x-www-form-urlencoded"), contentTypes);
    assertEquals(Boolean.FALSE, plain.get("isBase64Encoded"));
  }

  @Test
  void responseCarriesTheFunctionUrlRequestId() throws IOException {
    Map<String, Object> response = invoke(handler(), resource("functionurl-event.json"));
    @SuppressWarnings("unchecked")
    Map<String, String> headers = (Map<String, String>) response.get("headers");
    assertEquals("c0a8f3e2-5b6d-4e7f-9a1b-2c3d4e5f6a7b", headers.get("x-request-id"));
  }

  @Test
  void wrongSecretInTheEventIs401() throws IOException {
    String event = new String(resource("functionurl-event.json"), StandardCharsets.UTF_8)
        .replace(SAMPLE_SECRET, "not-the-secret");
    Map<String, Object> response = invoke(handler(), event.getBytes(StandardCharsets.UTF_8));
    assertEquals(401, response.get("statusCode"));
    assertFalse(String.valueOf(response.get("body")).contains("not-the-secret"));
    assertTrue(bodies.isEmpty());
  }

  @Test
  void apiGatewayVersion1EventIsUnderstoodWithEveryValueOfARepeatedHeader() throws Exception {
    // API Gateway 1.0: "headers" holds the last value only, "multiValueHeaders" all of them.
    byte[] event = new ApiGatewayV1Event("POST", "/alertmanager",
        Map.of("Content-Type", "application/json", "Authorization", "Basic cHJveHk6cGFzcw=="),
        Map.of("Authorization", List.of("Bearer " + SAMPLE_SECRET, "Basic cHJveHk6cGFzcw==")),
        "{\"a\":\"ü\"}").bytes();
    Map<String, Object> response = invoke(handler(), event);
    assertEquals(204, response.get("statusCode"), "the bearer secret in the first value is seen");
    assertEquals("{\"a\":\"ü\"}", new String(bodies.get(0), StandardCharsets.UTF_8));
    assertEquals(List.of("Bearer " + SAMPLE_SECRET, "Basic cHJveHk6cGFzcw=="),
        FunctionUrlEvents.read(event).headerValues("authorization"));
  }

  @Test
  void healthProbeEventIs200() throws IOException {
    String event = new String(resource("functionurl-event.json"), StandardCharsets.UTF_8)
        .replace("\"rawPath\": \"/\"", "\"rawPath\": \"/health\"")
        .replace("\"method\": \"POST\"", "\"method\": \"GET\"");
    Map<String, Object> response = invoke(handler(), event.getBytes(StandardCharsets.UTF_8));
    assertEquals(200, response.get("statusCode"));
    assertEquals("{\"status\":\"ok\"}", response.get("body"));
  }

  @Test
  void eventThatIsNotJsonIs400NamingTheOffset() throws IOException {
    Map<String, Object> response = invoke(handler(),
        "{\"rawPath\": \"/\", oops".getBytes(StandardCharsets.UTF_8));
    assertEquals(400, response.get("statusCode"));
    assertTrue(String.valueOf(response.get("body")).contains("at byte"),
        String.valueOf(response.get("body")));
  }

  @Test
  void base64FlagOnABodyThatIsNotBase64Is400() throws IOException {
    String event = new String(resource("functionurl-event-base64.json"), StandardCharsets.UTF_8)
        .replace("\"body\": \"eyJ", "\"body\": \"!!!eyJ");
    Map<String, Object> response = invoke(handler(), event.getBytes(StandardCharsets.UTF_8));
    assertEquals(400, response.get("statusCode"));
    assertTrue(String.valueOf(response.get("body")).contains("base64"));
  }

  @Test
  void oddlyShapedEventsAreAnsweredNeverWith500() throws IOException {
    SinkHandler handler = handler();
    List<String> events = List.of("[]", "\"event\"", "", "{}", "null",
        "{\"rawPath\": 5, \"requestContext\": {\"http\": {\"method\": [1]}}}",
        "{\"rawPath\": \"/\", \"headers\": [], \"requestContext\": {\"http\":"
            + " {\"method\": \"POST\"}}, \"body\": {\"a\": 1}}",
        "{\"httpMethod\": \"POST\", \"path\": \"/\", \"multiValueHeaders\":"
            + " {\"x-alert-secret\": \"nope\", \"a\": [null, {}]}}",
        "{\"rawPath\": \"/\u0000\", \"requestContext\": {\"http\": {\"method\": \"PO\u00dfT\"}}}",
        "[".repeat(200));
    for (String event : events) {
      int status = (Integer) invoke(handler, event.getBytes(StandardCharsets.UTF_8))
          .get("statusCode");
      assertTrue(status >= 400 && status < 500, status + " for " + event);
    }
    assertTrue(bodies.isEmpty());
  }

  @Test
  void theEnvelopeFactoryRaisesOnlyTheStringLimit() {
    var envelope = FunctionUrlEvents.ENVELOPE_FACTORY;
    var shared = Json.factory();

    assertEquals(Json.MAX_DOCUMENT_LENGTH, envelope.streamReadConstraints().getMaxStringLength());
    assertEquals(shared.streamReadConstraints().getMaxNestingDepth(),
        envelope.streamReadConstraints().getMaxNestingDepth());
    assertEquals(shared.streamReadConstraints().getMaxDocumentLength(),
        envelope.streamReadConstraints().getMaxDocumentLength());
    assertTrue(envelope.isEnabled(com.fasterxml.jackson.core.StreamReadFeature
        .STRICT_DUPLICATE_DETECTION.mappedFeature()));
  }

  static byte[] eventWithBase64Body(int bodyBytes) {
    return FunctionUrlEvent.post("/").secret(SAMPLE_SECRET).base64(new byte[bodyBytes]).bytes();
  }

  @Test
  void aBodyOverTheContentStringLimitButUnderTheBodyLimitIsDecoded() throws IOException {
    int size = Json.MAX_STRING_LENGTH * 2;

    assertEquals(204, invoke(handler(), eventWithBase64Body(size)).get("statusCode"));
    assertEquals(size, bodies.get(0).length, "the whole body reached the decoder");
  }

  @Test
  void aBodyOverTheBodyLimitIs413() throws IOException {
    assertEquals(413, invoke(handler(), eventWithBase64Body((1 << 20) + 1)).get("statusCode"));
    assertTrue(bodies.isEmpty());
  }
}
