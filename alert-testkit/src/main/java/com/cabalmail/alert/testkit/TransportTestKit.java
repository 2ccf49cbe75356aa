package com.cabalmail.alert.testkit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cabalmail.alert.Alert;
import com.cabalmail.alert.Outcome;
import com.cabalmail.alert.Severity;
import com.cabalmail.alert.spi.Transport;
import com.cabalmail.http.Deadline;
import com.cabalmail.http.DeliveryException;
import com.cabalmail.http.HttpDelivery;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The behaviour every transport shares, run against each one over real HTTP: a WireMock server
 * stands in for the provider. A transport module extends this class, says how to build its
 * transport against a base URL, which request it sends and what the provider's success answer
 * is, and adds its own provider-specific tests beside. The answers of the providers this
 * project knows are in {@link PushoverStandIn} and {@link NtfyStandIn}.
 *
 * <p>Every test reads the log lines through {@link CapturedLogs}, which fails unless it is the
 * active SLF4J backend: the kit's "no secret in outcomes or logs" test cannot pass by seeing
 * no logs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class TransportTestKit {

  /** The stand-in provider on a free loopback port, stubs and requests reset before each test. */
  @RegisterExtension
  protected final WireMockExtension server = StandInServer.onFreePort();
  /** Virtual waits: retry tests never sleep. */
  protected ManualTicker ticker;

  /** For subclasses. */
  protected TransportTestKit() {}

  /** The transport under test, sending to {@code baseUrl} through {@code delivery}. */
  protected abstract Transport transport(URI baseUrl, HttpDelivery delivery);

  /** Matches the request a delivery sends (method and path). */
  protected abstract MappingBuilder deliveryRequest();

  /** The provider's documented success answer. */
  protected abstract ResponseDefinitionBuilder successAnswer();

  /** A priority valid for this transport. */
  protected abstract int priority();

  /** The credentials the transport was built with: none may appear in outcomes or logs. */
  protected abstract List<String> secrets();

  /**
   * Whether the provider's success answer has a format the transport checks (JSON with an id,
   * say). A transport that takes any 2xx as success returns false, and the garbage-body test
   * is skipped for it.
   */
  protected boolean checksSuccessBodies() {
    return true;
  }

  /** One exchange before the tests, so that a cold JVM's slow first request is no test's retry. */
  @BeforeAll
  void warmUpProvider() throws DeliveryException {
    WarmUp.exchangeOnce(server.baseUrl());
  }

  @BeforeEach
  void resetProvider() {
    server.resetAll();
    ticker = new ManualTicker();
    CapturedLogs.clear();
  }

  /** Delivers {@code alert} through a fresh transport with {@code budget} to do it. */
  protected Outcome deliver(Alert alert, Duration budget) {
    Transport transport = transport(URI.create(server.baseUrl()), HttpDelivery.create(ticker));
    return transport.deliver(alert, priority(), Deadline.after(budget, ticker));
  }

  /** A plain critical alert. */
  protected static Alert sampleAlert() {
    return Alert.firing(Severity.CRITICAL, "kit/source", "the kit's summary");
  }

  /** Stubs the delivery request to answer {@code first}, then {@code then} ever after. */
  protected void answerInTurn(ResponseDefinitionBuilder first, ResponseDefinitionBuilder then) {
    StandInServer.answerInTurn(server, this::deliveryRequest, first, then);
  }

  @Test
  void kit_successAnswerIsSentInOneAttempt() {
    server.stubFor(deliveryRequest().willReturn(successAnswer()));

    Outcome outcome = deliver(sampleAlert(), Duration.ofSeconds(20));

    assertEquals(Outcome.Kind.SENT, outcome.kind(), outcome.detail());
    assertEquals(1, outcome.attempts());
  }

  @Test
  void kit_serviceUnavailableThenSuccessIsSentAfterARetry() {
    answerInTurn(aResponse().withStatus(503), successAnswer());

    Outcome outcome = deliver(sampleAlert(), Duration.ofSeconds(20));

    assertEquals(Outcome.Kind.SENT, outcome.kind(), outcome.detail());
    assertEquals(2, outcome.attempts());
  }

  @Test
  void kit_connectionResetThenSuccessIsSent() {
    answerInTurn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER), successAnswer());

    Outcome outcome = deliver(sampleAlert(), Duration.ofSeconds(20));

    assertEquals(Outcome.Kind.SENT, outcome.kind(), outcome.detail());
    assertEquals(2, outcome.attempts());
  }

  @Test
  void kit_resetsEveryTimeEndAsFailedAfterRetries() {
    server.stubFor(deliveryRequest().willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

    Outcome outcome = deliver(sampleAlert(), Duration.ofSeconds(60));

    assertEquals(Outcome.Kind.FAILED, outcome.kind(), outcome.detail());
    assertTrue(outcome.attempts() >= 2, "retried: " + outcome);
  }

  @Test
  void kit_emptyResponseEndsAsFailed() {
    server.stubFor(deliveryRequest().willReturn(aResponse().withFault(Fault.EMPTY_RESPONSE)));

    Outcome outcome = deliver(sampleAlert(), Duration.ofSeconds(60));

    assertEquals(Outcome.Kind.FAILED, outcome.kind(), outcome.detail());
  }

  @Test
  void kit_hungProviderFailsAtTheDeadline() {
    server.stubFor(deliveryRequest().willReturn(successAnswer().withFixedDelay(10_000)));
    long started = System.nanoTime();

    Outcome outcome = deliver(sampleAlert(), Duration.ofMillis(1_500));

    long tookMs = (System.nanoTime() - started) / 1_000_000;
    assertEquals(Outcome.Kind.FAILED, outcome.kind(), outcome.detail());
    assertTrue(tookMs < 5_000, "a 1.5 s budget took " + tookMs + " ms");
  }

  @Test
  void kit_successStatusWithGarbageBodyIsFailedNotThrown() {
    Assumptions.assumeTrue(checksSuccessBodies(), "this transport takes any 2xx as success");
    server.stubFor(deliveryRequest().willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "text/html").withBody("<html>proxy login</html>")));

    Outcome outcome = deliver(sampleAlert(), Duration.ofSeconds(20));

    assertEquals(Outcome.Kind.FAILED, outcome.kind(), outcome.detail());
    assertFalse(outcome.detail().isBlank());
  }

  @Test
  void kit_unicodeAndControlCharactersAreDelivered() {
    server.stubFor(deliveryRequest().willReturn(successAnswer()));
    Alert alert = Alert.firing(Severity.CRITICAL, "kuma/Zürich ✓ 東京 שלום",
        "déjà vu 🚨\u0000\u0007 e\u0301 \uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67 مرحبا");

    Outcome outcome = deliver(alert, Duration.ofSeconds(20));

    assertEquals(Outcome.Kind.SENT, outcome.kind(), outcome.detail());
  }

  @Test
  void kit_noSecretInOutcomesOrLogs() {
    server.stubFor(deliveryRequest().willReturn(aResponse().withStatus(500).withBody("oops")));
    Outcome failed = deliver(sampleAlert(), Duration.ofSeconds(20));
    server.stubFor(deliveryRequest().willReturn(successAnswer()));
    Outcome sent = deliver(sampleAlert(), Duration.ofSeconds(20));

    String everything = failed + "\n" + sent + "\n" + CapturedLogs.text();
    for (String secret : secrets()) {
      assertFalse(everything.contains(secret), "a secret leaked: " + everything);
    }
  }
}
