package com.cabalmail.example.webhook;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import com.cabalmail.alert.spi.Transport;
import com.cabalmail.alert.testkit.TransportTestKit;
import com.cabalmail.http.HttpDelivery;
import com.cabalmail.http.Secret;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/** The behaviour every transport shares, run against the webhook transport. */
class WebhookKitTest extends TransportTestKit {

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
}
