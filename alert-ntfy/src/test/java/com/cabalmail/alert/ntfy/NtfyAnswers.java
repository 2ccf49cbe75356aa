package com.cabalmail.alert.ntfy;

import com.cabalmail.alert.spi.Settings;
import com.cabalmail.alert.testkit.NtfyStandIn;
import com.cabalmail.http.HttpDelivery;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/**
 * ntfy's documented answers (v2.13.0, the test kit's {@link NtfyStandIn}) and a transport built
 * as in production.
 */
final class NtfyAnswers {

  static final String TOKEN = NtfyStandIn.TOKEN;
  static final String MESSAGE_ID = NtfyStandIn.MESSAGE_ID;

  private NtfyAnswers() {}

  static ResponseDefinitionBuilder stored() {
    return NtfyStandIn.stored();
  }

  static ResponseDefinitionBuilder error(int http, int code, String error) {
    return NtfyStandIn.error(http, code, error);
  }

  static ResponseDefinitionBuilder unauthorized() {
    return NtfyStandIn.unauthorized();
  }

  static ResponseDefinitionBuilder forbidden() {
    return NtfyStandIn.forbidden();
  }

  static ResponseDefinitionBuilder jsonTooLarge() {
    return NtfyStandIn.jsonTooLarge();
  }

  static ResponseDefinitionBuilder tooManyRequests() {
    return NtfyStandIn.tooManyRequests();
  }

  static ResponseDefinitionBuilder internalError() {
    return NtfyStandIn.internalError();
  }

  /** Settings with a base URL and a token, plus {@code more} (which may override them). */
  static Map<String, String> settings(URI baseUrl, String... more) {
    Map<String, String> values = new HashMap<>();
    values.put("NTFY_BASE_URL", baseUrl.toString());
    values.put("NTFY_TOKEN", TOKEN);
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
