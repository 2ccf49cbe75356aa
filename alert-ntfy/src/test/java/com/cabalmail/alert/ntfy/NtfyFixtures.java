package com.cabalmail.alert.ntfy;

import com.cabalmail.alert.spi.Settings;
import com.cabalmail.alert.testkit.NtfyStandIn;
import com.cabalmail.http.HttpDelivery;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/**
 * What the ntfy tests add to the test kit's {@link NtfyStandIn}: settings built as in production
 * from the stand-in's token, and a transport from them.
 */
final class NtfyFixtures {

  private NtfyFixtures() {}

  /** Settings with a base URL and a token, plus {@code more} (which may override them). */
  static Map<String, String> settings(URI baseUrl, String... more) {
    Map<String, String> values = new HashMap<>();
    values.put("NTFY_BASE_URL", baseUrl.toString());
    values.put("NTFY_TOKEN", NtfyStandIn.TOKEN);
    for (int i = 0; i < more.length; i += 2) {
      if (more[i + 1] == null) {
        values.remove(more[i]);
      } else {
        values.put(more[i], more[i + 1]);
      }
    }
    return values;
  }

  /** A transport from {@code values}, failing the test on any settings problem. */
  static NtfyTransport transport(Map<String, String> values, HttpDelivery delivery) {
    Settings settings = Settings.of(values);
    NtfySettings ntfy = NtfySettings.read(settings);
    settings.requireValid();
    return new NtfyTransport(ntfy, delivery);
  }
}
