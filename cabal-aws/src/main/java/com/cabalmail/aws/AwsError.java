package com.cabalmail.aws;

import com.cabalmail.http.Exchange;
import com.cabalmail.http.Json;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An AWS JSON-protocol error answer, classified by its code, never by its status (AWS pages
 * disagree on 400 versus 403). The code is read from {@code __type} (or {@code code}), else from
 * the {@code x-amzn-ErrorType} header, with a {@code namespace#} prefix and a {@code :url}
 * suffix stripped; the message from {@code message} or {@code Message}.
 *
 * @param status the HTTP status
 * @param code the bare error code, or {@code HTTP<status>} when the answer names none
 * @param message AWS's own message, if any
 */
public record AwsError(int status, String code, Optional<String> message) {

  /** What a caller should do about an error. */
  public enum Kind {
    /** Transient on AWS's side (throttling, 5xx): try again with backoff. */
    RETRYABLE,
    /** The session token expired: fetch fresh credentials and try once more. */
    REFRESH_CREDENTIALS,
    /** The request time is more than 15 minutes off: fix the clock. */
    CLOCK_SKEW,
    /** Anything else: trying again will fail the same way. */
    PERMANENT
  }

  private static final Set<String> RETRYABLE_CODES = Set.of(
      "ThrottlingException", "Throttling", "ThrottledException", "TooManyRequestsException",
      "RequestThrottledException", "RequestLimitExceeded", "ProvisionedThroughputExceededException",
      "InternalServerError", "InternalFailure", "ServiceUnavailable");
  private static final Set<String> THROTTLING_CODES = Set.of(
      "ThrottlingException", "Throttling", "ThrottledException", "TooManyRequestsException",
      "RequestThrottledException", "RequestLimitExceeded", "ProvisionedThroughputExceededException");
  private static final Set<Integer> RETRYABLE_STATUSES = Set.of(429, 500, 502, 503, 504);

  /** Validates. */
  public AwsError {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(message, "message");
  }

  /** What to do about this error. */
  public Kind kind() {
    if (code.equals("ExpiredTokenException") || code.equals("ExpiredToken")) {
      return Kind.REFRESH_CREDENTIALS;
    }
    if (code.equals("RequestExpired")
        || message.map(m -> m.contains("Signature expired")).orElse(false)) {
      return Kind.CLOCK_SKEW;
    }
    if (RETRYABLE_CODES.contains(code)
        || code.startsWith("HTTP") && RETRYABLE_STATUSES.contains(status)) {
      return Kind.RETRYABLE;
    }
    return Kind.PERMANENT;
  }

  /** Whether AWS is asking the caller to slow down. */
  public boolean isThrottling() {
    return THROTTLING_CODES.contains(code);
  }

  /** Whether {@code answer} is an error worth another attempt: the AWS retry predicate. */
  static boolean retryable(Exchange answer) {
    return !answer.isSuccess() && of(answer).kind() == Kind.RETRYABLE;
  }

  /** The error {@code answer} carries (a non-2xx answer). */
  public static AwsError of(Exchange answer) {
    String code = null;
    String message = null;
    try (JsonParser json = Json.factory().createParser(answer.body())) {
      if (json.nextToken() == JsonToken.START_OBJECT) {
        while (json.nextToken() == JsonToken.FIELD_NAME) {
          String field = json.currentName();
          JsonToken token = json.nextToken();
          if (token == JsonToken.VALUE_STRING && ("__type".equals(field)
              || "code".equals(field) || "Code".equals(field))) {
            code = code == null || "__type".equals(field) ? json.getText() : code;
          } else if (token == JsonToken.VALUE_STRING
              && ("message".equals(field) || "Message".equals(field))) {
            message = message == null ? json.getText() : message;
          } else {
            json.skipChildren();
          }
        }
      }
    } catch (IOException notJson) {
      // An HTML error page from a proxy or a truncated body: fall back to the header.
    }
    if (code == null) {
      code = answer.header("x-amzn-ErrorType").orElse(null);
    }
    return new AwsError(answer.statusCode(),
        code == null ? "HTTP" + answer.statusCode() : normalize(code),
        Optional.ofNullable(message).filter(m -> !m.isBlank()));
  }

  /** {@code com.amazon.coral.service#ExpiredTokenException:http://...} -> the bare code. */
  static String normalize(String code) {
    String bare = code.strip();
    int hash = bare.lastIndexOf('#');
    if (hash >= 0) {
      bare = bare.substring(hash + 1);
    }
    int colon = bare.indexOf(':');
    if (colon >= 0) {
      bare = bare.substring(0, colon);
    }
    return bare;
  }
}
