package com.cabalmail.alert.ledger;

import com.cabalmail.alert.Alert;
import com.cabalmail.alert.AlertStatus;
import java.util.Objects;

/**
 * What the ledger remembers one delivery by: the alert's fingerprint, its status and the
 * transport. The same alert firing and resolved are two keys, so a recovery is never mistaken
 * for a repeat of the page.
 *
 * @param fingerprint the alert's {@link Alert#fingerprintToken() fingerprint token}: 1 to 64
 *     ASCII letters and digits
 * @param status firing or resolved
 * @param transport the transport's name, e.g. {@code pushover}
 */
public record LedgerKey(String fingerprint, AlertStatus status, String transport) {

  /** Validates. */
  public LedgerKey {
    Objects.requireNonNull(status, "status");
    if (!Alert.isFingerprintToken(fingerprint)) {
      throw new IllegalArgumentException("fingerprint must be 1 to 64 ASCII letters and digits");
    }
    if (transport == null || transport.isBlank() || transport.indexOf('/') >= 0) {
      throw new IllegalArgumentException("transport must be a name without '/'");
    }
  }

  /** The key of {@code alert}'s delivery through {@code transport}. */
  public static LedgerKey of(Alert alert, String transport) {
    return new LedgerKey(alert.fingerprintToken(), alert.status(), transport);
  }

  /** The same alert and transport in {@code other} status. */
  public LedgerKey withStatus(AlertStatus other) {
    return new LedgerKey(fingerprint, other, transport);
  }

  /**
   * The key as one string, {@code <fingerprint>/<status>/<transport>}, e.g.
   * {@code 3f2a9c1d7b4e6a05/firing/pushover}: a store's primary key.
   */
  public String id() {
    return fingerprint + "/" + status.wireName() + "/" + transport;
  }

  /**
   * Reads an {@link #id()} back.
   *
   * @throws IllegalArgumentException when {@code id} is not one
   */
  public static LedgerKey parse(String id) {
    String[] parts = id == null ? new String[0] : id.split("/", -1);
    if (parts.length != 3) {
      throw new IllegalArgumentException("not a ledger key (fingerprint/status/transport)");
    }
    return new LedgerKey(parts[0], AlertStatus.parse(parts[1]), parts[2]);
  }

  /*
   * equals and hashCode written out: a record's generated ones are linked by an invokedynamic
   * bootstrap on first use, and the in-memory ledger's first claim is on every cold start's
   * path (about 9 ms of CPU there, measured with benchmarks/budget.sh and a profiler).
   */

  @Override
  public boolean equals(Object other) {
    return other instanceof LedgerKey key && fingerprint.equals(key.fingerprint)
        && status == key.status && transport.equals(key.transport);
  }

  @Override
  public int hashCode() {
    return (fingerprint.hashCode() * 31 + status.hashCode()) * 31 + transport.hashCode();
  }

  @Override
  public String toString() {
    return id();
  }
}
