package com.cabalmail.alert;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One alert: what is wrong ({@code summary}), where ({@code source}), how urgent
 * ({@code severity}) and whether it still is ({@code status}). Immutable; build one with
 * {@link #firing} or {@link #resolved} and the {@code with…} methods.
 *
 * @param severity how urgent
 * @param source what raised it, e.g. {@code kuma/IMAP reachable} or {@code alertmanager/HighLoad}
 * @param summary one line a person reads first; never blank
 * @param runbook where the operator finds what to do
 * @param labels extra facts, in the order given; immutable
 * @param status firing or resolved
 * @param startsAt when the condition began, if the tool said
 * @param fingerprint what makes two notifications "the same alert": the tool's own identity,
 *     namespaced by tool ({@code alertmanager:3f2a9c1d7b4e6a05}, {@code kuma:12},
 *     {@code direct:<caller's>}), or, when none is given, derived from everything the operator
 *     reads (severity, source, summary and labels; see {@link #isIdentified()})
 */
public record Alert(
    Severity severity,
    String source,
    String summary,
    Optional<URI> runbook,
    Map<String, String> labels,
    AlertStatus status,
    Optional<Instant> startsAt,
    String fingerprint) {

  /**
   * Validates and copies; a null or blank fingerprint is derived from severity, source, summary
   * and labels.
   */
  public Alert {
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(runbook, "runbook");
    Objects.requireNonNull(startsAt, "startsAt");
    requireText(source, "source");
    requireText(summary, "summary");
    labels = copyOf(labels);
    if (fingerprint == null || fingerprint.isBlank()) {
      fingerprint = derivedFingerprint(severity, source, summary, labels);
    }
  }

  /** A firing alert with no runbook, labels or start time. */
  public static Alert firing(Severity severity, String source, String summary) {
    return new Alert(severity, source, summary, Optional.empty(), Map.of(), AlertStatus.FIRING,
        Optional.empty(), null);
  }

  /** A resolved alert with no runbook, labels or start time. */
  public static Alert resolved(Severity severity, String source, String summary) {
    return firing(severity, source, summary).withStatus(AlertStatus.RESOLVED);
  }

  /** This alert with a runbook link ({@code null} removes it). */
  public Alert withRunbook(URI link) {
    return new Alert(severity, source, summary, Optional.ofNullable(link), labels, status,
        startsAt, fingerprint);
  }

  /** This alert with these labels; a derived fingerprint is derived anew. */
  public Alert withLabels(Map<String, String> newLabels) {
    return new Alert(severity, source, summary, runbook, newLabels, status, startsAt,
        isIdentified() ? fingerprint : null);
  }

  /** This alert with one more label (or that label replaced). */
  public Alert withLabel(String name, String value) {
    Map<String, String> more = new LinkedHashMap<>(labels);
    more.put(name, value);
    return withLabels(more);
  }

  /** This alert with another status. */
  public Alert withStatus(AlertStatus newStatus) {
    return new Alert(severity, source, summary, runbook, labels, newStatus, startsAt, fingerprint);
  }

  /** This alert with another summary; a derived fingerprint is derived anew. */
  public Alert withSummary(String newSummary) {
    return new Alert(severity, source, newSummary, runbook, labels, status, startsAt,
        isIdentified() ? fingerprint : null);
  }

  /** This alert with a start time ({@code null} removes it). */
  public Alert withStartsAt(Instant start) {
    return new Alert(severity, source, summary, runbook, labels, status,
        Optional.ofNullable(start), fingerprint);
  }

  /** This alert with the tool's own fingerprint ({@code null} derives one). */
  public Alert withFingerprint(String given) {
    return new Alert(severity, source, summary, runbook, labels, status, startsAt, given);
  }

  /** Whether the condition is over. */
  public boolean isResolved() {
    return status == AlertStatus.RESOLVED;
  }

  /** Whether this is a test notification ({@link Labels#TEST} is {@code true}), not a problem. */
  public boolean isTest() {
    return "true".equals(labels.get(Labels.TEST));
  }

  /**
   * Whether the alert carries an identity of its own (a tool's, or one its caller gave), rather
   * than a fingerprint derived from what it says. A recovery with an identity ends that alert;
   * one without ends every firing alert of its source ({@link #scopeToken()}).
   */
  public boolean isIdentified() {
    // A derived fingerprint is 16 hex digits: anything else (every decoded tool identity has
    // its "tool:" prefix) is an identity without hashing anything.
    return fingerprint.length() != 16 || fingerprint.indexOf(':') >= 0
        || !fingerprint.equals(derivedFingerprint(severity, source, summary, labels));
  }

  /**
   * What this alert's recovery ends, as a token (1 to 64 ASCII letters and digits): its
   * {@link #fingerprintToken()} when it {@link #isIdentified() has an identity}, else 16 hex
   * digits naming its source, shared by every alert of that source that has none. Transports
   * tag what a recovery may cancel with it (a Pushover emergency's tag).
   */
  public String scopeToken() {
    return isIdentified() ? fingerprintToken() : sha256Hex16("source\u0000" + source);
  }

  /**
   * The fingerprint in a form safe in URL paths, tags and headers: the fingerprint itself when
   * it is 1 to 64 ASCII letters and digits (Alertmanager's, Grafana's and derived ones are 16
   * hex digits), else 16 hex digits of its SHA-256. Stable across firing and resolved.
   */
  public String fingerprintToken() {
    return isFingerprintToken(fingerprint) ? fingerprint : sha256Hex16(fingerprint);
  }

  /**
   * Whether {@code text} has the form of a {@link #fingerprintToken()}: 1 to 64 ASCII letters
   * and digits (what delivery ledgers key on).
   */
  public static boolean isFingerprintToken(String text) {
    // No lambdas: this is on the cold path (ColdPathLambdasIT).
    if (text == null || text.isEmpty() || text.length() > 64) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
        return false;
      }
    }
    return true;
  }

  /**
   * 16 hex digits of SHA-256 over everything the operator reads: severity, source, summary and
   * the labels sorted by name (but the internal markers, whose names start with {@code __}).
   * The same notification sent twice gets the same fingerprint; a different problem from the
   * same source, or a rise in severity, gets another.
   */
  static String derivedFingerprint(Severity severity, String source, String summary,
      Map<String, String> labels) {
    StringBuilder text = new StringBuilder(severity.wireName()).append('\u0000').append(source)
        .append('\u0000').append(summary);
    for (Map.Entry<String, String> label : new TreeMap<>(labels).entrySet()) {
      if (!label.getKey().startsWith("__")) {
        text.append('\u0000').append(label.getKey()).append('=').append(label.getValue());
      }
    }
    return sha256Hex16(text.toString());
  }

  /**
   * 16 hex digits of SHA-256 over {@code text}: a stable token of any string, the one this
   * library makes identities and scopes of (and a transport may shorten its own keys with).
   */
  public static String digest(String text) {
    return sha256Hex16(text);
  }

  private static String sha256Hex16(String text) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(StandardCharsets.UTF_8));
      StringBuilder hex = new StringBuilder(16);
      for (int i = 0; i < 8; i++) {
        hex.append(Character.forDigit((hash[i] >> 4) & 0xf, 16))
            .append(Character.forDigit(hash[i] & 0xf, 16));
      }
      return hex.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private static Map<String, String> copyOf(Map<String, String> labels) {
    Objects.requireNonNull(labels, "labels");
    Map<String, String> copy = new LinkedHashMap<>();
    for (Map.Entry<String, String> label : labels.entrySet()) {
      String name = Objects.requireNonNull(label.getKey(), "label name");
      if (label.getValue() == null) {
        throw new NullPointerException("value of label " + name);
      }
      copy.put(name, label.getValue());
    }
    return Collections.unmodifiableMap(copy);
  }

  private static void requireText(String value, String field) {
    Objects.requireNonNull(value, field);
    if (value.isBlank()) {
      throw new IllegalArgumentException(field + " is blank");
    }
  }
}
