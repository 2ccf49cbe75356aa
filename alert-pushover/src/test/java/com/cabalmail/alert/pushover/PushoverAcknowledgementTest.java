package com.cabalmail.alert.pushover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cabalmail.alert.Alert;
import com.cabalmail.alert.Labels;
import com.cabalmail.alert.Outcome;
import com.cabalmail.alert.Severity;
import com.cabalmail.alert.ledger.Acknowledgement;
import com.cabalmail.alert.testkit.PushoverStandIn;
import com.cabalmail.alert.testkit.TestClock;
import com.cabalmail.http.Deadline;
import com.cabalmail.http.HttpDelivery;
import com.cabalmail.http.Ticker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Acknowledgements on Pushover against the test kit's stateful stand-in, over real HTTP: the
 * emergency carries the callback, the receipts API is what confirms an acknowledgement (never
 * who is named in it: a hash of the user key), a receipt polled within 5 s is refused, and a
 * cancel by receipt stops the repeats.
 */
class PushoverAcknowledgementTest {

  private final TestClock clock = TestClock.atTen();
  private PushoverStandIn.Server pushover;
  private PushoverTransport transport;

  @BeforeEach
  void start() throws Exception {
    pushover = PushoverStandIn.start(clock);
    transport = new PushoverTransport(PushoverFixtures.settings(URI.create(pushover.baseUrl()),
        Map.of()), HttpDelivery.create(Ticker.system()));
  }

  @AfterEach
  void stop() {
    pushover.close();
  }

  static Deadline soon() {
    return Deadline.after(Duration.ofSeconds(5));
  }

  String page() {
    Alert alert = Alert.firing(Severity.CRITICAL, "cabal/imap", "IMAP down")
        .withLabel(Labels.ACK_CALLBACK, "https://sink.example/ack/pushover/abc/critical");
    Outcome sent = transport.deliver(alert, 2, soon());
    assertEquals(Outcome.Kind.SENT, sent.kind(), sent.detail());
    return sent.handle().orElseThrow();
  }

  @Test
  void anEmergencyCarriesTheCallbackAndOnlyAnAcknowledgedReceiptIsConfirmed() throws Exception {
    String receipt = page();
    assertEquals("https://sink.example/ack/pushover/abc/critical",
        pushover.messages().get(0).get("callback"));
    assertEquals(Optional.empty(), transport.acknowledgement(receipt, soon()));

    clock.advance(Duration.ofSeconds(5));
    pushover.acknowledge(receipt, PushoverStandIn.USER_KEY, "pixel");
    Acknowledgement ack = transport.acknowledgement(receipt, soon()).orElseThrow();
    assertEquals("pixel", ack.device());
    assertEquals(clock.instant(), ack.at());
    assertEquals("pushover", ack.via());
    assertTrue(ack.by().matches("user [0-9a-f]{8}"), ack.by());
    assertFalse(ack.by().contains(PushoverStandIn.USER_KEY.substring(0, 8)));
  }

  @Test
  void aReceiptPolledWithinFiveSecondsIsRefusedAsPushoverDoes() throws Exception {
    String receipt = page();
    HttpClient client = HttpClient.newHttpClient();
    URI url = URI.create(pushover.baseUrl() + "/1/receipts/" + receipt + ".json?token="
        + PushoverStandIn.APP_TOKEN);
    assertEquals(200, client.send(HttpRequest.newBuilder(url).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode());
    clock.advance(Duration.ofSeconds(4));
    assertEquals(429, client.send(HttpRequest.newBuilder(url).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode());
    clock.advance(Duration.ofSeconds(5));
    HttpResponse<String> again = client.send(HttpRequest.newBuilder(url).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, again.statusCode());
    assertTrue(again.body().contains("\"acknowledged\":0"), again.body());
    assertEquals(404, client.send(HttpRequest.newBuilder(URI.create(pushover.baseUrl()
        + "/1/receipts/unknownReceipt.json?token=" + PushoverStandIn.APP_TOKEN)).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode());
    // The transport, polling too soon, gets no confirmation.
    pushover.acknowledge(receipt, PushoverStandIn.USER_KEY, "pixel");
    assertEquals(Optional.empty(), transport.acknowledgement(receipt, soon()));
    assertEquals(4, pushover.receipt(receipt).orElseThrow().polls());
  }

  @Test
  void aCancelByReceiptStopsTheRepeatsOfThatEmergencyOnly() {
    String first = page();
    String second = page();
    Outcome cancelled = transport.cancel(first, soon());
    assertEquals(Outcome.Kind.SENT, cancelled.kind(), cancelled.detail());
    assertTrue(pushover.receipt(first).orElseThrow().cancelled());
    assertFalse(pushover.receipt(second).orElseThrow().cancelled());
    assertEquals(Outcome.Kind.REJECTED, transport.cancel("not/a-receipt", soon()).kind());
  }

  @Test
  void noCallbackWithoutTheLabelNorOnAPageThatDoesNotRepeat() {
    transport.deliver(Alert.firing(Severity.CRITICAL, "cabal/imap", "IMAP down"), 2, soon());
    transport.deliver(Alert.firing(Severity.CRITICAL, "cabal/imap", "IMAP down")
        .withLabel(Labels.ACK_CALLBACK, "https://sink.example/ack/pushover/abc/critical"), 1,
        soon());
    assertFalse(pushover.messages().get(0).containsKey("callback"));
    assertFalse(pushover.messages().get(1).containsKey("callback"));
    assertFalse(pushover.messages().get(1).get("message").contains("sink.example"));
  }
}
