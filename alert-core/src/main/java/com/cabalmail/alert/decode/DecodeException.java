package com.cabalmail.alert.decode;

/**
 * A webhook body that cannot be turned into alerts. The message says what is wrong and where:
 * a JSON pointer such as {@code /alerts/3/labels/severity}, or a byte offset for broken syntax.
 * It never echoes more than a short excerpt of the body.
 */
public final class DecodeException extends Exception {

  private static final long serialVersionUID = 1L;
  private final boolean tooLarge;

  /** A body that is malformed or does not describe alerts. */
  public DecodeException(String message) {
    this(message, false, null);
  }

  /** A body that is malformed, with the parser's exception. */
  public DecodeException(String message, Throwable cause) {
    this(message, false, cause);
  }

  private DecodeException(String message, boolean tooLarge, Throwable cause) {
    // No stack trace: the message says everything, bad bodies are routine, and a flood of
    // them must stay cheap to reject. The parser's exception, when there is one, is the cause.
    super(message, cause, true, false);
    this.tooLarge = tooLarge;
  }

  /** A body over a size limit (an HTTP server answers 413 rather than 400). */
  public static DecodeException tooLarge(String message) {
    return new DecodeException(message, true, null);
  }

  /** Whether the body was over a size limit. */
  public boolean isTooLarge() {
    return tooLarge;
  }
}
