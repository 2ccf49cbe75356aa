package com.cabalmail.sink;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cabalmail.alert.testkit.HealthchecksStandIn;
import com.cabalmail.alert.testkit.Peers;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole liveness chain with real peers: Prometheus 2.42 evaluates the example
 * {@code vector(1)} Watchdog rule every second and sends it to a real Alertmanager, configured
 * with the example {@code alertmanager.yml} at test speed, which posts it to the locally served
 * sink, which pings a Healthchecks stand-in. Pings arrive at the configured cadence, nothing
 * reaches Pushover or ntfy, and once Alertmanager stops the pings stop.
 */
class WatchdogChainIT extends SinkBehindAlertmanager {

  static final String SECRET = "watchdog-chain-shared-secret-0123";
  static final String CHECK = "/ping/0e1a7d4c-93b2-4f61-a0c5-6d2b8e9f1a3c";
  static final Path RULES =
      AlertmanagerPeer.EXAMPLE.resolveSibling("prometheus-watchdog-rules.yml");
  /** The Watchdog route's repeat_interval at test speed. */
  static final Duration REPEAT = Duration.ofSeconds(2);
  /** Its group_interval at test speed. */
  static final Duration GROUP_INTERVAL = Duration.ofSeconds(1);
  /**
   * The ping cadence: Alertmanager re-sends at the first group_interval tick after
   * repeat_interval has passed (measured: 2750, 3002, 3003 ms for 2 s + 1 s).
   */
  static final Duration CADENCE = REPEAT.plus(GROUP_INTERVAL);

  private final HttpClient client = HttpClient.newHttpClient();

  @RegisterExtension
  final WireMockExtension healthchecks =
      WireMockExtension.newInstance().options(options().dynamicPort()).build();

  private Process prometheus;

  @AfterEach
  void stopPrometheus() {
    Peers.stop(prometheus);
  }

  @Test
  void watchdogFromPrometheusPingsHealthchecksAtTheCadenceNotifiesNobodyAndStopsWithAlertmanager()
      throws Exception {
    Path promBinary = Peers.require("prometheus", "apt-get install prometheus");
    healthchecks.stubFor(post(urlEqualTo(CHECK)).willReturn(HealthchecksStandIn.ok()));

    serve(SECRET, Map.of("ALERT_WATCHDOG_PING_URL", healthchecks.baseUrl() + CHECK));

    // The example's Watchdog route, its timers at test speed.
    alertmanager = AlertmanagerPeer.start(dir, AlertmanagerPeer.example(sink.port(),
        AlertmanagerPeer.secretFile(dir, SECRET),
        new String[] {"group_wait: 10s", "group_wait: 1s"},
        new String[] {"group_interval: 1m", "group_interval: " + GROUP_INTERVAL.toSeconds() + "s"},
        new String[] {"repeat_interval: 5m", "repeat_interval: " + REPEAT.toSeconds() + "s"}));

    Files.copy(RULES, dir.resolve("rules.yml"));
    Path promConfig = dir.resolve("prometheus.yml");
    Files.writeString(promConfig, "global:\n  evaluation_interval: 1s\n"
        + "rule_files: [" + dir.resolve("rules.yml") + "]\n"
        + "alerting:\n  alertmanagers:\n    - static_configs:\n"
        + "        - targets: ['" + alertmanager.target() + "']\n");
    int promPort = Peers.freePort();
    String promUrl = "http://127.0.0.1:" + promPort;
    prometheus = Peers.start(List.of(promBinary.toString(), "--config.file=" + promConfig,
        "--storage.tsdb.path=" + dir.resolve("prom-data"),
        "--web.listen-address=127.0.0.1:" + promPort, "--rules.alert.resend-delay=1s"),
        dir.resolve("prometheus.log"));
    Peers.await(Duration.ofSeconds(20), () -> AlertmanagerPeer.ready(promUrl),
        "Prometheus ready; " + logs());

    Peers.await(Duration.ofSeconds(25), () -> pings().size() >= 4,
        "four Watchdog pings reached Healthchecks; " + logs());

    List<LoggedRequest> pings = pings();
    List<Long> gaps = new ArrayList<>();
    for (int i = 1; i < pings.size(); i++) {
      long gap = pings.get(i).getLoggedDate().getTime()
          - pings.get(i - 1).getLoggedDate().getTime();
      gaps.add(gap);
      assertTrue(gap >= REPEAT.toMillis() && gap <= CADENCE.plus(GROUP_INTERVAL).toMillis() + 500,
          "a ping every repeat_interval + up to a group_interval (" + CADENCE.toMillis()
              + " ms), not per evaluation and without gaps: " + gap + " ms between pings " + i
              + " and " + (i + 1));
    }
    // The measured cadence, for the README: repeat_interval plus up to one group_interval.
    System.out.println("WatchdogChainIT: ms between pings " + gaps + " (repeat_interval "
        + REPEAT.toMillis() + " ms, group_interval " + GROUP_INTERVAL.toMillis() + " ms)");
    assertEquals(List.of(), stubs.pushoverMessages(), "nothing reaches Pushover");
    assertEquals(List.of(), stubs.ntfyMessages(), "nothing reaches ntfy");

    alertmanager.close();
    int atStop = pings().size();
    double errorsAtStop = notificationErrors(promUrl);
    // Prometheus keeps trying to send the Watchdog every second; once it has failed for two
    // cadences, the sink would have pinged twice more were anything reaching it.
    long failures = 2 * CADENCE.toSeconds();
    Peers.await(Duration.ofSeconds(20),
        () -> notificationErrors(promUrl) >= errorsAtStop + failures,
        failures + " failed sends from Prometheus to the stopped Alertmanager; " + logs());
    assertTrue(pings().size() <= atStop + 1,
        "the pings stop with Alertmanager (one may have been in flight): " + atStop + " then "
            + pings().size());
    assertEquals(List.of(), stubs.pushoverMessages());
    assertEquals(List.of(), stubs.ntfyMessages());
  }

  private List<LoggedRequest> pings() {
    List<LoggedRequest> all = new ArrayList<>(
        healthchecks.findAll(anyRequestedFor(anyUrl())));
    all.sort(Comparator.comparing(LoggedRequest::getLoggedDate));
    return all.stream().filter(r -> r.getUrl().equals(CHECK)).collect(Collectors.toList());
  }

  /** Prometheus' own count of failed sends to Alertmanager, all Alertmanagers summed. */
  private double notificationErrors(String promUrl) {
    try {
      String metrics = client.send(HttpRequest.newBuilder(URI.create(promUrl + "/metrics"))
          .build(), HttpResponse.BodyHandlers.ofString()).body();
      double sum = 0;
      for (String line : metrics.split("\n")) {
        if (line.startsWith("prometheus_notifications_errors_total")) {
          sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
      return sum;
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private String logs() {
    StringBuilder text = new StringBuilder();
    for (String name : List.of("alertmanager.log", "prometheus.log")) {
      try {
        String log = Files.readString(dir.resolve(name));
        text.append(name).append(": ")
            .append(log.substring(Math.max(0, log.length() - 2000))).append('\n');
      } catch (IOException e) {
        text.append(name).append(": ").append(e).append('\n');
      }
    }
    return text.toString();
  }
}
