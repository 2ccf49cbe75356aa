package com.cabalmail.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cabalmail.alert.Alert;
import com.cabalmail.alert.AlertRouter;
import com.cabalmail.alert.Outcome;
import com.cabalmail.alert.PageStormGuard;
import com.cabalmail.alert.Severity;
import com.cabalmail.alert.decode.AlertBatch;
import com.cabalmail.alert.decode.WebhookFormat;
import com.cabalmail.alert.ledger.Claim;
import com.cabalmail.alert.ledger.DeliveryLedger;
import com.cabalmail.alert.ledger.LedgerEntry;
import com.cabalmail.alert.ledger.LedgerException;
import com.cabalmail.alert.ledger.LedgerKey;
import com.cabalmail.alert.ledger.LedgerPolicy;
import com.cabalmail.alert.spi.Transport;
import com.cabalmail.alert.testkit.UnreachableLedger;
import com.cabalmail.alert.testkit.TestClock;
import com.cabalmail.http.Deadline;
import com.cabalmail.http.Secret;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The sink's answer per case, with a delivery ledger and without, on an injected wall clock:
 * a retry is invited (503) exactly when it helps, and the retry sends only what is missing.
 */
class SinkAnswersWithLedgerTest {

  final TestClock clock = TestClock.atTen();
  final List<String> pushoverCalls = new CopyOnWriteArrayList<>();
  final List<String> ntfyCalls = new CopyOnWriteArrayList<>();
  final AtomicReference<Outcome> pushoverAnswer = new AtomicReference<>(sent("p-1"));
  final AtomicReference<Outcome> ntfyAnswer = new AtomicReference<>(sent("n-1"));
  final AtomicReference<List<Alert>> alerts =
      new AtomicReference<>(List.of(SinkTest.critical("disk full")));

  static Outcome sent(String id) {
    return Outcome.sent(id, "queued", 1);
  }

  Transport recording(List<String> calls, AtomicReference<Outcome> answer) {
    return (alert, priority, deadline) -> {
      calls.add(alert.status().wireName() + " " + alert.source());
      return answer.get();
    };
  }

  Sink sink(DeliveryLedger ledger, PageStormGuard guard) {
    AlertRouter router = AlertRouter.builder().routes(SinkTest.table())
        .transport("pushover", recording(pushoverCalls, pushoverAnswer))
        .transport("ntfy", recording(ntfyCalls, ntfyAnswer))
        .transportTimeout(Duration.ofSeconds(2)).deadline(Duration.ofSeconds(3))
        .ledger(ledger).clock(clock).pageStorm(guard).build();
    Sink.BodyDecoder decoder = (body, type, format) ->
        new AlertBatch(WebhookFormat.DIRECT, alerts.get(), 0);
    return new Sink(new SecretCheck(Secret.of(SinkTest.SECRET), Optional.empty()), decoder,
        router, 1024);
  }

  Sink ledgered() {
    return sink(DeliveryLedger.inMemory(), PageStormGuard.off());
  }

  static SinkResponse post(Sink sink) {
    return sink.handle(SinkTest.authorised("/", "{}"));
  }

  @Test
  void everythingDeliveredIs204AndTheDuplicateIs200NamingTheEarlierDeliveryWithoutSending() {
    Sink sink = ledgered();
    SinkResponse first = post(sink);
    assertEquals(204, first.status(), SinkTest.body(first));
    clock.advance(Duration.ofSeconds(30));

    SinkResponse duplicate = post(sink);
    assertEquals(200, duplicate.status(), "a duplicate POST is answered as delivered");
    String json = SinkTest.body(duplicate);
    assertTrue(json.contains("\"suppressed\":[{\"fingerprint\":"), json);
    assertTrue(json.contains("\"transport\":\"pushover\",\"earlier\":\"not sent again: already"
        + " delivered at "), json);
    assertEquals(1, pushoverCalls.size(), "a duplicate POST pages once");
    assertEquals(1, ntfyCalls.size());
  }

  @Test
  void aTransientFailureIs503AndTheRetrySendsOnlyTheFailedTransport() {
    Sink sink = ledgered();
    ntfyAnswer.set(Outcome.failed("ntfy: HTTP 503, gave up after 3 attempts", 3));

    SinkResponse first = post(sink);
    assertEquals(503, first.status(), "Alertmanager and Healthchecks retry a 5xx");
    String json = SinkTest.body(first);
    assertTrue(json.contains("\"retry\":true"), json);
    assertTrue(json.contains("\"errors\":{\"ntfy\":\"ntfy: HTTP 503, gave up after 3 attempts\"}"),
        json);
    assertTrue(json.contains("\"transport\":\"pushover\",\"priority\":1,\"outcome\":\"sent\""),
        json);

    ntfyAnswer.set(sent("n-2"));
    clock.advance(Duration.ofSeconds(1));
    assertEquals(200, post(sink).status(), "sent, and the page held back as a repeat");
    assertEquals(1, pushoverCalls.size(), "the page is not sent again on the retry");
    assertEquals(2, ntfyCalls.size());
  }

