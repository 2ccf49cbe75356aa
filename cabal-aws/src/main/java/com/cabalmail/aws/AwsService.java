package com.cabalmail.aws;

import java.util.Objects;

/**
 * What distinguishes one AWS JSON-protocol service for {@link AwsJsonClient}: its name in
 * messages, SigV4 and endpoints, its JSON version and its {@code X-Amz-Target} prefix.
 *
 * @param label the name in messages ("SSM")
 * @param signingName the SigV4 service name and the endpoint's first label ("ssm")
 * @param environmentSuffix the suffix of its endpoint variable, {@code AWS_ENDPOINT_URL_<suffix>}
 * @param contentType {@code application/x-amz-json-1.0} or {@code -1.1}
 * @param targetPrefix what precedes the operation in {@code X-Amz-Target} ("AmazonSSM.")
 */
public record AwsService(String label, String signingName, String environmentSuffix,
    String contentType, String targetPrefix) {

  /** SSM Parameter Store: JSON 1.1, target {@code AmazonSSM.<Op>}. */
  public static final AwsService SSM = new AwsService(
      "SSM", "ssm", "SSM", "application/x-amz-json-1.1", "AmazonSSM.");

  /** DynamoDB: JSON 1.0, target {@code DynamoDB_20120810.<Op>}. */
  public static final AwsService DYNAMODB = new AwsService(
      "DynamoDB", "dynamodb", "DYNAMODB", "application/x-amz-json-1.0", "DynamoDB_20120810.");

  /** Validates. */
  public AwsService {
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(signingName, "signingName");
    Objects.requireNonNull(environmentSuffix, "environmentSuffix");
    Objects.requireNonNull(contentType, "contentType");
    Objects.requireNonNull(targetPrefix, "targetPrefix");
  }

  /** The variable that overrides this service's endpoint, e.g. {@code AWS_ENDPOINT_URL_SSM}. */
  public String endpointVariable() {
    return "AWS_ENDPOINT_URL_" + environmentSuffix;
  }
}
