package com.cabalmail.example.heartbeat;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.cabalmail.alert.testkit.CapturedLogs;
import com.cabalmail.alert.testkit.HealthchecksStandIn;
import com.cabalmail.alert.testkit.ManualTicker;
import com.cabalmail.heartbeat.Heartbeat;
import com.cabalmail.http.HttpDelivery;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.InputStream;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A WireMock answering pings as a self-hosted Healthchecks does: 200 {@code OK}. */
abstract class HealthchecksServer {

  static final String CHECK = HealthchecksStandIn.CHECK;

  @RegisterExtension
  static WireMockExtension server =
      WireMockExtension.newInstance().options(options().dynamicPort()).build();

  @BeforeEach
  void answerOk() {
    server.resetAll();
    CapturedLogs.clear();
    server.stubFor(any(anyUrl()).willReturn(HealthchecksStandIn.ok()));
  }

  static Heartbeat heartbeat() {
    return Heartbeat.builder().delivery(HttpDelivery.create(new ManualTicker()))
        .forUrl(server.baseUrl() + CHECK);
  }

  /** The pings received, in order. */
  static List<LoggedRequest> pings() {
    List<LoggedRequest> pings = new java.util.ArrayList<>(
        server.findAll(anyRequestedFor(anyUrl())));
    pings.sort(java.util.Comparator.comparing(LoggedRequest::getLoggedDate));
    return pings;
  }

  /** The path of a ping without its query. */
  static String path(LoggedRequest ping) {
    String url = ping.getUrl();
    int query = url.indexOf('?');
    return query < 0 ? url : url.substring(0, query);
  }

  static InputStream event(String name) {
    return Objects.requireNonNull(
        HealthchecksServer.class.getResourceAsStream("/events/" + name), name);
  }
}
