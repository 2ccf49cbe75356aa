package com.cabalmail.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * A credential that never prints itself: {@code toString()} is {@code <redacted>}, so a secret
 * logged, put in an exception message or serialised by accident shows nothing.
 */
public final class Secret {

  private final String value;

  private Secret(String value) {
    this.value = value;
  }

  /** Wraps a non-blank value. The exception message never contains the value. */
  public static Secret of(String value) {
    Objects.requireNonNull(value, "secret value");
    if (value.isBlank()) {
      throw new IllegalArgumentException("secret value is blank");
    }
    return new Secret(value);
  }

  /** The secret itself, for the one place that must send it. */
  public String reveal() {
    return value;
  }

  /** Compares {@code candidate} with this secret in time independent of where they differ. */
  public boolean matches(byte[] candidate) {
    return candidate != null
        && MessageDigest.isEqual(value.getBytes(StandardCharsets.UTF_8), candidate);
  }

  /** {@code text} with every occurrence of this secret replaced by {@code <redacted>}. */
  public String scrub(String text) {
    return text == null ? null : text.replace(value, "<redacted>");
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Secret
        && MessageDigest.isEqual(
            value.getBytes(StandardCharsets.UTF_8),
            ((Secret) other).value.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public int hashCode() {
    return 0x5ec7e7; // constant: a hash would leak information about the value
  }

  @Override
  public String toString() {
    return "<redacted>";
  }
}
