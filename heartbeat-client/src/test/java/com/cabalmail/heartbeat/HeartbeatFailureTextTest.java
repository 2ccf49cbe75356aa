package com.cabalmail.heartbeat;

import static com.cabalmail.alert.testkit.HealthchecksStandIn.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cabalmail.alert.testkit.StandInServer;
import com.cabalmail.alert.testkit.WarmUp;
import com.cabalmail.http.HttpDelivery;
import com.cabalmail.http.Ticker;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A failed job's text is scrubbed off the job's thread, and never costs it past the timeout. */
class HeartbeatFailureTextTest {

  static final String PATH = "/ping/5f1c2b3a-8d4e-4f60-9a7b-0c1d2e3f4a5b";

  @RegisterExtension
  static WireMockExtension server = StandInServer.onFreePort();

  @BeforeAll
  static void warmUp() throws Exception {
    WarmUp.exchangeOnce(server.baseUrl());
  }

  @BeforeEach
  void reset() {
    server.stubFor(any(anyUrl()).willReturn(ok()));
  }

  /** An exception whose text takes as long as the test says: a stand-in for a slow scrub. */
  static final class SlowText extends RuntimeException {
    final CountDownLatch release = new CountDownLatch(1);
    final CompletableFuture<Thread> readOn = new CompletableFuture<>();

    SlowText() {
      super("token=hunter22");
    }

    @Override
    public String getMessage() {
      readOn.complete(Thread.currentThread());
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return super.getMessage();
    }
  }

  @Test
  void aFailureSlowToScrubNeverHoldsTheJobPastTheTimeout() throws Exception {
    Duration timeout = Duration.ofMillis(500);
    Heartbeat heartbeat = Heartbeat.builder().timeout(timeout)
        .delivery(HttpDelivery.create(Ticker.system())).forUrl(server.baseUrl() + PATH);
    SlowText failure = new SlowText();
    Thread caller = new Thread(() -> {
      try {
        heartbeat.run((Runnable) () -> {
          throw failure;
        });
      } catch (SlowText expected) {
        // the job's own exception, rethrown
      }
    }, "the-job");
    caller.setDaemon(true);
    try {
      long began = System.nanoTime();
      caller.start();
      // Bound: the timeout plus 1.5 s of scheduling slack; before, the job waited for as long
      // as reading and scrubbing the text took (here: until released, i.e. forever).
      caller.join(timeout.plusMillis(1_500).toMillis());
      Duration took = Duration.ofNanos(System.nanoTime() - began);

      assertFalse(caller.isAlive(), "the job's thread still scrubbing after " + took);
      Thread reader = failure.readOn.get(5, TimeUnit.SECONDS);
      assertNotEquals(caller, reader, "the failure was read on the job's thread");
      assertEquals("cabal-heartbeat", reader.getName());
    } finally {
      failure.release.countDown();
    }
  }

  @Test
  void aHugeFailureIsScrubbedOnlyAsFarAsItsSentEnd() throws Exception {
    Heartbeat heartbeat = Heartbeat.builder().delivery(HttpDelivery.create(Ticker.system()))
        .forUrl(server.baseUrl() + PATH);
    String huge = "password=hunter22 " + "token-".repeat(2_000_000) + " last words";

    try {
      heartbeat.run((Runnable) () -> {
        throw new IllegalStateException(huge);
      });
    } catch (IllegalStateException expected) {
      // rethrown
    }

    String body = server.findAll(postRequestedFor(urlPathEqualTo(PATH + "/fail"))).get(0)
        .getBodyAsString();
    assertTrue(body.endsWith("token-token- last words"), body.substring(body.length() - 40));
    assertTrue(body.length() <= Heartbeat.DEFAULT_BODY_LIMIT, "sent " + body.length());
    Pinger pinger = new Pinger(PingTarget.parse(server.baseUrl() + PATH).target(),
        HttpDelivery.create(Ticker.system()), Duration.ofSeconds(5), 1_000);
    String scrubbed = pinger.failureBody(new IllegalStateException(huge));
    assertTrue(scrubbed.length() < 1_000 + Pinger.SCRUB_MARGIN_CHARS + 100,
        "scrubbed " + scrubbed.length() + " characters of " + huge.length());
    assertFalse(scrubbed.contains("hunter22"));
  }

}
