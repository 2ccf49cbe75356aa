package com.cabalmail.alert.pushover;

import com.cabalmail.alert.spi.Settings;
import com.cabalmail.alert.testkit.PushoverStandIn;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/**
 * What the Pushover tests add to the test kit's {@link PushoverStandIn}: settings built as in
 * production from the stand-in's credentials.
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
}
