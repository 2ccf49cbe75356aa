package com.cabalmail.aws;

/** Parameters could not be read; the message names them (never their values) and says why. */
public final class SsmException extends Exception {

  private static final long serialVersionUID = 1L;

  /** A failure described by {@code message}. */
  public SsmException(String message) {
    super(message);
  }

  /** A failure described by {@code message}, caused by {@code cause}. */
  public SsmException(String message, Throwable cause) {
    super(message, cause);
  }
}
