package com.cabalmail.alert.pushover;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import com.cabalmail.alert.spi.Transport;
import com.cabalmail.alert.testkit.PushoverStandIn;
import com.cabalmail.alert.testkit.TransportTestKit;
import com.cabalmail.http.HttpDelivery;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import java.net.URI;
import java.util.List;
import java.util.Map;

/** The behaviour every transport shares, run against the Pushover transport. */
class PushoverKitTest extends TransportTestKit {

  @Override
  protected Transport transport(URI baseUrl, HttpDelivery delivery) {
    return new PushoverTransport(PushoverFixtures.settings(baseUrl, Map.of()), delivery);
  }

  @Override
  protected MappingBuilder deliveryRequest() {
    return post(urlEqualTo("/1/messages.json"));
  }

  @Override
  protected ResponseDefinitionBuilder successAnswer() {
    return PushoverStandIn.accepted();
  }

  @Override
  protected int priority() {
    return 1;
  }

  @Override
  protected List<String> secrets() {
    return PushoverStandIn.secrets();
  }
}
