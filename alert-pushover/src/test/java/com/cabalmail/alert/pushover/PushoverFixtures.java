package com.cabalmail.alert.pushover;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

import com.cabalmail.alert.spi.Settings;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Pushover's documented answers and the test credentials (the API page's own examples). */
final class PushoverFixtures {

  static final String TOKEN = "azGDORePK8gMaC0QOYAMyEEuzJnyUi";
  static final String USER = "uQiRzpo4DXghDmr9QzzfQu27cmVRsG";
  static final String REQUEST_ID = "5042853c-402d-4a18-abcb-168734a801de";
  static final String RECEIPT = "rLqVuqTRh62UzxtmqiaLzQmVcPgiCy";

  private PushoverFixtures() {}

  /** Settings for a transport against {@code baseUrl}, plus {@code extra}. */
  static PushoverSettings settings(URI baseUrl, Map<String, String> extra) {
    Map<String, String> values = new HashMap<>(extra);
    values.put(PushoverProvider.APP_TOKEN, TOKEN);
    values.put(PushoverProvider.USER_KEY, USER);
    values.put(PushoverProvider.API_URL, baseUrl.toString());
    Settings settings = Settings.of(values);
    PushoverSettings read = PushoverSettings.read(settings);
    settings.requireValid();
    return read;
  }

  static ResponseDefinitionBuilder json(int status, String body) {
    return json(status, body, 7496);
  }

  /** Pushover's answer, {@code remaining} of the 10,000 monthly messages left. */
  static ResponseDefinitionBuilder json(int status, String body, int remaining) {
    return aResponse().withStatus(status)
        .withHeader("Content-Type", "application/json; charset=utf-8")
        .withHeader("X-Limit-App-Limit", "10000")
        .withHeader("X-Limit-App-Remaining", Integer.toString(remaining))
        .withHeader("X-Limit-App-Reset", "1793516400")
        .withBody(body);
  }

  static ResponseDefinitionBuilder accepted() {
    return accepted(7496);
  }

  static ResponseDefinitionBuilder accepted(int remaining) {
    return json(200, "{\"status\":1,\"request\":\"" + REQUEST_ID + "\"}", remaining);
  }

  static ResponseDefinitionBuilder acceptedEmergency() {
    return json(200, "{\"status\":1,\"request\":\"" + REQUEST_ID + "\",\"receipt\":\""
        + RECEIPT + "\"}");
  }

  static ResponseDefinitionBuilder invalidToken() {
    return json(400, "{\"token\":\"invalid\",\"errors\":[\"application token is invalid, see"
        + " https://pushover.net/api\"],\"status\":0,\"request\":\"" + REQUEST_ID + "\"}");
  }

  static ResponseDefinitionBuilder invalidUser() {
    return json(400, "{\"user\":\"invalid\",\"errors\":[\"user identifier is not a valid user,"
        + " group, or subscribed user key, see https://pushover.net/api#identifiers\"],"
        + "\"status\":0,\"request\":\"" + REQUEST_ID + "\"}");
  }

  static ResponseDefinitionBuilder quotaUsedUp() {
    return json(429, "{\"errors\":[\"application " + TOKEN + " has exceeded its monthly"
        + " message limit\"],\"status\":0,\"request\":\"" + REQUEST_ID + "\"}", 0);
  }

  /** A form body decoded: each field once, in order. */
  static Map<String, String> form(String body) {
    Map<String, String> fields = new LinkedHashMap<>();
    if (body.isEmpty()) {
      return fields;
    }
    for (String pair : body.split("&", -1)) {
      int equals = pair.indexOf('=');
      String name = URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8);
      String value = URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
      if (fields.put(name, value) != null) {
        throw new AssertionError("field " + name + " sent twice in " + body);
      }
    }
    return fields;
  }

  static List<String> secrets() {
    return List.of(TOKEN, USER);
  }
}
