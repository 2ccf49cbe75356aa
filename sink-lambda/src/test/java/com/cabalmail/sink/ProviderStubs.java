package com.cabalmail.sink;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.cabalmail.alert.testkit.NtfyStandIn;
import com.cabalmail.alert.testkit.PushoverStandIn;
import com.cabalmail.http.Json;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Pushover and ntfy played by WireMock, answering as the real services do: the test kit's {@link
 * PushoverStandIn} and {@link NtfyStandIn}. A JUnit extension over two {@link WireMockExtension}s
 * ({@code @RegisterExtension final ProviderStubs stubs = new ProviderStubs();}): an instance field,
 * so each test gets two fresh servers answering success, and a delivery a test left hanging dies
 * with its servers (JUnit calls no class-level callback of an instance field's extension: there
 * is none). Reads back what each received.
 */
final class ProviderStubs implements BeforeEachCallback, AfterEachCallback {

  static final String PUSHOVER_TOKEN = PushoverStandIn.APP_TOKEN;
  static final String PUSHOVER_USER = PushoverStandIn.USER_KEY;
  static final String NTFY_TOKEN = NtfyStandIn.TOKEN;

  final WireMockExtension pushover =
      WireMockExtension.newInstance().options(options().dynamicPort()).build();
  final WireMockExtension ntfy =
      WireMockExtension.newInstance().options(options().dynamicPort()).build();

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    both(server -> server.beforeEach(context));
    answerSuccess();
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    both(server -> server.afterEach(context));
  }

  /** One step of a server's JUnit life cycle. */
  private interface Step {
    void on(WireMockExtension server) throws Exception;
  }

  private void both(Step step) throws Exception {
    step.on(pushover);
    step.on(ntfy);
  }

  /** Pushover and ntfy forgetting every stub, scenario and request, then answering success. */
  private void answerSuccess() throws Exception {
    both(WireMockExtension::resetAll);
    pushoverAnswers(pushoverAccepted());
    pushover.stubFor(post(urlPathMatching("/1/receipts/cancel_by_tag/.*"))
        .willReturn(PushoverStandIn.cancelled()));
    pushover.stubFor(post(urlPathMatching("/1/receipts/[A-Za-z0-9]+/cancel\\.json"))
        .willReturn(PushoverStandIn.cancelled()));
    ntfyAnswers(NtfyStandIn.stored());
  }

  /** The settings pointing both transports here. */
  Map<String, String> settings() {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("PUSHOVER_API_URL", pushover.baseUrl());
    values.put("PUSHOVER_APP_TOKEN", PUSHOVER_TOKEN);
    values.put("PUSHOVER_USER_KEY", PUSHOVER_USER);
    values.put("NTFY_BASE_URL", ntfy.baseUrl());
    values.put("NTFY_TOPIC", "alerts");
    values.put("NTFY_TOKEN", NTFY_TOKEN);
    return values;
  }

  static ResponseDefinitionBuilder pushoverAccepted() {
    return PushoverStandIn.acceptedEmergency();
  }

  static ResponseDefinitionBuilder connectionReset() {
    return aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER);
  }

  static ResponseDefinitionBuilder ntfyServerError() {
    return NtfyStandIn.internalError();
  }

  void pushoverAnswers(ResponseDefinitionBuilder answer) {
    pushover.stubFor(post(urlEqualTo("/1/messages.json")).willReturn(answer));
  }

  void ntfyAnswers(ResponseDefinitionBuilder answer) {
    ntfy.stubFor(any(anyUrl()).willReturn(answer));
  }

  /** Form fields of every message Pushover received, in arrival order. */
  List<Map<String, String>> pushoverMessages() {
    return pushover.findAll(anyRequestedFor(urlEqualTo("/1/messages.json"))).stream()
        .map(r -> PushoverStandIn.form(r.getBodyAsString())).collect(Collectors.toList());
  }

  /** The tags of every emergency cancel Pushover received. */
  List<String> pushoverCancelledTags() {
    return pushover.findAll(anyRequestedFor(urlPathMatching("/1/receipts/cancel_by_tag/.*")))
        .stream().map(r -> r.getUrl().replaceAll(".*/cancel_by_tag/(.*)\\.json$", "$1"))
        .collect(Collectors.toList());
  }

  /** The receipts of every emergency cancelled by its receipt. */
  List<String> pushoverCancelledReceipts() {
    return pushover.findAll(anyRequestedFor(
            urlPathMatching("/1/receipts/[A-Za-z0-9]+/cancel\\.json")))
        .stream().map(r -> r.getUrl().replaceAll(".*/receipts/(.*)/cancel\\.json$", "$1"))
        .collect(Collectors.toList());
  }

  /** Top-level fields of every JSON message ntfy received (arrays comma-joined). */
  List<Map<String, String>> ntfyMessages() {
    return ntfy.getAllServeEvents().stream().map(e -> e.getRequest())
        .sorted((a, b) -> a.getLoggedDate().compareTo(b.getLoggedDate()))
        .map(LoggedRequest::getBody).map(ProviderStubs::flatJson).collect(Collectors.toList());
  }

  static Map<String, String> flatJson(byte[] body) {
    Map<String, String> fields = new LinkedHashMap<>();
    try (JsonParser p = Json.factory().createParser(body)) {
      p.nextToken();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken t = p.nextToken();
        if (t == JsonToken.START_ARRAY) {
          List<String> items = new ArrayList<>();
          while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t.isStructStart()) {
              p.skipChildren();
            } else {
              items.add(p.getText());
            }
          }
          fields.put(name, String.join(",", items));
        } else if (t == JsonToken.START_OBJECT) {
          p.skipChildren();
        } else {
          fields.put(name, p.getText());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return fields;
  }
}
