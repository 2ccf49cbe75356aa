package com.cabalmail.alert.ledger;

/**
 * The ledger could not answer: unreachable, too slow, or an error from its store. The router
 * then delivers anyway and reports the ledger as unavailable. Unchecked; the message names the
 * store and what failed, never a credential.
 */
public final class LedgerException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** A failure described by {@code message}. */
  public LedgerException(String message) {
    super(message);
  }

  /** A failure described by {@code message}, caused by {@code cause}. */
  public LedgerException(String message, Throwable cause) {
    super(message, cause);
  }
}
