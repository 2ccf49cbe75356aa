package com.cabalmail.http;

/**
 * No answer could be had within the policy and the deadline: every attempt failed to connect,
 * was reset or timed out, or the caller's thread was interrupted. The message says what
 * happened in words fit for an operator and never contains a secret or a URL query.
 */
public final class DeliveryException extends Exception {

  private static final long serialVersionUID = 1L;
  /** How many attempts were made before giving up. */
  private final int attempts;

  DeliveryException(String message, int attempts, Throwable cause) {
    super(message, cause);
    this.attempts = attempts;
  }

  /** How many attempts were made, the first included. */
  public int attempts() {
    return attempts;
  }
}
