package com.cabalmail.alert.ntfy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

import com.cabalmail.alert.spi.Settings;
import com.cabalmail.http.HttpDelivery;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/** ntfy's documented answers (v2.13.0) and a transport built as in production. */
final class NtfyAnswers {

  static final String TOKEN = "tk_AgQdq7mVBoFD37zQVN29RhuMzNIz2";
  static final String MESSAGE_ID = "sPs71M8A2T3n";

  private NtfyAnswers() {}

  /** 200 with the stored message, as ntfy answers a publish. */
  static ResponseDefinitionBuilder stored() {
    return aResponse().withStatus(200).withHeader("Content-Type", "application/json")
        .withBody("{\"id\":\"" + MESSAGE_ID + "\",\"time\":1795420800,\"expires\":1795464000,"
            + "\"event\":\"message\",\"topic\":\"alerts\",\"title\":\"[CRITICAL] kit/source\","
            + "\"message\":\"the kit's summary\",\"priority\":5,\"tags\":[\"rotating_light\"]}\n");
  }

  /** ntfy's error answer: {@code {"code":…,"http":…,"error":…,"link":…}}. */
  static ResponseDefinitionBuilder error(int http, int code, String error) {
    return aResponse().withStatus(http).withHeader("Content-Type", "application/json")
        .withBody("{\"code\":" + code + ",\"http\":" + http + ",\"error\":\"" + error
            + "\",\"link\":\"https://ntfy.sh/docs/publish/\"}\n");
  }

  static ResponseDefinitionBuilder unauthorized() {
    return error(401, 40101, "unauthorized");
  }

  static ResponseDefinitionBuilder forbidden() {
    return error(403, 40301, "forbidden");
  }

  static ResponseDefinitionBuilder jsonTooLarge() {
    return error(413, 41303, "JSON body too large");
  }

  static ResponseDefinitionBuilder tooManyRequests() {
    return error(429, 42901, "limit reached: too many requests");
  }

  static ResponseDefinitionBuilder internalError() {
    return error(500, 50001, "internal server error");
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
