package com.cabalmail.example.webhook;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.cabalmail.alert.Alert;
import com.cabalmail.alert.AlertConfig;
import com.cabalmail.alert.AlertRouter;
import com.cabalmail.alert.DeliveryReport;
import com.cabalmail.alert.Outcome;
import com.cabalmail.alert.Severity;
import com.cabalmail.alert.spi.Transport;
import com.cabalmail.alert.testkit.TransportTestKit;
import com.cabalmail.http.HttpDelivery;
import com.cabalmail.http.Secret;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The shared transport kit, plus: routing reaches this plugin just by its being on the class path. */
class WebhookTransportTest extends TransportTestKit {

  static final String TOKEN = "hook-token-0123456789";

  @Override
  protected Transport transport(URI baseUrl, HttpDelivery delivery) {
    return new WebhookTransport(baseUrl.resolve("/hook"), Optional.of(Secret.of(TOKEN)), delivery);
  }

  @Override
  protected MappingBuilder deliveryRequest() {
    return post(urlEqualTo("/hook"));
  }

  @Override
  protected ResponseDefinitionBuilder successAnswer() {
    return aResponse().withStatus(204);
  }

  @Override
  protected int priority() {
    return 1;
  }

  @Override
  protected List<String> secrets() {
    return List.of(TOKEN);
  }

  /** A generic webhook has no answer format: any 2xx is success. */
  @Override
  protected boolean checksSuccessBodies() {
    return false;
  }

  @Test
  void routingReachesThePluginFoundOnTheClassPath() {
    server.stubFor(deliveryRequest().willReturn(successAnswer()));
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

  @Test
  void aBadUrlIsReportedByItsKey() {
    com.cabalmail.alert.ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(
        com.cabalmail.alert.ConfigException.class, () -> AlertConfig.from(Map.of(
            "ALERT_ROUTES", "critical:webhook=1", "WEBHOOK_URL", "ftp://example.org/x")));

    assertEquals(List.of("WEBHOOK_URL='ftp://example.org/x' must be an absolute http(s) URL"),
        e.problems());
  }
}
