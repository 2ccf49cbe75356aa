package com.cabalmail.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cabalmail.alert.Alert;
import com.cabalmail.alert.AlertConfig;
import com.cabalmail.alert.AlertRouter;
import com.cabalmail.alert.Delivery;
import com.cabalmail.alert.DeliveryReport;
import com.cabalmail.alert.Severity;
import com.cabalmail.alert.testkit.NtfyStandIn;
import com.cabalmail.alert.testkit.PushoverStandIn;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Firing, then acknowledged before the escalation falls due, over real HTTP against the test
 * kit's running ntfy (2.16, its clock moved by the test) and stateful Pushover: the
 * acknowledgement replaces the alert's one notification in place, without sounding again, and
 * withdraws the escalation the ntfy server was holding, so nothing reaches the escalation topic.
 * Through the served sink (Pushover calls it back) and a Function URL event (the callback
 * handed over as the URL would).
 */
class AcknowledgedBeforeEscalationTest {

  static final String SECRET = AcknowledgementsOverHttpTest.SECRET;
  private NtfyStandIn ntfy;
  private PushoverStandIn.Server pushover;
  private LocalServer server;
  private final HttpClient client = HttpClient.newHttpClient();

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    ntfy.close();
    pushover.close();
  }

  Sink sink() throws Exception {
    return SinkSetup.create(env(), SinkSetup.SSM, getClass().getClassLoader(), null);
  }

  Map<String, String> env() throws Exception {
    ntfy = NtfyStandIn.start(NtfyStandIn.Version.V2_16);
    pushover = PushoverStandIn.start();
    Map<String, String> env = new HashMap<>();
    env.put("ALERT_SECRET", SECRET);
    env.put("ALERT_ACK_KEY", AcknowledgementsOverHttpTest.ACK_KEY);
    env.put("ALERT_ROUTES", AcknowledgementsOverHttpTest.ROUTES);
    env.put("PUSHOVER_API_URL", pushover.baseUrl());
    env.put("PUSHOVER_APP_TOKEN", PushoverStandIn.APP_TOKEN);
    env.put("PUSHOVER_USER_KEY", PushoverStandIn.USER_KEY);
    env.put("NTFY_BASE_URL", ntfy.baseUrl().toString());
    env.put("NTFY_TOPIC", "alerts");
    env.put("ALERT_ESCALATE_AFTER", "15m");
    env.put("NTFY_ESCALATE_TOPIC", "oncall-backup");
    return env;
  }

  @Test
  void theNtfyTransportSaysItScheduledAnEscalationInWordsTheMetricsCount() throws Exception {
    try (AlertRouter router = AlertRouter.create(AlertConfig.from(env()))) {
      DeliveryReport report = router.route(Alert.firing(Severity.CRITICAL, "kuma/IMAP", "down"));
      String detail = "";
      for (Delivery d : report.deliveries()) {
        if (d.transport().equals("ntfy")) {
          detail = d.outcome().detail();
        }
      }
      assertTrue(detail.contains(EmfMetrics.ESCALATES), detail);
    }
  }

  static String down() {
    return AcknowledgementsOverHttpTest.alert("firing", "imap-9");
  }

  void assertAcknowledgedInPlaceAndNeverEscalated() {
    ntfy.advance(Duration.ofHours(1));
    assertEquals(List.of(), ntfy.notifications("oncall-backup"));
    assertEquals(List.of(), ntfy.scheduled("oncall-backup"));
    List<NtfyStandIn.Notification> shown = ntfy.notifications("alerts");
    assertEquals(1, shown.size(), shown.toString());
    assertTrue(shown.get(0).message().startsWith("Acknowledged by pixel-7 at "), shown.toString());
    assertEquals(1, shown.get(0).sounded(), "the replacement does not sound again");
  }

  @Test
  void servedAcknowledgedOnPushoverBeforeTheEscalation() throws Exception {
    server = LocalServer.start(sink(), 0);
    HttpResponse<String> fired = client.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + server.port() + "/")).header("X-Alert-Secret", SECRET)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(down())).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(204, fired.statusCode(), fired.body());
    assertEquals(1, ntfy.scheduled("oncall-backup").size());
    ntfy.advance(Duration.ofMinutes(5));

    assertEquals(200, pushover.acknowledge(pushover.receipts().get(0), PushoverStandIn.USER_KEY,
        "pixel-7"));
    assertAcknowledgedInPlaceAndNeverEscalated();
  }

  @Test
  void functionUrlAcknowledgedOnPushoverBeforeTheEscalation() throws Exception {
    SinkHandler handler = new SinkHandler(sink());
    Map<String, Object> fired = SinkHandlerEventsTest.invoke(handler, withDomain(
        FunctionUrlEvent.post("/").header("x-alert-secret", SECRET)
            .header("content-type", "application/json").text(down())));
    assertEquals(204, fired.get("statusCode"));
    ntfy.advance(Duration.ofMinutes(5));

    String receipt = pushover.receipts().get(0);
    pushover.acknowledgeWithoutCallback(receipt, PushoverStandIn.USER_KEY, "pixel-7");
    String callback = pushover.receipt(receipt).orElseThrow().message().get("callback");
    String origin = "https://" + AcknowledgementsOverHttpTest.DOMAIN;
    assertTrue(callback.startsWith(origin + "/ack/pushover/"), callback);
    Map<String, Object> answered = SinkHandlerEventsTest.invoke(handler, withDomain(
        FunctionUrlEvent.post(callback.substring(origin.length()))
            .header("content-type", "application/x-www-form-urlencoded")
            .base64(pushover.callbackForm(receipt).getBytes(StandardCharsets.UTF_8))));
    assertEquals(200, answered.get("statusCode"), answered.toString());
    assertAcknowledgedInPlaceAndNeverEscalated();
  }

  static byte[] withDomain(FunctionUrlEvent event) {
    return new String(event.bytes(), StandardCharsets.UTF_8).replace("\"requestContext\":{",
        "\"requestContext\":{\"domainName\":\"" + AcknowledgementsOverHttpTest.DOMAIN + "\",")
        .getBytes(StandardCharsets.UTF_8);
  }
}