  @Test
  void aPermanentRejectionIs200WithTheReportAndIsNotResentOnARepeat() {
    Sink sink = ledgered();
    pushoverAnswer.set(Outcome.rejected("Pushover rejected the message (400): user key is"
        + " invalid", 1));

    SinkResponse first = post(sink);
    assertEquals(200, first.status(), "a 2xx every caller accepts: no pointless retry");
    String json = SinkTest.body(first);
    assertTrue(json.contains("\"retry\":false"), json);
    assertTrue(json.contains("\"outcome\":\"rejected\""), json);

    assertEquals(200, post(sink).status());
    assertEquals(1, pushoverCalls.size(), "a rejected message is never resent within the hold");
  }

  @Test
  void aRepeatAfterTheWindowIsAReminder() {
    Sink sink = ledgered();
    post(sink);
    clock.advance(LedgerPolicy.DEFAULT_REPEAT_WINDOW);

    assertEquals(204, post(sink).status());
    assertEquals(2, pushoverCalls.size());
  }

  @Test
  void aClaimHeldByAConcurrentRequestIs503UntilItsLeaseLapses() {
    DeliveryLedger ledger = DeliveryLedger.inMemory();
    Alert alert = alerts.get().get(0).withFingerprint("kuma:7");
    alerts.set(List.of(alert));
    Instant now = clock.instant();
    ledger.claim(LedgerEntry.claim(LedgerKey.of(alert, "pushover"), "other", now,
        now.plus(LedgerPolicy.DEFAULT_LEASE)), now, Deadline.after(Duration.ofSeconds(1)));
    Sink sink = sink(ledger, PageStormGuard.off());

    assertEquals(503, post(sink).status());
    assertEquals(0, pushoverCalls.size());
    clock.advance(LedgerPolicy.DEFAULT_LEASE);
    assertEquals(200, post(sink).status(), "the page sent; ntfy held back as a repeat");
    assertEquals(1, pushoverCalls.size());
  }

  @Test
  void anUnavailableLedgerStillDeliversAndIs200SayingSo() {
    DeliveryLedger down = new UnreachableLedger("dynamodb: connection refused");
    SinkResponse response = post(sink(down, PageStormGuard.off()));

    assertEquals(200, response.status());
    String json = SinkTest.body(response);
    assertTrue(json.contains("\"ledger\":\"unavailable\""), json);
    assertTrue(json.contains("ledger unavailable (dynamodb: connection refused)"), json);
    assertEquals(1, pushoverCalls.size());
    assertEquals(1, ntfyCalls.size());
  }

  @Test
  void aFoldedStormIs200NamingTheFoldedAlerts() {
    alerts.set(List.of(SinkTest.critical("a").withFingerprint("aaaa"),
        SinkTest.critical("b").withFingerprint("bbbb"),
        SinkTest.critical("c").withFingerprint("cccc")));
    SinkResponse response = post(sink(DeliveryLedger.inMemory(),
        new PageStormGuard("pushover", 2)));

    assertEquals(200, response.status());
    String json = SinkTest.body(response);
    assertTrue(json.contains("\"folded\":[\"aaaa\",\"bbbb\",\"cccc\"]"), json);
    assertEquals(List.of("firing page storm: 3 alerts"), pushoverCalls);
    assertEquals(3, ntfyCalls.size());
  }

  @Test
  void withoutALedgerTheAnswersAreThePythonSinks() {
    Sink sink = sink(null, PageStormGuard.off());
    assertEquals(204, post(sink).status());
    assertEquals(204, post(sink).status());
    assertEquals(2, pushoverCalls.size(), "without a ledger a duplicate pages again");

    ntfyAnswer.set(Outcome.failed("ntfy down", 3));
    SinkResponse some = post(sink);
    assertEquals(207, some.status());
    assertFalse(SinkTest.body(some).contains("\"retry\""), SinkTest.body(some));
    pushoverAnswer.set(Outcome.failed("pushover down", 3));
    assertEquals(502, post(sink).status());
    pushoverAnswer.set(Outcome.rejected("user key is invalid", 1));
    ntfyAnswer.set(sent("n"));
    assertEquals(207, post(sink).status());
  }

  @Test
  void anInfoAlertRoutedNowhereIs204WithALedgerToo() {
    alerts.set(List.of(Alert.firing(Severity.INFO, "cert/expiry", "20 days left")));
    assertEquals(204, post(ledgered()).status());
  }
}
