package com.cabalmail.alert.ntfy;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import com.cabalmail.alert.spi.Transport;
import com.cabalmail.alert.testkit.NtfyStandIn;
import com.cabalmail.alert.testkit.TransportTestKit;
import com.cabalmail.http.HttpDelivery;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import java.net.URI;
import java.util.List;

/** The behaviour every transport shares, run against ntfy. */
class NtfyKitTest extends TransportTestKit {

  @Override
  protected Transport transport(URI baseUrl, HttpDelivery delivery) {
    return NtfyFixtures.transport(NtfyFixtures.settings(baseUrl), delivery);
  }

  @Override
  protected MappingBuilder deliveryRequest() {
    return post(urlEqualTo("/"));
  }

  @Override
  protected ResponseDefinitionBuilder successAnswer() {
    return NtfyStandIn.stored();
  }

  @Override
  protected int priority() {
    return 5;
  }

  @Override
  protected List<String> secrets() {
    return List.of(NtfyStandIn.TOKEN);
  }
}
