package com.cabalmail.http.aws;

import com.cabalmail.http.Deadline;
import com.cabalmail.http.Secret;
import java.util.List;
import java.util.Map;

/**
 * The project's one SSM Parameter Store client: reads SecureString parameters with decryption
 * over {@code java.net.http}, signed with SigV4, in as few {@code GetParameters} calls as the
 * API allows (10 names each). IMPLEMENTATION PENDING: this file fixes the API.
 *
 * <p>Credentials and region come from the Lambda environment ({@code AWS_ACCESS_KEY_ID},
 * {@code AWS_SECRET_ACCESS_KEY}, {@code AWS_SESSION_TOKEN}, {@code AWS_REGION} or
 * {@code AWS_DEFAULT_REGION}); {@code AWS_ENDPOINT_URL_SSM}, else {@code AWS_ENDPOINT_URL},
 * overrides the endpoint.
 */
public final class SsmParameters {

  private SsmParameters() {}

  /**
   * A client configured from {@code environment}.
   *
   * @throws SsmException naming the missing or bad variable
   */
  public static SsmParameters fromEnvironment(Map<String, String> environment)
      throws SsmException {
    throw new SsmException("SSM client not implemented yet");
  }

  /**
   * The decrypted values of {@code names}, by name.
   *
   * @throws SsmException naming every parameter that does not exist or may not be read (never
   *     a value), or saying why SSM could not be reached
   */
  public Map<String, Secret> get(List<String> names, Deadline deadline) throws SsmException {
    throw new SsmException("SSM client not implemented yet");
  }
}
