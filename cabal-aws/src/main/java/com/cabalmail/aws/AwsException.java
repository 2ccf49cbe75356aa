package com.cabalmail.aws;

import com.cabalmail.http.Exchange;
import java.util.Optional;

/**
 * An AWS call failed or a client could not be configured. The message says what was being done
 * and why, never a credential. When AWS answered, {@link #error()} is its classified error and
 * {@link #answer()} the answer itself (DynamoDB puts the old item of a failed condition there).
 */
public final class AwsException extends Exception {

  private static final long serialVersionUID = 1L;

  private final transient AwsError error;
  private final transient Exchange answer;

  /** A failure without an AWS answer (configuration, no connection). */
  public AwsException(String message) {
    this(message, null, null);
  }

  /** A failure AWS answered with {@code error}. */
  public AwsException(String message, AwsError error, Exchange answer) {
    super(message);
    this.error = error;
    this.answer = answer;
  }

  /** The classified error, when AWS answered. */
  public Optional<AwsError> error() {
    return Optional.ofNullable(error);
  }

  /** AWS's answer, when there was one. */
  public Optional<Exchange> answer() {
    return Optional.ofNullable(answer);
  }
}
