package com.cabalmail.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cabalmail.alert.AlertRouter;
import com.cabalmail.alert.decode.AlertBatch;
import com.cabalmail.alert.decode.WebhookFormat;
import com.cabalmail.http.Secret;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Methods and body forms the tools can be set to send, over the local server and through
 * Function URL / API Gateway events: PUT, Kuma's multipart form, gzip and deflate with a cap
 * on the decoded size, other encodings refused by name.
 */
class RequestFormsTest {

  static final int LIMIT = 64 * 1024;
  static final String JSON = "{\"severity\":\"critical\",\"source\":\"kuma/Zürich ✓\","
      + "\"summary\":\"down\"}";

  private final HttpClient client = HttpClient.newHttpClient();
  private final List<String> bodies = Collections.synchronizedList(new ArrayList<>());
  private final List<String> types = Collections.synchronizedList(new ArrayList<>());
  private LocalServer server;
  private String base;

  Sink sink() {
    Sink.BodyDecoder decoder = (body, type, format) -> {
      bodies.add(new String(body, StandardCharsets.UTF_8));
      types.add(type);
      return new AlertBatch(WebhookFormat.DIRECT, List.of(SinkTest.critical("x")), 0);
    };
    AlertRouter router = AlertRouter.builder().routes(SinkTest.table())
        .transport("pushover", SinkTest.sending("p")).transport("ntfy", SinkTest.sending("n"))
        .deadline(Duration.ofSeconds(2)).build();
    return new Sink(new SecretCheck(Secret.of(SinkTest.SECRET), Optional.empty()), decoder,
        router, LIMIT);
  }

  @BeforeEach
  void start() throws IOException {
    server = LocalServer.start(sink(), 0);
    base = "http://127.0.0.1:" + server.port();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<String> send(String method, String path, byte[] body,
      String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
        .header("X-Alert-Secret", SinkTest.SECRET)
        .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
      zip.write(data);
    }
    return out.toByteArray();
  }

