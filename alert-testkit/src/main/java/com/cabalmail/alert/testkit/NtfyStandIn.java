package com.cabalmail.alert.testkit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;

/**
 * ntfy's documented answers (server v2.13.0), for a WireMock standing in for an ntfy server: the
 * stored message as JSON on a publish, and {@code {"code":…,"http":…,"error":…,"link":…}} on an
 * error. ntfy sends no {@code Retry-After}, not even with a 429.
 */
public final class NtfyStandIn {

  /** An access token in ntfy's format. */
  public static final String TOKEN = "tk_AgQdq7mVBoFD37zQVN29RhuMzNIz2";
  /** The id of the stored message in {@link #stored()}. */
  public static final String MESSAGE_ID = "sPs71M8A2T3n";

  private NtfyStandIn() {}

  /** 200 with the stored message, as ntfy answers a publish. */
  public static ResponseDefinitionBuilder stored() {
    return aResponse().withStatus(200).withHeader("Content-Type", "application/json")
        .withBody("{\"id\":\"" + MESSAGE_ID + "\",\"time\":1795420800,\"expires\":1795464000,"
            + "\"event\":\"message\",\"topic\":\"alerts\",\"title\":\"[CRITICAL] kit/source\","
            + "\"message\":\"the kit's summary\",\"priority\":5,\"tags\":[\"rotating_light\"]}\n");
  }

  /** ntfy's error answer: HTTP {@code http}, ntfy's own {@code code} and {@code error} text. */
  public static ResponseDefinitionBuilder error(int http, int code, String error) {
    return aResponse().withStatus(http).withHeader("Content-Type", "application/json")
        .withBody("{\"code\":" + code + ",\"http\":" + http + ",\"error\":\"" + error
            + "\",\"link\":\"https://ntfy.sh/docs/publish/\"}\n");
  }

  /** 401 / 40101: no or a wrong token. */
  public static ResponseDefinitionBuilder unauthorized() {
    return error(401, 40101, "unauthorized");
  }

  /** 403 / 40301: the token may not publish to the topic. */
  public static ResponseDefinitionBuilder forbidden() {
    return error(403, 40301, "forbidden");
  }

  /** 413 / 41303: the JSON body is too large. */
  public static ResponseDefinitionBuilder jsonTooLarge() {
    return error(413, 41303, "JSON body too large");
  }

  /** 429 / 42901: the visitor's request burst is spent. */
  public static ResponseDefinitionBuilder tooManyRequests() {
    return error(429, 42901, "limit reached: too many requests");
  }

  /** 500 / 50001: the server failed. */
  public static ResponseDefinitionBuilder internalError() {
    return error(500, 50001, "internal server error");
  }
}
