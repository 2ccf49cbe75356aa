package com.cabalmail.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cabalmail.alert.testkit.CapturedLogs;
import com.cabalmail.alert.testkit.Peers;
import com.cabalmail.alert.testkit.PushoverStandIn;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Silence from the phone against the real Debian Alertmanager: the sink is told where
 * Alertmanager is ({@code ALERTMANAGER_URL}), Alertmanager posts an alert to the sink, the
 * alert's ntfy message carries a Silence 4h button, and pressing it (a POST of its URL) makes a
 * silence in that Alertmanager with one exact matcher per label of the alert: {@code amtool}
 * finds it, Alertmanager marks the alert suppressed by it and stops notifying, and the ntfy
 * notification is replaced to say so; the Pushover emergency stops repeating (cancelled by its
 * receipt). A second press changes nothing.
 */
class AlertmanagerSilenceIT extends SinkBehindAlertmanager {

  static final String SECRET = "am-silence-shared-secret-012345";
  static final String ACK_KEY = "am-silence-ack-key-0123456789abc";
  static final Pattern SILENCE_BUTTON =
      Pattern.compile("\"label\":\"Silence 4h\",\"url\":\"([^\"]+)\",\"method\":\"POST\"");
  static final Pattern WEBHOOKS = Pattern.compile(
      "(?m)^alertmanager_notifications_total\\{integration=\"webhook\"\\} (\\d+)");

  private final HttpClient client = HttpClient.newHttpClient();

  @Test
  void theSilenceButtonSilencesExactlyThatAlertInAlertmanagerWhichStopsNotifying()
      throws Exception {
    CapturedLogs.clear();
    int port = Peers.freePort();
    serve(SECRET, Map.of("ALERT_ROUTES", "critical:pushover=2,ntfy=5;warning:ntfy=3;info:",
        "ALERT_ACK_KEY", ACK_KEY, "ALERTMANAGER_URL", "http://127.0.0.1:" + port));
    alertmanager = AlertmanagerPeer.start(dir, AlertmanagerPeer.example(sink.port(),
        AlertmanagerPeer.secretFile(dir, SECRET),
        new String[] {"group_wait: 30s", "group_wait: 1s"},
        new String[] {"group_interval: 5m", "group_interval: 1s"},
        // Repeats every 2 s while it is not silenced: "stops notifying" can be seen.
        new String[] {"repeat_interval: 4h", "repeat_interval: 2s"}), port);

    alertmanager.add(List.of("PostfixQueueBacklog", "severity=critical", "service=mail",
        "instance=mail-1", "--annotation=summary=Postfix deferred queue above 1000"), null);
    Peers.await(Duration.ofSeconds(30), () -> !stubs.ntfyMessages().isEmpty()
        && webhooks() >= 2, "the alert delivered and repeated; log: " + alertmanager.log());

    String body = new String(stubs.ntfy.getAllServeEvents().get(0).getRequest().getBody(),
        StandardCharsets.UTF_8);
    Matcher button = SILENCE_BUTTON.matcher(body);
    assertTrue(button.find(), body);
    String url = button.group(1);
    assertTrue(url.startsWith("http://127.0.0.1:" + sink.port() + "/silence/"), url);
    assertTrue(body.contains("\"label\":\"Acknowledge\""), body);

    HttpResponse<String> pressed = post(url);
    assertEquals(200, pressed.statusCode(), pressed.body());
    assertTrue(pressed.body().contains("\"silenced\""), pressed.body());

    String query = Peers.run(List.of(Peers.require("amtool", "apt-get install"
        + " prometheus-alertmanager").toString(), "--alertmanager.url=" + alertmanager.url(),
        "silence", "query", "-o", "extended"), Duration.ofSeconds(30));
    for (String matcher : List.of("alertname=\"PostfixQueueBacklog\"", "severity=\"critical\"",
        "service=\"mail\"", "instance=\"mail-1\"")) {
      assertTrue(query.contains(matcher), matcher + " in " + query);
    }
    assertEquals(1, query.strip().lines().count() - 1, query);
    // Whoever silenced it has seen it: the emergency stops repeating, by its receipt.
    assertEquals(List.of(PushoverStandIn.RECEIPT), stubs.pushoverCancelledReceipts());
    String alerts = get(alertmanager.url() + "/api/v2/alerts").body();
    assertTrue(alerts.contains("\"state\":\"suppressed\""), alerts);

    // Stopped notifying: no webhook over more than two repeat intervals.
    Thread.sleep(1_500);
    long after = webhooks();
    Thread.sleep(5_000);
    assertEquals(after, webhooks(), "Alertmanager kept notifying; log: " + alertmanager.log());

    List<Map<String, String>> ntfy = stubs.ntfyMessages();
    Map<String, String> replaced = ntfy.get(ntfy.size() - 1);
    assertTrue(replaced.get("message").startsWith("Silenced in Alertmanager until "),
        replaced.toString());
    assertEquals(ntfy.get(0).get("sequence_id"), replaced.get("sequence_id"));
    assertTrue(replaced.get("sequence_id").endsWith("-critical"), replaced.toString());

    int before = stubs.ntfyMessages().size();
    HttpResponse<String> again = post(url);
    assertEquals(200, again.statusCode());
    assertTrue(again.body().contains("already silenced"), again.body());
    assertEquals(before, stubs.ntfyMessages().size());
    String twice = Peers.run(List.of(Peers.require("amtool", "apt-get install"
        + " prometheus-alertmanager").toString(), "--alertmanager.url=" + alertmanager.url(),
        "silence", "query", "-q"), Duration.ofSeconds(30));
    assertEquals(1, twice.strip().lines().count(), twice);
    assertFalse(CapturedLogs.text().contains(ACK_KEY));
  }

  private long webhooks() {
    try {
      Matcher m = WEBHOOKS.matcher(get(alertmanager.url() + "/metrics").body());
      return m.find() ? Long.parseLong(m.group(1)) : 0;
    } catch (Exception e) {
      return 0;
    }
  }

  private HttpResponse<String> get(String url) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String url) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(url))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
  }
}
