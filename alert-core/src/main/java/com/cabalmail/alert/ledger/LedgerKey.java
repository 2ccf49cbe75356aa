package com.cabalmail.alert.ledger;

import com.cabalmail.alert.Alert;
import com.cabalmail.alert.AlertStatus;
import com.cabalmail.alert.Severity;
import java.util.Objects;

/**
 * What the ledger remembers one delivery by: the alert's identity, its state and the
 * transport. A firing key carries the severity it fired at, so that a rise (warning, then
 * critical) is a new state that every channel of the higher route delivers; a recovery key
 * carries none, since one recovery ends every severity. Firing and resolved are distinct keys,
 * so a recovery is never mistaken for a repeat of the page.
 *
 * @param fingerprint a token of the alert's identity: 1 to 64 ASCII letters and digits
 * @param status firing or resolved
 * @param severity the severity of a firing key; null for a resolved one
 * @param transport the transport's name, e.g. {@code pushover}
 */
public record LedgerKey(String fingerprint, AlertStatus status, Severity severity,
    String transport) {

  /** Validates: a firing key has a severity, a resolved one has none. */
  public LedgerKey {
    Objects.requireNonNull(status, "status");
    if (!Alert.isFingerprintToken(fingerprint)) {
      throw new IllegalArgumentException("fingerprint must be 1 to 64 ASCII letters and digits");
    }
    if (transport == null || transport.isBlank() || transport.indexOf('/') >= 0) {
      throw new IllegalArgumentException("transport must be a name without '/'");
    }
    if ((status == AlertStatus.FIRING) != (severity != null)) {
      throw new IllegalArgumentException("a firing key has a severity, a resolved key none");
    }
  }

  /** The key of a firing delivery of {@code fingerprint} at {@code severity}. */
  public static LedgerKey firing(String fingerprint, Severity severity, String transport) {
    return new LedgerKey(fingerprint, AlertStatus.FIRING,
        Objects.requireNonNull(severity, "severity"), transport);
  }

  /** The key of a recovery delivered for {@code scope}. */
  public static LedgerKey resolved(String scope, String transport) {
    return new LedgerKey(scope, AlertStatus.RESOLVED, null, transport);
  }

  /**
   * The key of {@code alert}'s delivery through {@code transport}: a firing alert by its
   * {@link Alert#fingerprintToken() fingerprint token} and severity, a recovery by its
   * {@link Alert#scopeToken() scope}.
   */
  public static LedgerKey of(Alert alert, String transport) {
    return alert.isResolved() ? resolved(alert.scopeToken(), transport)
        : firing(alert.fingerprintToken(), alert.severity(), transport);
  }

  /**
   * The key as one string, a store's primary key: {@code <fingerprint>/firing/<severity>/
   * <transport>} or {@code <fingerprint>/resolved/<transport>}, e.g.
   * {@code 3f2a9c1d7b4e6a05/firing/critical/pushover}.
   */
  public String id() {
    return severity == null ? fingerprint + "/" + status.wireName() + "/" + transport
        : fingerprint + "/" + status.wireName() + "/" + severity.wireName() + "/" + transport;
  }

  /**
   * Reads an {@link #id()} back.
   *
   * @throws IllegalArgumentException when {@code id} is not one
   */
  public static LedgerKey parse(String id) {
    String[] parts = id == null ? new String[0] : id.split("/", -1);
    if (parts.length == 4) {
      return new LedgerKey(parts[0], AlertStatus.parse(parts[1]), Severity.parse(parts[2]),
          parts[3]);
    }
    if (parts.length != 3) {
      throw new IllegalArgumentException("not a ledger key (fingerprint/firing/severity/transport"
          + " or fingerprint/resolved/transport)");
    }
    return new LedgerKey(parts[0], AlertStatus.parse(parts[1]), null, parts[2]);
  }

  /*
   * equals and hashCode written out: a record's generated ones are linked by an invokedynamic
   * bootstrap on first use, and the in-memory ledger's first claim is on every cold start's
   * path (about 9 ms of CPU there, measured with benchmarks/budget.sh and a profiler).
   */

  @Override
  public boolean equals(Object other) {
    return other instanceof LedgerKey key && fingerprint.equals(key.fingerprint)
        && status == key.status && severity == key.severity && transport.equals(key.transport);
  }

  @Override
  public int hashCode() {
    return ((fingerprint.hashCode() * 31 + status.hashCode()) * 31
        + (severity == null ? 0 : severity.hashCode())) * 31 + transport.hashCode();
  }

  @Override
  public String toString() {
    return id();
  }
}
