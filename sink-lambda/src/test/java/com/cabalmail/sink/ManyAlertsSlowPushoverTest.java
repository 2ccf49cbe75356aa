package com.cabalmail.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cabalmail.alert.Alert;
import com.cabalmail.alert.AlertRouter;
import com.cabalmail.alert.Delivery;
import com.cabalmail.alert.DeliveryReport;
import com.cabalmail.alert.Outcome;
import com.cabalmail.alert.Severity;
import com.cabalmail.alert.ntfy.NtfyProvider;
import com.cabalmail.alert.pushover.PushoverProvider;
import com.cabalmail.alert.spi.Settings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A 10-alert critical group with a slow Pushover (WireMock delays each answer): Pushover's two
 * connections queue the deliveries, and every one is delivered within the deadline.
 */
class ManyAlertsSlowPushoverTest {

  @RegisterExtension final ProviderStubs stubs = new ProviderStubs();

  @Test
  void tenCriticalAlertsWithASlowPushoverAreAllDeliveredWithinTheDeadline() {
    stubs.pushoverAnswers(ProviderStubs.pushoverAccepted().withFixedDelay(300));
    Settings settings = Settings.of(stubs.settings());
    List<Alert> group = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      group.add(Alert.firing(Severity.CRITICAL, "alertmanager/DiskFull/host-" + i, "disk full"));
    }
    AlertRouter router = AlertRouter.builder().routes(SinkTest.table())
        .transport("pushover", new PushoverProvider().create(settings))
        .transport("ntfy", new NtfyProvider().create(settings))
        .transportTimeout(Duration.ofSeconds(9)).deadline(Duration.ofSeconds(10)).build();
    DeliveryReport report;
    try (router) {
      report = router.route(group);
    }

    assertEquals(20, report.deliveries().size());
    for (Delivery delivery : report.deliveries()) {
      assertEquals(Outcome.Kind.SENT, delivery.outcome().kind(), delivery.outcome().detail());
      assertTrue(delivery.elapsed().compareTo(Duration.ofSeconds(10)) < 0);
    }
    assertEquals(10, stubs.pushoverMessages().size());
    assertEquals(10, stubs.ntfyMessages().size());
    IllegalStateException closed = assertThrows(IllegalStateException.class,
        () -> router.route(group));
    assertTrue(closed.getMessage().contains("closed"), closed.getMessage());
  }
}
