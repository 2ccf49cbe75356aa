package com.cabalmail.alert.pushover;

import com.cabalmail.alert.spi.Settings;
import com.cabalmail.alert.testkit.PushoverStandIn;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the Pushover tests add to the test kit's {@link PushoverStandIn}: settings built as in
 * production from the stand-in's credentials, and the form reader.
 */
final class PushoverFixtures {

  private PushoverFixtures() {}

  /** Settings for a transport against {@code baseUrl}, plus {@code extra}. */
  static PushoverSettings settings(URI baseUrl, Map<String, String> extra) {
    Map<String, String> values = new HashMap<>(extra);
    values.put(PushoverProvider.APP_TOKEN, PushoverStandIn.APP_TOKEN);
    values.put(PushoverProvider.USER_KEY, PushoverStandIn.USER_KEY);
    values.put(PushoverProvider.API_URL, baseUrl.toString());
    Settings settings = Settings.of(values);
    PushoverSettings read = PushoverSettings.read(settings);
    settings.requireValid();
    return read;
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
}
