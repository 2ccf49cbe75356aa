package com.cabalmail.aws;

import com.cabalmail.http.Secret;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One set of AWS credentials: the key id, the secret key, the session token of temporary keys
 * and when they expire (container credentials say; environment keys do not). The secret parts
 * are {@link Secret}s and {@link #toString()} shows the key id only.
 *
 * @param accessKeyId the access key id (not a secret, but never logged either)
 * @param secretAccessKey the secret access key
 * @param sessionToken the session token of temporary credentials
 * @param expiration when temporary credentials stop working
 */
public record AwsCredentials(String accessKeyId, Secret secretAccessKey,
    Optional<Secret> sessionToken, Optional<Instant> expiration) {

  /** Validates. */
  public AwsCredentials {
    Objects.requireNonNull(accessKeyId, "accessKeyId");
    Objects.requireNonNull(secretAccessKey, "secretAccessKey");
    Objects.requireNonNull(sessionToken, "sessionToken");
    Objects.requireNonNull(expiration, "expiration");
  }

  /** Credentials that do not expire by themselves (environment keys). */
  public static AwsCredentials of(String accessKeyId, Secret secretAccessKey,
      Optional<Secret> sessionToken) {
    return new AwsCredentials(accessKeyId, secretAccessKey, sessionToken, Optional.empty());
  }

  /** Everything that must never appear in a message: both secrets and the key id. */
  List<Secret> scrubbed() {
    List<Secret> all = new ArrayList<>(3);
    all.add(secretAccessKey);
    sessionToken.ifPresent(all::add);
    all.add(Secret.of(accessKeyId));
    return all;
  }

  @Override
  public String toString() {
    return "AwsCredentials[<redacted>" + expiration.map(e -> ", expires " + e).orElse("") + "]";
  }
}
