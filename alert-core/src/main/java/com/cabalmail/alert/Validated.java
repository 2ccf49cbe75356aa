package com.cabalmail.alert;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of reading configuration, as a value: either valid, holding what was built, or
 * invalid, holding every {@link Failure} found, each naming its setting. Immutable. Outcomes
 * compose with {@link #and}, which keeps the failures of both, so a whole configuration is read
 * before anything is thrown; {@link #orElseThrow()} then throws one {@link ConfigException}
 * listing them all. Modelled on Micrometer's {@code Validated}.
 *
 * @param <T> what a valid outcome holds
 */
public final class Validated<T> {

  /**
   * One problem: the setting (key) it is about, empty when it is about no one setting, and the
   * message the operator reads, which names the key itself and never a secret value.
   */
  public record Failure(String property, String message) {

    /** Validates. */
    public Failure {
      Objects.requireNonNull(property, "property");
      Objects.requireNonNull(message, "message");
    }

    /**
     * A failure whose message starts with the key it is about (as every settings problem does:
     * {@code KEY is required: ...}, {@code KEY='x' must be ...}); the key is that leading run
     * of upper-case letters, digits and underscores, or empty when the message starts
     * otherwise.
     */
    public static Failure of(String message) {
      int end = 0;
      while (end < message.length() && isKeyChar(message.charAt(end))) {
        end++;
      }
      return new Failure(end > 1 ? message.substring(0, end) : "", message);
    }

    private static boolean isKeyChar(char c) {
      return c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_';
    }
  }

  private final T value;
  private final List<Failure> failures;

  private Validated(T value, List<Failure> failures) {
    this.value = value;
    this.failures = failures;
  }

  /** A valid outcome holding {@code value} (which may be null: "nothing to build"). */
  public static <T> Validated<T> valid(T value) {
    return new Validated<>(value, List.of());
  }

  /** An invalid outcome with one failure about {@code property}. */
  public static <T> Validated<T> invalid(String property, String message) {
    return new Validated<>(null, List.of(new Failure(property, message)));
  }

  /**
   * {@code value} when {@code failures} is empty, else an invalid outcome with them; a failure
   * listed twice is kept once.
   */
  public static <T> Validated<T> of(T value, List<Failure> failures) {
    if (failures.isEmpty()) {
      return valid(value);
    }
    List<Failure> distinct = new ArrayList<>(failures.size());
    for (Failure failure : failures) {
      if (!distinct.contains(Objects.requireNonNull(failure, "failure"))) {
        distinct.add(failure);
      }
    }
    return new Validated<>(null, List.copyOf(distinct));
  }

  /** Whether nothing failed. */
  public boolean isValid() {
    return failures.isEmpty();
  }

  /** Every failure, in the order found; empty when valid. */
  public List<Failure> failures() {
    return failures;
  }

  /**
   * Both outcomes together: valid, holding {@code other}'s value, when both are valid; else
   * invalid with this one's failures, then {@code other}'s (each once).
   */
  public <U> Validated<U> and(Validated<U> other) {
    if (failures.isEmpty()) {
      return other;
    }
    List<Failure> all = new ArrayList<>(failures);
    all.addAll(other.failures);
    return of(null, all);
  }

  /**
   * The value, when valid; else throws one {@link ConfigException} with every failure's
   * message.
   */
  public T orElseThrow() {
    if (failures.isEmpty()) {
      return value;
    }
    List<String> messages = new ArrayList<>(failures.size());
    for (Failure failure : failures) {
      messages.add(failure.message());
    }
    throw new ConfigException(messages);
  }

  @Override
  public String toString() {
    return failures.isEmpty() ? "Valid[" + value + "]" : "Invalid" + failures;
  }
}
