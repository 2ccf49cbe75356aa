package com.cabalmail.aws;

import java.util.HashMap;
import java.util.Map;

/**
 * The environment of an AWS client talking to a stand-in: AWS's documented example credentials
 * (a session's, with its token), a region, and the service's endpoint variable.
 */
final class StandInEnvironment {

  static final String ACCESS_KEY_ID = "ASIAEXAMPLEKEYID1234";
  static final String SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  static final String TOKEN = "IQoJb3JpZ2luX2VjEXAMPLETOKEN";
  static final String REGION = "eu-west-1";

  private StandInEnvironment() {}

  /**
   * A mutable environment, so a test can take a variable away or change it.
   *
   * @param endpointVariable e.g. {@code AWS_ENDPOINT_URL_SSM}
   * @param endpoint the stand-in's base URL
   */
  static Map<String, String> pointingAt(String endpointVariable, String endpoint) {
    Map<String, String> environment = new HashMap<>();
    environment.put("AWS_ACCESS_KEY_ID", ACCESS_KEY_ID);
    environment.put("AWS_SECRET_ACCESS_KEY", SECRET_KEY);
    environment.put("AWS_SESSION_TOKEN", TOKEN);
    environment.put("AWS_REGION", REGION);
    environment.put(endpointVariable, endpoint);
    return environment;
  }
}
