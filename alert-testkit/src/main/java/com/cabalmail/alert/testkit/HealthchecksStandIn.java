package com.cabalmail.alert.testkit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;

/**
 * Healthchecks' ping answers, for a WireMock standing in for a ping endpoint: {@code text/plain}
 * bodies and a {@code Ping-Body-Limit} header on every answer, as a self-hosted Healthchecks
 * answers; the hosted service's "always 200" bodies for unknown and throttled checks.
 */
public final class HealthchecksStandIn {

  /** A check's ping path ({@code /ping/<uuid>}). */
  public static final String CHECK = "/ping/5f1c2b3a-8d4e-4f60-9a7b-0c1d2e3f4a5b";
  /** The body limit a self-hosted Healthchecks announces by default. */
  public static final int BODY_LIMIT = 10_000;

  private HealthchecksStandIn() {}

  /** 200 {@code OK}: the ping was recorded. */
  public static ResponseDefinitionBuilder ok() {
    return answer(200, "OK");
  }

  /** 404 {@code not found}: no check has that uuid, key or slug (self-hosted, slug URLs). */
  public static ResponseDefinitionBuilder notFound() {
    return answer(404, "not found");
  }

  /** 200 {@code OK (not found)}: the hosted service's answer for an unknown uuid. */
  public static ResponseDefinitionBuilder okNotFound() {
    return answer(200, "OK (not found)");
  }

  /** 200 {@code OK (rate limited)}: the hosted service's answer when it drops a ping. */
  public static ResponseDefinitionBuilder okRateLimited() {
    return answer(200, "OK (rate limited)");
  }

  /** A ping answer: {@code status} and plain {@code text}, the default body limit announced. */
  public static ResponseDefinitionBuilder answer(int status, String text) {
    return answer(status, text, BODY_LIMIT);
  }

  /** A ping answer announcing {@code bodyLimit} bytes as the kept part of a ping body. */
  public static ResponseDefinitionBuilder answer(int status, String text, int bodyLimit) {
    return aResponse().withStatus(status)
        .withHeader("Content-Type", "text/plain; charset=utf-8")
        .withHeader("Ping-Body-Limit", Integer.toString(bodyLimit))
        .withBody(text);
  }
}
