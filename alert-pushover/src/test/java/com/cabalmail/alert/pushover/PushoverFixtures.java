package com.cabalmail.alert.pushover;

import com.cabalmail.alert.spi.Settings;
import com.cabalmail.alert.testkit.PushoverStandIn;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pushover's documented answers and test credentials (the test kit's {@link PushoverStandIn}),
 * settings built as in production, and the form reader.
 */
final class PushoverFixtures {

  static final String TOKEN = PushoverStandIn.APP_TOKEN;
  static final String USER = PushoverStandIn.USER_KEY;
  static final String REQUEST_ID = PushoverStandIn.REQUEST_ID;
  static final String RECEIPT = PushoverStandIn.RECEIPT;

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
    return PushoverStandIn.json(status, body);
  }

  static ResponseDefinitionBuilder json(int status, String body, int remaining) {
    return PushoverStandIn.json(status, body, remaining);
  }

  static ResponseDefinitionBuilder accepted() {
    return PushoverStandIn.accepted();
  }

  static ResponseDefinitionBuilder accepted(int remaining) {
    return PushoverStandIn.accepted(remaining);
  }

  static ResponseDefinitionBuilder acceptedEmergency() {
    return PushoverStandIn.acceptedEmergency();
  }

  static ResponseDefinitionBuilder invalidToken() {
    return PushoverStandIn.invalidToken();
  }

  static ResponseDefinitionBuilder invalidUser() {
    return PushoverStandIn.invalidUser();
  }

  static ResponseDefinitionBuilder quotaUsedUp() {
    return PushoverStandIn.quotaUsedUp();
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
    return PushoverStandIn.secrets();
  }
}
