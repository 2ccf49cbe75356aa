package com.cabalmail.example.consumer;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cabalmail.alert.Alert;
import com.cabalmail.alert.AlertConfig;
import com.cabalmail.alert.AlertRouter;
import com.cabalmail.alert.Delivery;
import com.cabalmail.alert.DeliveryReport;
import com.cabalmail.alert.Severity;
import com.cabalmail.alert.testkit.NtfyStandIn;
import com.cabalmail.alert.testkit.PushoverStandIn;
import com.cabalmail.alert.testkit.StandInServer;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a user of the published artifacts writes: the router built from plain settings, the
 * transports found on the class path, one critical alert delivered to Pushover and ntfy (here
 * loopback stand-ins answering as the services do).
 */
class ConsumerDeliveryTest {

  @RegisterExtension
  static final WireMockExtension PUSHOVER = StandInServer.onFreePort();

  @RegisterExtension
  static final WireMockExtension NTFY = StandInServer.onFreePort();

  @Test
  void aCriticalAlertReachesBothPushoverAndNtfy() {
    PUSHOVER.stubFor(post(urlEqualTo("/1/messages.json")).willReturn(PushoverStandIn.accepted()));
    NTFY.stubFor(post(urlEqualTo("/")).willReturn(NtfyStandIn.stored()));
    Map<String, String> settings = Map.of(
        "PUSHOVER_API_URL", PUSHOVER.baseUrl(),
        "PUSHOVER_APP_TOKEN", PushoverStandIn.APP_TOKEN,
        "PUSHOVER_USER_KEY", PushoverStandIn.USER_KEY,
        "NTFY_BASE_URL", NTFY.baseUrl(),
        "NTFY_TOPIC", "alerts",
        "NTFY_TOKEN", NtfyStandIn.TOKEN);

    DeliveryReport report;
    try (AlertRouter router = AlertRouter.create(AlertConfig.from(settings))) {
      report = router.route(Alert.firing(Severity.CRITICAL, "consumer/IMAP reachable",
          "IMAP down on mail-1 ✓"));
    }

    assertTrue(report.allSent(), () -> "not all sent: " + report);
    Set<String> transports = new TreeSet<>();
    for (Delivery delivery : report.planned()) {
      transports.add(delivery.transport());
    }
    assertEquals(Set.of("ntfy", "pushover"), transports);
    PUSHOVER.verify(1, postRequestedFor(urlEqualTo("/1/messages.json"))
        .withRequestBody(containing("message=IMAP+down+on+mail-1"))
        .withRequestBody(containing("priority=1")));
    NTFY.verify(1, postRequestedFor(urlEqualTo("/"))
        .withRequestBody(containing("IMAP down on mail-1"))
        .withRequestBody(containing("\"topic\":\"alerts\""))
        .withRequestBody(containing("\"priority\":5")));
  }
}