  static byte[] deflate(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DeflaterOutputStream zip = new DeflaterOutputStream(out)) {
      zip.write(data);
    }
    return out.toByteArray();
  }

  /** Uptime Kuma 2.x's "form-data" body: the JSON as the string field {@code data}. */
  static byte[] kumaFormData(String boundary, String json) {
    return ("--" + boundary + "\r\n"
        + "Content-Disposition: form-data; name=\"data\"\r\n\r\n"
        + json + "\r\n"
        + "--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void grafanaPutIsAcceptedOnAlertPaths() throws Exception {
    HttpResponse<String> response = send("PUT", "/grafana", JSON.getBytes(StandardCharsets.UTF_8),
        "Content-Type", "application/json");
    assertEquals(204, response.statusCode(), response.body());
    assertEquals(JSON, bodies.get(0));
  }

  @Test
  void kumaMultipartFormDataIsReadFromItsDataField() throws Exception {
    String boundary = "----formdata-undici-0123456789";
    HttpResponse<String> response = send("POST", "/kuma", kumaFormData(boundary, JSON),
        "Content-Type", "multipart/form-data; boundary=" + boundary);
    assertEquals(204, response.statusCode(), response.body());
    assertEquals(JSON, bodies.get(0));
    assertEquals("application/json", types.get(0));
  }

  @Test
  void multipartWithoutADataFieldIs400NamingTheFieldsFound() throws Exception {
    byte[] body = ("--b\r\nContent-Disposition: form-data; name=\"payload\"\r\n\r\n{}\r\n--b--\r\n")
        .getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> response = send("POST", "/kuma", body,
        "Content-Type", "multipart/form-data; boundary=b");
    assertEquals(400, response.statusCode());
    assertTrue(response.body().contains("no field 'data'"), response.body());
    assertTrue(response.body().contains("'payload'"), response.body());
  }

  @Test
  void gzipAndDeflateBodiesAreDecoded() throws Exception {
    byte[] json = JSON.getBytes(StandardCharsets.UTF_8);
    assertEquals(204, send("POST", "/", gzip(json), "Content-Encoding", "gzip",
        "Content-Type", "application/json").statusCode());
    assertEquals(204, send("POST", "/", deflate(json), "Content-Encoding", "deflate",
        "Content-Type", "application/json").statusCode());
    assertEquals(List.of(JSON, JSON), bodies);
  }

  @Test
  void gzipBombIs413NamingTheLimitWithoutInflatingIt() throws Exception {
    byte[] bomb = gzip(new byte[64 * 1024 * 1024]); // 64 MiB of zeros in ~64 KiB
    assertTrue(bomb.length < LIMIT, "the compressed body itself is under the limit");
    HttpResponse<String> response = send("POST", "/", bomb, "Content-Encoding", "gzip");
    assertEquals(413, response.statusCode());
    assertTrue(response.body().contains("decodes to more than " + LIMIT + " bytes"),
        response.body());
    assertTrue(bodies.isEmpty());
  }

  @Test
  void anotherEncodingIs415NamingIt() throws Exception {
    HttpResponse<String> response = send("POST", "/", new byte[] {1, 2, 3},
        "Content-Encoding", "br");
    assertEquals(415, response.statusCode());
    assertTrue(response.body().contains("Content-Encoding 'br' is not supported"),
        response.body());
    assertEquals("gzip, deflate", response.headers().firstValue("accept-encoding").orElse(""));
  }

  @Test
  void corruptGzipIs400() throws Exception {
    HttpResponse<String> response = send("POST", "/", "not gzip".getBytes(StandardCharsets.UTF_8),
        "Content-Encoding", "gzip");
    assertEquals(400, response.statusCode());
    assertTrue(response.body().contains("cannot be decoded"), response.body());
  }

  // Through the Lambda handler: lower-case headers, base64 bodies.

  static byte[] functionUrlEvent(String method, String path, Map<String, String> headers,
      byte[] body) {
    return FunctionUrlEvent.post(path).method(method).headers(headers).base64(body).bytes();
  }

  private Map<String, Object> invoke(byte[] event) throws IOException {
    return SinkHandlerEventsTest.invoke(new SinkHandler(sink()), event);
  }

  @Test
  void functionUrlTakesPutGzipAndMultipartWithLowerCaseHeaders() throws IOException {
    byte[] json = JSON.getBytes(StandardCharsets.UTF_8);
    assertEquals(204, invoke(functionUrlEvent("PUT", "/grafana",
        Map.of("x-alert-secret", SinkTest.SECRET, "content-type", "application/json"), json))
        .get("statusCode"));
    assertEquals(204, invoke(functionUrlEvent("POST", "/", Map.of("x-alert-secret",
        SinkTest.SECRET, "content-encoding", "gzip"), gzip(json))).get("statusCode"));
    assertEquals(204, invoke(functionUrlEvent("POST", "/kuma", Map.of("x-alert-secret",
        SinkTest.SECRET, "content-type", "multipart/form-data; boundary=xyz"),
        kumaFormData("xyz", JSON))).get("statusCode"));
    assertEquals(List.of(JSON, JSON, JSON), bodies);
  }

  @Test
  void functionUrlGzipBombIs413AndOtherEncodingIs415() throws IOException {
    Map<String, Object> bomb = invoke(functionUrlEvent("POST", "/", Map.of("x-alert-secret",
        SinkTest.SECRET, "content-encoding", "gzip"), gzip(new byte[8 * 1024 * 1024])));
    assertEquals(413, bomb.get("statusCode"));
    assertTrue(String.valueOf(bomb.get("body")).contains(Integer.toString(LIMIT)));
    Map<String, Object> zstd = invoke(functionUrlEvent("POST", "/", Map.of("x-alert-secret",
        SinkTest.SECRET, "content-encoding", "zstd"), new byte[] {1}));
    assertEquals(415, zstd.get("statusCode"));
    assertTrue(String.valueOf(zstd.get("body")).contains("'zstd'"));
    assertTrue(bodies.isEmpty());
  }
}
