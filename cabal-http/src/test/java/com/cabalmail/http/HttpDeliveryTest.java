package com.cabalmail.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cabalmail.alert.testkit.ManualTicker;
import com.cabalmail.alert.testkit.StandInServer;
import com.cabalmail.alert.testkit.WarmUp;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class HttpDeliveryTest {

  /** The stand-in server: one per class, stubs and journal reset before each test. */
  @RegisterExtension
  static WireMockExtension server = StandInServer.onFreePort();
  final ManualTicker ticker = new ManualTicker();
  final HttpDelivery delivery = HttpDelivery.create(ticker);

  @BeforeAll
  static void warmUp() throws Exception {
    WarmUp.exchangeOnce(server.baseUrl());
  }

  HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
        .POST(HttpRequest.BodyPublishers.ofString("{}"));
  }

  Deadline deadline(Duration budget) {
    return Deadline.after(budget, ticker);
  }

  void answerInTurn(String path, ResponseDefinitionBuilder first, ResponseDefinitionBuilder then) {
    StandInServer.answerInTurn(server, () -> post(urlEqualTo(path)), first, then);
  }

  @Test
  void serviceUnavailableThenOkIsSentAfterOneRetry() throws Exception {
    answerInTurn("/a", aResponse().withStatus(503), aResponse().withStatus(200).withBody("ok"));

    Exchange answer = delivery.send("peer", request("/a"), RetryPolicy.standard(),
        deadline(Duration.ofSeconds(10)));

    assertEquals(200, answer.statusCode());
    assertEquals("ok", answer.bodyText());
    assertEquals(2, answer.attempts());
    assertEquals(1, ticker.sleeps().size(), "one backoff wait between the attempts");
    server.verify(exactly(2), postRequestedFor(urlEqualTo("/a")));
  }

  @Test
  void badRequestIsNotRetried() throws Exception {
    server.stubFor(post(urlEqualTo("/b")).willReturn(aResponse().withStatus(400).withBody("no")));

    Exchange answer = delivery.send("peer", request("/b"), RetryPolicy.standard(),
        deadline(Duration.ofSeconds(10)));

    assertEquals(400, answer.statusCode());
    assertEquals(1, answer.attempts());
    assertEquals(List.of(), ticker.sleeps());
    server.verify(exactly(1), postRequestedFor(urlEqualTo("/b")));
  }

  @Test
  void tooManyRequestsWithRetryAfterWaitsThatLongThenSucceeds() throws Exception {
    answerInTurn("/c", aResponse().withStatus(429).withHeader("Retry-After", "1"),
        aResponse().withStatus(200));

    Exchange answer = delivery.send("peer", request("/c"), RetryPolicy.standard(),
        deadline(Duration.ofSeconds(10)));

    assertEquals(200, answer.statusCode());
    assertEquals(List.of(Duration.ofSeconds(1)), ticker.sleeps());
  }

  @Test
  void retryAfterBeyondTheDeadlineIsNotWaitedFor() throws Exception {
    server.stubFor(post(urlEqualTo("/d"))
        .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "120")));

    Exchange answer = delivery.send("peer", request("/d"), RetryPolicy.standard(),
        deadline(Duration.ofSeconds(10)));

    assertEquals(429, answer.statusCode(), "the last answer is handed back for the caller to judge");
    assertEquals(1, answer.attempts());
    assertEquals(List.of(), ticker.sleeps());
  }

  @Test
  void connectionResetIsRetried() throws Exception {
    answerInTurn("/e", aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER),
        aResponse().withStatus(200));

    Exchange answer = delivery.send("peer", request("/e"), RetryPolicy.standard(),
        deadline(Duration.ofSeconds(10)));

    assertEquals(200, answer.statusCode());
    assertEquals(2, answer.attempts());
  }

  @Test
  void resetsUntilAttemptsRunOutThrowWithTheAttemptCount() {
    server.stubFor(post(urlEqualTo("/f"))
        .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

    DeliveryException e = assertThrows(DeliveryException.class,
        () -> delivery.send("peer", request("/f"), RetryPolicy.standard().withMaxAttempts(3),
            deadline(Duration.ofSeconds(10))));

    assertEquals(3, e.attempts());
    assertTrue(e.getMessage().startsWith("peer: "), e.getMessage());
    assertTrue(e.getMessage().endsWith("(3 attempts)"), e.getMessage());
  }

  @Test
  void aHungServerEndsAtTheDeadlineNotLater() {
    server.stubFor(post(urlEqualTo("/g")).willReturn(aResponse().withFixedDelay(5_000)));
    long started = System.nanoTime();

    DeliveryException e = assertThrows(DeliveryException.class,
        () -> delivery.send("peer", request("/g"), RetryPolicy.standard(),
            Deadline.after(Duration.ofMillis(400))));

    long tookMs = (System.nanoTime() - started) / 1_000_000;
    assertTrue(tookMs < 2_500, "took " + tookMs + " ms");
    assertTrue(e.getMessage().contains("timed out"), e.getMessage());
  }

  @Test
  void minimumRetryDelayIsAFloorUnderEveryWait() throws Exception {
    answerInTurn("/h", aResponse().withStatus(503), aResponse().withStatus(200));

    delivery.send("peer", request("/h"), RetryPolicy.standard().withMinRetryDelay(Duration.ofSeconds(5)),
        deadline(Duration.ofSeconds(10)));

    assertEquals(List.of(Duration.ofSeconds(5)), ticker.sleeps());
  }

  @Test
  void aRetryThatWouldNotFitInTheDeadlineIsNotAttempted() throws Exception {
    server.stubFor(post(urlEqualTo("/i")).willReturn(aResponse().withStatus(503)));

    Exchange answer = delivery.send("peer", request("/i"),
        RetryPolicy.standard().withMinRetryDelay(Duration.ofSeconds(5)),
        deadline(Duration.ofSeconds(3)));

    assertEquals(503, answer.statusCode());
    assertEquals(1, answer.attempts());
  }

  @Test
  void fiveHundredIsRetriedOnlyWhereThePolicySaysSo() throws Exception {
    server.stubFor(post(urlEqualTo("/j")).willReturn(aResponse().withStatus(500)));

    Exchange plain = delivery.send("peer", request("/j"), RetryPolicy.standard(),
        deadline(Duration.ofSeconds(10)));
    Exchange transient500 = delivery.send("peer", request("/j"),
        RetryPolicy.standard().alsoRetrying(500).withMaxAttempts(2),
        deadline(Duration.ofSeconds(10)));

    assertEquals(1, plain.attempts());
    assertEquals(2, transient500.attempts());
  }

  @Test
  void aFourHundredWhoseBodySaysThrottledIsRetriedByThePolicysPredicate() throws Exception {
    answerInTurn("/p", aResponse().withStatus(400).withBody("{\"__type\":\"ThrottlingException\"}"),
        aResponse().withStatus(200).withBody("{}"));
    RetryPolicy throttled = RetryPolicy.standard()
        .alsoRetrying(answer -> answer.bodyText().contains("ThrottlingException"));

    Exchange answer = delivery.send("peer", request("/p"), throttled,
        deadline(Duration.ofSeconds(10)));

    assertEquals(200, answer.statusCode());
    assertEquals(2, answer.attempts());
    server.verify(exactly(2), postRequestedFor(urlEqualTo("/p")));
  }

  @Test
  void aFourHundredThePredicateDoesNotAcceptIsAnsweredAtOnce() throws Exception {
    server.stubFor(post(urlEqualTo("/q"))
        .willReturn(aResponse().withStatus(400).withBody("{\"__type\":\"ValidationException\"}")));
    RetryPolicy throttled = RetryPolicy.standard()
        .alsoRetrying(answer -> answer.bodyText().contains("ThrottlingException"));

    Exchange answer = delivery.send("peer", request("/q"), throttled,
        deadline(Duration.ofSeconds(10)));

    assertEquals(400, answer.statusCode());
    assertEquals(1, answer.attempts());
  }

  @Test
  void notRetryingTakesAStatusOutOfThePredicateAndRetryingReplacesIt() throws Exception {
    server.stubFor(post(urlEqualTo("/r")).willReturn(aResponse().withStatus(503)));
    server.stubFor(post(urlEqualTo("/s")).willReturn(aResponse().withStatus(418)));
    RetryPolicy twice = RetryPolicy.standard().withMaxAttempts(2);

    Exchange not503 = delivery.send("peer", request("/r"), twice.notRetrying(503),
        deadline(Duration.ofSeconds(10)));
    Exchange only418 = delivery.send("peer", request("/s"),
        twice.retrying(RetryPolicy.statusIn(418)), deadline(Duration.ofSeconds(10)));
    Exchange still503 = delivery.send("peer", request("/r"),
        twice.retrying(RetryPolicy.statusIn(418)), deadline(Duration.ofSeconds(10)));

    assertEquals(1, not503.attempts());
    assertEquals(2, only418.attempts());
    assertEquals(1, still503.attempts());
  }

  @Test
  void responseBodiesAreCapped() throws Exception {
    server.stubFor(post(urlEqualTo("/k"))
        .willReturn(aResponse().withStatus(200).withBody("x".repeat(100_000))));
    HttpDelivery small = HttpDelivery.create(HttpDelivery.newClient(), ticker, 1_000);

    Exchange answer = small.send("peer", request("/k"), RetryPolicy.standard(),
        deadline(Duration.ofSeconds(10)));

    assertEquals(1_000, answer.body().length);
    assertTrue(answer.bodyTruncated());
  }

  @Test
  void connectionRefusedIsReportedInPlainWords() {
    HttpRequest.Builder nowhere = HttpRequest.newBuilder(URI.create("http://127.0.0.1:9/x"))
        .POST(HttpRequest.BodyPublishers.noBody());

    DeliveryException e = assertThrows(DeliveryException.class,
        () -> delivery.send("peer", nowhere, RetryPolicy.standard().withMaxAttempts(2),
            deadline(Duration.ofSeconds(10))));

    assertEquals("peer: connection refused or unreachable (2 attempts)", e.getMessage());
  }

  @Test
  void hostThatDoesNotResolveIsNamedNotCalledRefused() {
    // .invalid never resolves (RFC 6761).
    HttpRequest.Builder typo = HttpRequest.newBuilder(URI.create("https://api.pushover.invalid/1"))
        .POST(HttpRequest.BodyPublishers.noBody());

    DeliveryException e = assertThrows(DeliveryException.class,
        () -> delivery.send("pushover", typo, RetryPolicy.standard().withMaxAttempts(1),
            deadline(Duration.ofSeconds(10))));

    assertEquals("pushover: host 'api.pushover.invalid' does not resolve (no DNS record: check"
        + " the URL setting) (1 attempt)", e.getMessage());
  }

  @Test
  void retryAfterAcceptsSecondsAndHttpDates() {
    Instant now = Instant.parse("2026-12-02T02:00:00Z");
    assertEquals(Duration.ofSeconds(7), HttpDelivery.parseRetryAfter(" 7 ", now));
    assertEquals(Duration.ZERO,
        HttpDelivery.parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", now));
    assertEquals(null, HttpDelivery.parseRetryAfter("soon", now));
  }

  @Test
  void retryAfterDateIsReadAgainstTheInjectedTickerNotTheWallClock() throws Exception {
    // A date years away from the wall clock: only the ticker's own time makes it 3 s away.
    Instant virtualNow = Instant.parse("2031-03-04T05:06:07Z");
    Ticker clocked = new Ticker() {
      @Override
      public long nanoTime() {
        return ticker.nanoTime();
      }

      @Override
      public Instant now() {
        return virtualNow;
      }

      @Override
      public void sleep(Duration duration) {
        ticker.sleep(duration);
      }
    };
    answerInTurn("/date", aResponse().withStatus(503)
            .withHeader("Retry-After", "Tue, 4 Mar 2031 05:06:10 GMT"),
        aResponse().withStatus(200));

    Exchange answer = HttpDelivery.create(clocked).send("peer", request("/date"),
        RetryPolicy.standard(), Deadline.after(Duration.ofSeconds(10), clocked));

    assertEquals(200, answer.statusCode());
    assertEquals(List.of(Duration.ofSeconds(3)), ticker.sleeps());
  }
}
