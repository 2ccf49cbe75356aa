package com.cabalmail.example.heartbeat;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.cabalmail.heartbeat.Heartbeat;
import com.cabalmail.http.HttpDelivery;
import com.cabalmail.http.testkit.CapturedLogs;
import com.cabalmail.http.testkit.ManualTicker;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.InputStream;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** A WireMock answering pings as a self-hosted Healthchecks does: 200 {@code OK}. */
abstract class HealthchecksServer {

  static final String CHECK = "/ping/5f1c2b3a-8d4e-4f60-9a7b-0c1d2e3f4a5b";

  static WireMockServer server;

  @BeforeAll
  static void startHealthchecks() {
    server = new WireMockServer(options().dynamicPort());
    server.start();
  }

  @AfterAll
  static void stopHealthchecks() {
    server.stop();
  }

  @BeforeEach
  void answerOk() {
    server.resetAll();
    CapturedLogs.clear();
    server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "text/plain; charset=utf-8")
        .withHeader("Ping-Body-Limit", "10000").withBody("OK")));
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
