package com.cabalmail.alert.testkit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import java.util.List;

/**
 * Pushover's documented answers (Messages API, {@code https://pushover.net/api}), for a WireMock
 * standing in for {@code api.pushover.net}: JSON with {@code status} and {@code request}, the
 * application's monthly quota in {@code X-Limit-App-*} headers, errors as a list of sentences.
 * The credentials are the API page's own examples.
 */
public final class PushoverStandIn {

  /** An application token in Pushover's format (the API page's example). */
  public static final String APP_TOKEN = "azGDORePK8gMaC0QOYAMyEEuzJnyUi";
  /** A user key in Pushover's format (the API page's example). */
  public static final String USER_KEY = "uQiRzpo4DXghDmr9QzzfQu27cmVRsG";
  /** The request id every answer carries. */
  public static final String REQUEST_ID = "5042853c-402d-4a18-abcb-168734a801de";
  /** The receipt of an accepted emergency-priority message. */
  public static final String RECEIPT = "rLqVuqTRh62UzxtmqiaLzQmVcPgiCy";
  /** Messages left of the monthly quota in answers that do not say otherwise. */
  public static final int REMAINING = 7496;

  private PushoverStandIn() {}

  /** Both credentials: what must never appear in an outcome or a log line. */
  public static List<String> secrets() {
    return List.of(APP_TOKEN, USER_KEY);
  }

  /** A Pushover answer: {@code status} and JSON {@code body}, {@link #REMAINING} messages left. */
  public static ResponseDefinitionBuilder json(int status, String body) {
    return json(status, body, REMAINING);
  }

  /** A Pushover answer: {@code status} and JSON {@code body}, {@code remaining} messages left. */
  public static ResponseDefinitionBuilder json(int status, String body, int remaining) {
    return aResponse().withStatus(status)
        .withHeader("Content-Type", "application/json; charset=utf-8")
        .withHeader("X-Limit-App-Limit", "10000")
        .withHeader("X-Limit-App-Remaining", Integer.toString(remaining))
        .withHeader("X-Limit-App-Reset", "1793516400")
        .withBody(body);
  }

  /** 200 {@code {"status":1,"request":…}}: the message was accepted. */
  public static ResponseDefinitionBuilder accepted() {
    return accepted(REMAINING);
  }

  /** 200, accepted, with {@code remaining} messages left this month. */
  public static ResponseDefinitionBuilder accepted(int remaining) {
    return json(200, "{\"status\":1,\"request\":\"" + REQUEST_ID + "\"}", remaining);
  }

  /** 200 with a {@code receipt}: an emergency-priority message was accepted. */
  public static ResponseDefinitionBuilder acceptedEmergency() {
    return json(200, "{\"status\":1,\"request\":\"" + REQUEST_ID + "\",\"receipt\":\""
        + RECEIPT + "\"}");
  }

  /** 200 {@code {"status":1,…}}: emergencies with the tag were cancelled ({@code cancel_by_tag}). */
  public static ResponseDefinitionBuilder cancelled() {
    return json(200, "{\"status\":1,\"request\":\"" + REQUEST_ID + "\"}");
  }

  /** 400: the application token is invalid. */
  public static ResponseDefinitionBuilder invalidToken() {
    return json(400, "{\"token\":\"invalid\",\"errors\":[\"application token is invalid, see"
        + " https://pushover.net/api\"],\"status\":0,\"request\":\"" + REQUEST_ID + "\"}");
  }

  /** 400: the user key is invalid. */
  public static ResponseDefinitionBuilder invalidUser() {
    return json(400, "{\"user\":\"invalid\",\"errors\":[\"user identifier is not a valid user,"
        + " group, or subscribed user key, see https://pushover.net/api#identifiers\"],"
        + "\"status\":0,\"request\":\"" + REQUEST_ID + "\"}");
  }

  /** 429: the application's monthly quota is used up (Pushover names the token in the text). */
  public static ResponseDefinitionBuilder quotaUsedUp() {
    return json(429, "{\"errors\":[\"application " + APP_TOKEN + " has exceeded its monthly"
        + " message limit\"],\"status\":0,\"request\":\"" + REQUEST_ID + "\"}", 0);
  }
}
