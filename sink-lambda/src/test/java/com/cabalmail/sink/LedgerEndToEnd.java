package com.cabalmail.sink;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cabalmail.alert.testkit.CapturedLogs;
import com.cabalmail.alert.testkit.Peers;
import com.cabalmail.alert.testkit.PushoverStandIn;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The delivery ledger end to end: a real Prometheus Alertmanager (grouping by alertname and
 * severity, as Cabalmail does) posts to the served sink, {@code amtool} fires and resolves
 * alerts, WireMock plays Pushover and ntfy. Each subclass runs every case with one ledger
 * store: in memory, or moto's DynamoDB.
 */
abstract class LedgerEndToEnd extends SinkBehindAlertmanager {

  static final String SECRET = "ledger-e2e-shared-secret-0123456789";
  static final String RECEIPT = "rLqVuqTRh62UzxtmqiaLzQmVcPgiCy";

  final HttpClient client = HttpClient.newHttpClient();

  /** The ledger's settings ({@code ALERT_LEDGER} and what it needs). */
  abstract Map<String, String> ledgerSettings() throws Exception;

  @BeforeEach
  void startProviders() {
    CapturedLogs.clear();
    stubs.pushover.stubFor(post(urlPathMatching("/1/receipts/[A-Za-z0-9]+/cancel.json"))
        .willReturn(PushoverStandIn.cancelled()));
  }

  void startSink(Map<String, String> extra) throws Exception {
    Map<String, String> settings = new HashMap<>();
    settings.put("ALERT_ROUTES", "critical:pushover=2,ntfy=5;warning:ntfy=3;info:");
    settings.putAll(ledgerSettings());
    settings.putAll(extra);
    serve(SECRET, settings);
  }

  void startAlertmanager() throws Exception {
    alertmanager = AlertmanagerPeer.start(dir, String.join("\n",
        "route:",
        "  receiver: sink",
        "  group_by: [alertname, severity]",
        "  group_wait: 1s",
        "  group_interval: 1s",
        "  repeat_interval: 1h",
        "receivers:",
        "  - name: sink",
        "    webhook_configs:",
        "      - url: http://127.0.0.1:" + sink.port() + "/alertmanager",
        "        send_resolved: true",
        "        max_alerts: 10",
        "        http_config:",
        "          authorization:",
        "            type: Bearer",
        "            credentials_file: " + AlertmanagerPeer.secretFile(dir, SECRET),
        ""));
  }

  void fire(String alertname, String instance, String end) throws Exception {
    alertmanager.add(List.of(alertname, "severity=critical", "instance=" + instance,
        "--annotation=summary=" + alertname + " on " + instance), end);
  }

  /** Pushover messages at priority 2 (pages), by the instance they name. */
  List<String> pages() {
    return stubs.pushoverMessages().stream().filter(m -> "2".equals(m.get("priority")))
        .map(m -> m.get("message")).collect(Collectors.toList());
  }

  /** ntfy messages that ntfy accepted (200). */
  long ntfyAccepted() {
    return stubs.ntfy.getAllServeEvents().stream()
        .filter(e -> e.getResponse().getStatus() == 200).count();
  }

  void awaitLog(String text, String what) {
    Peers.await(Duration.ofSeconds(45), () -> CapturedLogs.text().contains(text),
        what + "; alertmanager log: " + alertmanager.log());
  }

  HttpResponse<String> postDirect(String body) {
    try {
      return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sink.port()
          + "/healthchecks")).header("X-Alert-Secret", SECRET)
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static final String DOWN = "{\"summary\": \"Missed heartbeat: certbot-renewal\","
      + " \"severity\": \"critical\", \"source\": \"healthchecks/certbot-renewal\"}";

  @Test
  void anAlertJoiningAGroupDoesNotRepageTheFirst() throws Exception {
    startSink(Map.of());
    startAlertmanager();
    fire("MailQueueBacklog", "mail-1", null);
    Peers.await(Duration.ofSeconds(30), () -> pages().size() >= 1,
        "the first alert pages; " + alertmanager.log());

    fire("MailQueueBacklog", "mail-2", null);
    // Alertmanager re-sends mail-1 with mail-2: the ledger holds it back, and says so.
    awaitLog("outcome=already_delivered", "mail-1 re-sent and held back");

    List<String> pages = pages();
    assertEquals(2, pages.size(), pages.toString());
    assertEquals(1, pages.stream().filter(m -> m.contains("on mail-1")).count(), pages.toString());
    assertEquals(1, pages.stream().filter(m -> m.contains("on mail-2")).count(), pages.toString());
    assertEquals(2, ntfyAccepted());
  }

