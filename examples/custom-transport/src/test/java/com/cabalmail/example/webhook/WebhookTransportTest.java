package com.cabalmail.example.webhook;

import static com.cabalmail.example.webhook.WebhookKitTest.TOKEN;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.cabalmail.alert.Alert;
import com.cabalmail.alert.AlertConfig;
import com.cabalmail.alert.AlertRouter;
import com.cabalmail.alert.DeliveryReport;
import com.cabalmail.alert.Outcome;
import com.cabalmail.alert.Severity;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Webhook-specific behaviour: routing reaches this plugin just by its being on the class path. */
class WebhookTransportTest {

  @RegisterExtension
  static WireMockExtension server =
      WireMockExtension.newInstance().options(options().dynamicPort()).build();

  @Test
  void routingReachesThePluginFoundOnTheClassPath() {
    server.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(204)));
    AlertRouter router = AlertRouter.create(AlertConfig.from(Map.of(
        "ALERT_ROUTES", "critical:webhook=7",
        "WEBHOOK_URL", server.baseUrl() + "/hook",
        "WEBHOOK_TOKEN", TOKEN)));

    DeliveryReport report = router.route(
        Alert.firing(Severity.CRITICAL, "kuma/Zürich ✓", "IMAP down"));

    assertEquals(Outcome.Kind.SENT, report.deliveries().get(0).outcome().kind());
    server.verify(postRequestedFor(urlEqualTo("/hook"))
        .withHeader("Authorization", equalTo("Bearer " + TOKEN))
        .withRequestBody(equalToJson("{\"severity\":\"critical\",\"status\":\"firing\","
            + "\"source\":\"kuma/Zürich ✓\",\"summary\":\"IMAP down\",\"priority\":7,"
            + "\"fingerprint\":\"${json-unit.any-string}\",\"labels\":{}}")));
  }
}
