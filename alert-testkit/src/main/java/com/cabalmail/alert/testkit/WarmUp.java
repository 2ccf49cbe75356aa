package com.cabalmail.alert.testkit;

import com.cabalmail.http.Deadline;
import com.cabalmail.http.DeliveryException;
import com.cabalmail.http.HttpDelivery;
import com.cabalmail.http.RetryPolicy;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;

/**
 * One exchange with a stand-in server before a class's tests: on a loaded machine a cold JVM's
 * first request can outlast an attempt timeout, and the first test would then see a retry it
 * did not cause.
 */
public final class WarmUp {

  private WarmUp() {}

  /**
   * Sends one GET to {@code baseUrl + "/warm-up"} with one attempt of up to 60 s; any answer
   * will do.
   *
   * @param baseUrl the stand-in's base URL, e.g. WireMock's {@code baseUrl()}
   * @throws DeliveryException when the stand-in cannot be reached at all
   */
  public static void exchangeOnce(String baseUrl) throws DeliveryException {
    HttpDelivery.shared().send("warm-up",
        HttpRequest.newBuilder(URI.create(baseUrl + "/warm-up")).GET(),
        RetryPolicy.standard().withMaxAttempts(1).withAttemptTimeout(Duration.ofSeconds(60)),
        Deadline.after(Duration.ofSeconds(60)));
  }
}
