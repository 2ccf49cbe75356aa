package com.cabalmail.alert.testkit;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit.Stubbing;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * A WireMock stand-in for a test class, answering as the real service does: on a free port (other
 * builds may run tests at the same time), its stubs and request journal reset before each test,
 * and answers that change from one call to the next, so a retry meets a different answer than
 * the first attempt.
 */
public final class StandInServer {

  private StandInServer() {}

  /**
   * A WireMock server on a free port, started before the class's tests and stopped after them;
   * register it with {@code @RegisterExtension} on a static field.
   *
   * @return the extension; its {@code baseUrl()} is the stand-in's address
   */
  public static WireMockExtension onFreePort() {
    return WireMockExtension.newInstance().options(options().dynamicPort()).build();
  }

  /**
   * Stubs the request to answer {@code first} once, then {@code then} to every later call.
   *
   * @param server the stand-in: the extension, or a {@code WireMockServer}
   * @param request makes the request's pattern, e.g. {@code () -> post(urlEqualTo("/"))};
   *     called twice, since a stub uses its builder up
   * @param first the answer to the first matching call
   * @param then the answer to every matching call after it
   */
  public static void answerInTurn(Stubbing server, Supplier<MappingBuilder> request,
      ResponseDefinitionBuilder first, ResponseDefinitionBuilder then) {
    String scenario = "in turn " + UUID.randomUUID();
    server.stubFor(request.get().inScenario(scenario).whenScenarioStateIs(Scenario.STARTED)
        .willReturn(first).willSetStateTo("answered once"));
    server.stubFor(request.get().inScenario(scenario).whenScenarioStateIs("answered once")
        .willReturn(then));
  }
}
