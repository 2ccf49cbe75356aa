package com.cabalmail.aws;

import com.cabalmail.http.Deadline;
import com.cabalmail.http.HttpDelivery;
import com.cabalmail.http.Secret;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where AWS credentials come from. Implementations are thread-safe; a provider of temporary
 * credentials caches them and refreshes them before they expire.
 */
public interface CredentialsProvider {

  /**
   * Credentials valid now (and, for temporary ones, for a while yet).
   *
   * @throws AwsException saying why none could be had, never with a secret in it
   */
  AwsCredentials credentials(Deadline deadline) throws AwsException;

  /**
   * Tells the provider that AWS called {@code rejected} expired, so the next
   * {@link #credentials} fetches fresh ones. Fixed credentials ignore it.
   */
  default void expired(AwsCredentials rejected) {}

  /** Always {@code credentials}. */
  static CredentialsProvider of(AwsCredentials credentials) {
    return new Fixed(Objects.requireNonNull(credentials, "credentials"));
  }

  /** Fixed credentials: a class, not a lambda (on every cold start: ColdPathLambdasIT). */
  final class Fixed implements CredentialsProvider {
    private final AwsCredentials credentials;

    private Fixed(AwsCredentials credentials) {
      this.credentials = credentials;
    }

    @Override
    public AwsCredentials credentials(Deadline deadline) {
      return credentials;
    }
  }

  /**
   * The chain of the AWS SDKs, first match wins: {@code AWS_ACCESS_KEY_ID} and
   * {@code AWS_SECRET_ACCESS_KEY} (with {@code AWS_SESSION_TOKEN}) from {@code environment};
   * else container credentials from {@code AWS_CONTAINER_CREDENTIALS_FULL_URI}, or
   * {@code AWS_CONTAINER_CREDENTIALS_RELATIVE_URI} on {@code http://169.254.170.2}, with the
   * {@code Authorization} token from {@code AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE} (read on
   * every fetch) or {@code AWS_CONTAINER_AUTHORIZATION_TOKEN}.
   *
   * @throws AwsException naming every missing or bad variable
   */
  static CredentialsProvider fromEnvironment(Map<String, String> environment,
      HttpDelivery delivery, Clock clock) throws AwsException {
    List<String> problems = new ArrayList<>();
    CredentialsProvider provider = fromEnvironment(
        environment, delivery, clock, ContainerCredentials.ECS_BASE, problems);
    if (!problems.isEmpty()) {
      throw new AwsException("AWS credentials not configured: " + String.join("; ", problems));
    }
    return provider;
  }

  /** The chain; adds each problem to {@code problems} and then answers null. */
  static CredentialsProvider fromEnvironment(Map<String, String> environment,
      HttpDelivery delivery, Clock clock, URI relativeBase, List<String> problems) {
    String accessKeyId = Environment.value(environment, "AWS_ACCESS_KEY_ID");
    String secretAccessKey = Environment.value(environment, "AWS_SECRET_ACCESS_KEY");
    if (accessKeyId != null && secretAccessKey != null) {
      String sessionToken = Environment.value(environment, "AWS_SESSION_TOKEN");
      return of(AwsCredentials.of(accessKeyId, Secret.of(secretAccessKey),
          sessionToken == null ? Optional.empty() : Optional.of(Secret.of(sessionToken))));
    }
    if (accessKeyId != null || secretAccessKey != null) {
      problems.add((accessKeyId == null ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY")
          + " is not set (the other key variable is)");
      return null;
    }
    if (Environment.value(environment, ContainerCredentials.FULL_URI) != null
        || Environment.value(environment, ContainerCredentials.RELATIVE_URI) != null) {
      return ContainerCredentials.fromEnvironment(
          environment, delivery, clock, relativeBase, problems);
    }
    problems.add("no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or "
        + ContainerCredentials.FULL_URI + " or " + ContainerCredentials.RELATIVE_URI);
    return null;
  }
}
