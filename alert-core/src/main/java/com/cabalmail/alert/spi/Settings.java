package com.cabalmail.alert.spi;

import com.cabalmail.alert.ConfigException;
import com.cabalmail.http.Secret;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A typed, validating view of configuration values (the environment, in production). Each
 * getter returns a usable value or a default, and records a problem naming the key when the
 * value is missing or bad; {@link #requireValid()} then throws one {@link ConfigException} with
 * all of them. Values are trimmed; blank counts as absent. Secret values never appear in
 * problems.
 */
public final class Settings {

  private final Map<String, String> values;
  private final List<String> problems = new ArrayList<>();

  private Settings(Map<String, String> values) {
    this.values = Map.copyOf(values);
  }

  /** A view over {@code values}, e.g. {@code System.getenv()}. */
  public static Settings of(Map<String, String> values) {
    return new Settings(values);
  }

  /** The value of {@code key}, if set and not blank. */
  public Optional<String> optional(String key) {
    String value = values.get(key);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }

  /** The value of {@code key}, or {@code defaultValue}. */
  public String string(String key, String defaultValue) {
    return optional(key).orElse(defaultValue);
  }

  /** The value of {@code key}; records "KEY is required (why)" when absent. */
  public String required(String key, String why) {
    Optional<String> value = optional(key);
    if (value.isEmpty()) {
      problems.add(key + " is required: " + why);
      return "";
    }
    return value.get();
  }

  /** A secret; records a problem when absent. The value never appears in a problem. */
  public Optional<Secret> secret(String key, String why) {
    Optional<String> value = optional(key);
    if (value.isEmpty()) {
      problems.add(key + " is required: " + why);
    }
    return value.map(Secret::of);
  }

  /** A secret that may be absent. */
  public Optional<Secret> optionalSecret(String key) {
    return optional(key).map(Secret::of);
  }

  /** An absolute http(s) URL, or {@code defaultValue}. */
  public URI httpUrl(String key, String defaultValue) {
    String text = string(key, defaultValue);
    if (text == null) {
      problems.add(key + " is required: an http(s) URL");
      return null;
    }
    try {
      URI uri = new URI(text);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
        return uri;
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    problems.add(key + "='" + text + "' must be an absolute http(s) URL");
    return null;
  }

  /** A whole number within {@code [min, max]}, or {@code defaultValue}. */
  public int integer(String key, int defaultValue, int min, int max) {
    Optional<String> text = optional(key);
    if (text.isEmpty()) {
      return defaultValue;
    }
    try {
      int value = Integer.parseInt(text.get());
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    problems.add(key + "='" + text.get() + "' must be a whole number from " + min + " to " + max);
    return defaultValue;
  }

  /**
   * A duration within {@code [min, max]}, or {@code defaultValue}: {@code 750ms}, {@code 5s},
   * {@code 2m}, {@code 4h}, or ISO-8601 such as {@code PT5S}.
   */
  public Duration duration(String key, Duration defaultValue, Duration min, Duration max) {
    Optional<String> text = optional(key);
    if (text.isEmpty()) {
      return defaultValue;
    }
    Duration value = parseDuration(text.get());
    if (value != null && value.compareTo(min) >= 0 && value.compareTo(max) <= 0) {
      return value;
    }
    problems.add(key + "='" + text.get() + "' must be a duration from " + describe(min) + " to "
        + describe(max) + " (e.g. 750ms, 5s, 2m)");
    return defaultValue;
  }

  /** Records a problem found by the caller; name the key in it. */
  public void problem(String message) {
    problems.add(message);
  }

  /** The problems recorded so far. */
  public List<String> problems() {
    return List.copyOf(problems);
  }

  /** Throws one exception for every problem recorded, if any. */
  public void requireValid() {
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
  }

  static Duration parseDuration(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    try {
      if (t.startsWith("pt")) {
        return Duration.parse(t.toUpperCase(Locale.ROOT));
      }
      if (t.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2).trim()));
      }
      if (t.endsWith("s")) {
        return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1).trim()));
      }
      if (t.endsWith("m")) {
        return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1).trim()));
      }
      if (t.endsWith("h")) {
        return Duration.ofHours(Long.parseLong(t.substring(0, t.length() - 1).trim()));
      }
    } catch (NumberFormatException | DateTimeParseException e) {
      return null;
    }
    return null;
  }

  private static String describe(Duration d) {
    if (d.toMillis() % 3_600_000 == 0) {
      return d.toHours() + "h";
    }
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
  }
}