  @Test
  void anNtfyOutageEndsWithOneNtfyMessageAndOnePagePerAlert() throws Exception {
    stubs.ntfyAnswers(aResponse().withStatus(503).withHeader("Content-Type", "application/json")
        .withBody("{\"code\":50301,\"http\":503,\"error\":\"service unavailable\"}"));
    startSink(Map.of("ALERT_TRANSPORT_TIMEOUT", "1s", "ALERT_DEADLINE", "2s"));
    startAlertmanager();
    fire("ImapDown", "mail-1", null);
    fire("ImapDown", "mail-2", null);
    // The sink answers 503, so Alertmanager retries: wait for a few failed ntfy attempts.
    Peers.await(Duration.ofSeconds(30), () -> pages().size() >= 2
        && stubs.ntfy.getAllServeEvents().size() >= 6,
        "ntfy failing for a while; " + alertmanager.log());
    // The newest stub wins: no gap in which a retry would meet WireMock's own 404.
    stubs.ntfyAnswers(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
        .withBody("{\"id\":\"hT4wNl0sZx2q\",\"time\":1787307351,\"event\":\"message\","
            + "\"topic\":\"alerts\",\"message\":\"ok\"}"));

    // The request that delivers ntfy logs both deliveries when it ends.
    Peers.await(Duration.ofSeconds(45), () -> CapturedLogs.lines().stream()
        .filter(line -> line.contains("transport=ntfy priority=5 outcome=sent")).count() >= 2,
        "ntfy delivered after the outage; " + alertmanager.log());
    assertTrue(CapturedLogs.text().contains("transport=pushover priority=2"
        + " outcome=already_delivered"), "the retries skipped the pages already sent");

    assertEquals(2, ntfyAccepted(), "one ntfy message per alert");
    List<String> pages = pages();
    assertEquals(2, pages.size(), "one page per alert: " + pages);
  }

  @Test
  void aDuplicatePostPagesOnce() throws Exception {
    startSink(Map.of());

    HttpResponse<String> first = postDirect(DOWN);
    HttpResponse<String> second = postDirect(DOWN);

    assertEquals(204, first.statusCode(), first.body());
    assertEquals(200, second.statusCode(), "a repeat held back says so: " + second.body());
    assertTrue(second.body().contains("\"suppressed\":[{\"fingerprint\":"), second.body());
    assertTrue(second.body().contains("\"earlier\":\"not sent again: already delivered at "),
        second.body());
    assertEquals(1, stubs.pushoverMessages().size(), "one page");
    assertEquals(1, ntfyAccepted());
    assertTrue(CapturedLogs.text().contains("outcome=already_delivered"), CapturedLogs.text());
  }

  @Test
  void twoConcurrentIdenticalRequestsPageOnce() throws Exception {
    stubs.pushoverAnswers(ProviderStubs.pushoverAccepted().withFixedDelay(1_000));
    startSink(Map.of());

    CompletableFuture<HttpResponse<String>> first =
        CompletableFuture.supplyAsync(() -> postDirect(DOWN));
    CompletableFuture<HttpResponse<String>> second =
        CompletableFuture.supplyAsync(() -> postDirect(DOWN));
    List<Integer> statuses = List.of(first.get().statusCode(), second.get().statusCode());

    assertEquals(1, stubs.pushoverMessages().size(), "one page");
    assertEquals(1, ntfyAccepted(), "one ntfy message");
    // Each found what the other had claimed (503: retry) or already delivered (200, naming the
    // earlier delivery), or sent it (204); the two may even split the keys between them.
    assertTrue(statuses.stream().allMatch(s -> s == 200 || s == 204 || s == 503),
        statuses.toString());
    HttpResponse<String> retry = postDirect(DOWN);
    assertEquals(200, retry.statusCode(), "the retry finds everything delivered: " + retry.body());
    assertTrue(retry.body().contains("\"suppressed\":[{"), retry.body());
    assertEquals(1, stubs.pushoverMessages().size(), "still one page");
  }

  @Test
  void firingResolvedFiringAgainPagesTwiceAndTheRecoveryCancelsByReceipt() throws Exception {
    startSink(Map.of());
    startAlertmanager();
    fire("CertExpiry", "mail-1", null);
    Peers.await(Duration.ofSeconds(30), () -> pages().size() >= 1, "paged; " + alertmanager.log());

    fire("CertExpiry", "mail-1", Instant.now().plusMillis(500).toString());
    Peers.await(Duration.ofSeconds(30), () -> stubs.pushoverMessages().size() >= 2,
        "recovery; " + alertmanager.log());
    List<String> cancels = stubs.pushover.findAll(anyRequestedFor(
        urlPathMatching("/1/receipts/.*"))).stream().map(r -> r.getUrl())
        .collect(Collectors.toList());
    assertEquals(List.of("/1/receipts/" + RECEIPT + "/cancel.json"), cancels,
        "the ledger kept the emergency's receipt");

    fire("CertExpiry", "mail-1", null);
    Peers.await(Duration.ofSeconds(30), () -> pages().size() >= 2,
        "the new incident pages; " + alertmanager.log());
    assertEquals(2, pages().size());
  }
}
