package com.cabalmail.alert.ntfy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cabalmail.alert.testkit.NtfyStandIn;
import com.cabalmail.alert.testkit.TestClock;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The running {@link NtfyStandIn} answers as ntfy does (PROTOCOLS §2, §15), checked with plain
 * HTTP requests, so that tests against it mean something for the real server.
 */
class NtfyStandInTest {

  private static final Instant START = Instant.parse("2026-08-21T10:00:00Z");

  private final HttpClient client = HttpClient.newHttpClient();
  private final TestClock clock = new TestClock(START);
  private NtfyStandIn ntfy;

  @AfterEach
  void stop() {
    ntfy.close();
  }

  private HttpResponse<String> send(String method, String path, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(ntfy.baseUrl().resolve(path));
    request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body));
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> publish(String json) throws Exception {
    return send("POST", "/", json);
  }

  private static Map<String, Object> json(String text) {
    return SentJson.object(text.getBytes(StandardCharsets.UTF_8));
  }

  private static void assertError(int http, int code, HttpResponse<String> answer) {
    assertEquals(http, answer.statusCode(), answer.body());
    Map<String, Object> error = json(answer.body());
    assertEquals((long) code, error.get("code"), answer.body());
    assertEquals((long) http, error.get("http"), answer.body());
    assertEquals("application/json", answer.headers().firstValue("Content-Type").orElse(""));
  }

  @Test
  void aPublishIsAnsweredWithTheStoredMessageAndShownOncePerSequenceId() throws Exception {
    ntfy = NtfyStandIn.start(NtfyStandIn.Version.V2_16, clock);

    HttpResponse<String> first = publish("{\"topic\":\"alerts\",\"sequence_id\":\"s1\","
        + "\"title\":\"down\",\"message\":\"IMAP down\",\"priority\":5,\"tags\":[\"warning\"]}");
    HttpResponse<String> second = publish("{\"topic\":\"alerts\",\"sequence_id\":\"s1\","
        + "\"title\":\"up\",\"message\":\"IMAP up\"}");

    assertEquals(200, first.statusCode(), first.body());
    Map<String, Object> stored = json(first.body());
    assertEquals(12, ((String) stored.get("id")).length());
    assertEquals("message", stored.get("event"));
    assertEquals(START.getEpochSecond(), stored.get("time"));
    assertEquals("s1", stored.get("sequence_id"));
    assertEquals(5L, stored.get("priority"));
    assertFalse(json(second.body()).containsKey("priority"), "3 is left out");
    List<NtfyStandIn.Notification> shown = ntfy.notifications("alerts");
    assertEquals(1, shown.size());
    assertEquals("IMAP up", shown.get(0).message());
    assertEquals(1, shown.get(0).sounded());
  }

  @Test
  void delaysOutsideTenSecondsToThreeDaysAndDelaysWithoutCacheAreRefused() throws Exception {
    ntfy = NtfyStandIn.start(NtfyStandIn.Version.V2_16, clock);

    assertError(400, 40005, publish("{\"topic\":\"alerts\",\"delay\":\"9s\"}"));
    assertError(400, 40006, publish("{\"topic\":\"alerts\",\"delay\":\"4d\"}"));
    assertError(400, 40004, publish("{\"topic\":\"alerts\",\"delay\":\"soon\"}"));
    assertError(400, 40002, publish("{\"topic\":\"alerts\",\"delay\":\"30m\",\"cache\":\"no\"}"));
    HttpResponse<String> held = publish("{\"topic\":\"alerts\",\"delay\":\""
        + (START.getEpochSecond() + 600) + "\"}");
    assertEquals(200, held.statusCode(), held.body());
    assertEquals(START.getEpochSecond() + 600, json(held.body()).get("time"));
    assertEquals(List.of(), ntfy.notifications("alerts"));
    clock.advance(Duration.ofMinutes(10));
    assertEquals("triggered", ntfy.notifications("alerts").get(0).message(),
        "an empty message is ntfy's 'triggered'");
  }

  @Test
  void badRequestsAreAnsweredWithNtfysCodes() throws Exception {
    ntfy = NtfyStandIn.start(NtfyStandIn.Version.V2_16, clock);

    assertError(400, 40009, publish("{\"topic\":\"no topic!\"}"));
    assertError(400, 40007, publish("{\"topic\":\"alerts\",\"priority\":9}"));
    assertError(400, 40024, publish("{\"topic\":\"alerts\",\"priority\":\"high\"}"));
    assertError(400, 40024, publish("not json"));
    assertError(413, 41303, publish("{\"topic\":\"alerts\",\"message\":\"" + "x".repeat(8200)
        + "\"}"));
    assertError(404, 40401, send("GET", "/alerts/s1/nothing", null));
    HttpResponse<String> health = send("GET", "/v1/health", null);
    assertEquals("{\"healthy\":true}", health.body().strip());
  }

  @Test
  void clearAndDeleteAnswerWithTheirEventAndWithdrawAHeldMessage() throws Exception {
    ntfy = NtfyStandIn.start(NtfyStandIn.Version.V2_16, clock);
    publish("{\"topic\":\"alerts\",\"sequence_id\":\"s1\",\"message\":\"shown\"}");
    publish("{\"topic\":\"alerts\",\"sequence_id\":\"s2\",\"message\":\"held\",\"delay\":\"1h\"}");

    HttpResponse<String> cleared = send("PUT", "/alerts/s1/clear", null);
    HttpResponse<String> deleted = send("DELETE", "/alerts/s2", null);
    clock.advance(Duration.ofHours(2));

    assertEquals(200, cleared.statusCode(), cleared.body());
    assertEquals("message_clear", json(cleared.body()).get("event"));
    assertEquals("s1", json(cleared.body()).get("sequence_id"));
    assertEquals("message_delete", json(deleted.body()).get("event"));
    List<NtfyStandIn.Notification> shown = ntfy.notifications("alerts");
    assertEquals(1, shown.size(), "the held message never arrived: " + shown);
    assertTrue(shown.get(0).cleared());
  }

  @Test
  void beforeVersion216SequenceIdsAreIgnoredAndClearAndDeleteAreNotFound() throws Exception {
    ntfy = NtfyStandIn.start(NtfyStandIn.Version.V2_15, clock);

    HttpResponse<String> first = publish("{\"topic\":\"alerts\",\"sequence_id\":\"s1\"}");
    publish("{\"topic\":\"alerts\",\"sequence_id\":\"s1\"}");

    assertFalse(json(first.body()).containsKey("sequence_id"));
    assertEquals(2, ntfy.notifications("alerts").size());
    assertError(404, 40401, send("PUT", "/alerts/s1/clear", null));
    assertError(404, 40401, send("DELETE", "/alerts/s1", null));
  }

  @Test
  void aRefusedTopicIsAnsweredWithTheErrorGiven() throws Exception {
    ntfy = NtfyStandIn.start(NtfyStandIn.Version.V2_16, clock);
    ntfy.refuse("oncall", 403, 40301, "forbidden");

    assertError(403, 40301, publish("{\"topic\":\"oncall\"}"));
    assertError(403, 40301, send("DELETE", "/oncall/s1", null));
    assertEquals(200, publish("{\"topic\":\"alerts\"}").statusCode());
  }
}
