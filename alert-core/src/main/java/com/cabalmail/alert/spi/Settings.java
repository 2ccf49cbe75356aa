package com.cabalmail.alert.spi;

import com.cabalmail.alert.ConfigException;
import com.cabalmail.alert.Validated;
import com.cabalmail.http.Redaction;
import com.cabalmail.http.Secret;
import com.cabalmail.http.UrlRule;
import java.net.URI;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A typed, validating view of configuration values (the environment, in production). Each
 * getter returns a usable value or a default, and records a problem naming the key when the
 * value is missing or bad; {@link #validate} then returns them all as one {@link Validated}
 * (whose {@code orElseThrow()} throws one {@link ConfigException} with all of them). Values are
 * trimmed; blank counts as absent.
 *
 * <p><b>Secrets.</b> Plain values and secrets (e.g. read from a secret store) are held apart:
 * {@link #secret} and {@link #optionalSecret} hand a secret over as the same {@link Secret}.
 * A plain getter such as {@link #optional} or {@link #httpUrl} on a key held as a secret
 * returns its value, so that any setting may come from the secret store (a URL too); every
 * problem recorded is scrubbed of every secret value, so a secret never appears in one, even
 * when a plugin echoes the value it was given.
 *
 * <p><b>Keys read.</b> Every getter records the key it was asked for ({@link #keysRead()}), so
 * the caller can warn about a setting that nothing read.
 */
public final class Settings {

  /**
   * Set to {@code true} to let a transport send its token over plain {@code http://} to a host
   * that is not loopback (a private network the operator trusts); refused otherwise.
   */
  public static final String ALLOW_PLAIN_HTTP = UrlRule.ALLOW_PLAIN_HTTP;

  private final Map<String, String> values;
  private final Map<String, Secret> secrets;
  private final Set<String> read = Collections.synchronizedSet(new LinkedHashSet<>());
  private final List<String> problems = Collections.synchronizedList(new ArrayList<>());
  /** Plain values handed out as secrets ({@link #optionalSecret}), for {@link #redaction()}. */
  private final Set<Secret> plainSecrets = Collections.synchronizedSet(new LinkedHashSet<>());

  private Settings(Map<String, String> values, Map<String, Secret> secrets) {
    this.values = Map.copyOf(values);
    this.secrets = Map.copyOf(secrets);
  }

  /** A view over plain {@code values}, e.g. {@code System.getenv()}. */
  public static Settings of(Map<String, String> values) {
    return new Settings(values, Map.of());
  }

  /**
   * A view over plain {@code values} and {@code secrets}; a key in both is read from
   * {@code secrets}.
   */
  public static Settings of(Map<String, String> values, Map<String, Secret> secrets) {
    return new Settings(values, secrets);
  }

  /** The value of {@code key}, if set and not blank (a secret's too: see the class notes). */
  public Optional<String> optional(String key) {
    read.add(key);
    Secret secret = secrets.get(key);
    if (secret != null) {
      return Optional.of(secret.reveal().trim());
    }
    String value = values.get(key);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }

  /** Whether {@code key} is set, as a plain value or a secret; does not count as reading it. */
  public boolean isSet(String key) {
    String value = values.get(key);
    return secrets.containsKey(key) || (value != null && !value.isBlank());
  }

  /**
   * Which of {@code key} and its older name {@code alias} to read: {@code alias} when only it
   * is set, otherwise {@code key}. Both set is a problem naming both.
   */
  public String keyOrAlias(String key, String alias) {
    read.add(key);
    read.add(alias);
    if (!isSet(alias)) {
      return key;
    }
    if (isSet(key)) {
      problem(key + " and its older name " + alias + " are both set: keep one");
      return key;
    }
    return alias;
  }

  /** The value of {@code key}, or {@code defaultValue}. */
  public String string(String key, String defaultValue) {
    return optional(key).orElse(defaultValue);
  }

  /** The value of {@code key}; records "KEY is required (why)" when absent. */
  public String required(String key, String why) {
    Optional<String> value = optional(key);
    if (value.isEmpty()) {
      problem(key + " is required: " + why);
      return "";
    }
    return value.get();
  }

  /** A secret; records a problem when absent. The value never appears in a problem. */
  public Optional<Secret> secret(String key, String why) {
    Optional<Secret> value = optionalSecret(key);
    if (value.isEmpty()) {
      problem(key + " is required: " + why);
    }
    return value;
  }

  /** A secret that may be absent: the one held as a secret, else the plain value wrapped. */
  public Optional<Secret> optionalSecret(String key) {
    read.add(key);
    Secret secret = secrets.get(key);
    if (secret != null) {
      return Optional.of(secret);
    }
    String value = values.get(key);
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    Secret plain = Secret.of(value.trim());
    plainSecrets.add(plain);
    return Optional.of(plain);
  }

  /**
   * Every secret these settings hold or handed out so far: each held as a secret, and each
   * plain value read through {@link #secret} or {@link #optionalSecret}. Ask after the
   * transports are built, so that it knows all of theirs; what the sink scrubs its answers and
   * log lines with.
   */
  public Redaction redaction() {
    List<Secret> all = new ArrayList<>(secrets.values());
    synchronized (plainSecrets) {
      all.addAll(plainSecrets);
    }
    return Redaction.of(all);
  }

  /**
   * An absolute http(s) URL without credentials, or {@code defaultValue}. A URL carrying
   * {@code user:password@} is refused, and no problem ever repeats a URL's credentials: the
   * rule of {@link UrlRule#httpUrlProblem} (cabal-http), shared with the heartbeat client.
   */
  public URI httpUrl(String key, String defaultValue) {
    String text = string(key, defaultValue);
    Optional<String> refused = UrlRule.httpUrlProblem(key, text);
    if (refused.isPresent()) {
      problem(refused.get());
      return null;
    }
    return URI.create(text);
  }

  /**
   * {@code url} (read from {@code key}) if a credential may be sent to it: {@code https}, or
   * {@code http} to a loopback host ({@code localhost}, {@code 127.x.x.x}, {@code [::1]}), or
   * any {@code http} when {@value #ALLOW_PLAIN_HTTP} is {@code true}; otherwise null and a
   * problem naming the key ({@link UrlRule#plainHttpProblem}). For transports that send a
   * token; null {@code url} stays null.
   */
  public URI credentialUrl(String key, URI url) {
    if (!UrlRule.needsPlainHttpPermission(url)) {
      return url;
    }
    Optional<String> refused = UrlRule.plainHttpProblem(key, url, flag(ALLOW_PLAIN_HTTP, false));
    if (refused.isPresent()) {
      problem(refused.get());
      return null;
    }
    return url;
  }

  /** {@code true} or {@code false} (any case), or {@code defaultValue}. */
  public boolean flag(String key, boolean defaultValue) {
    Optional<String> text = optional(key);
    if (text.isEmpty()) {
      return defaultValue;
    }
    if (text.get().equalsIgnoreCase("true") || text.get().equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(text.get().toLowerCase(Locale.ROOT));
    }
    problem(key + "='" + text.get() + "' must be true or false");
    return defaultValue;
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
    problem(key + "='" + text.get() + "' must be a whole number from " + min + " to " + max);
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
    problem(key + "='" + text.get() + "' must be a duration from " + describe(min) + " to "
        + describe(max) + " (e.g. 750ms, 5s, 2m)");
    return defaultValue;
  }

  /**
   * Records a problem found by the caller; name the key in it. Every secret value is scrubbed
   * from it, and a problem already recorded is not recorded again.
   */
  public void problem(String message) {
    String scrubbed = redaction().scrub(message);
    synchronized (problems) {
      if (!problems.contains(scrubbed)) {
        problems.add(scrubbed);
      }
    }
  }

  /** The problems recorded so far. */
  public List<String> problems() {
    synchronized (problems) {
      return List.copyOf(problems);
    }
  }

  /** Every key a getter was asked for so far. */
  public Set<String> keysRead() {
    synchronized (read) {
      return Set.copyOf(read);
    }
  }

  /**
   * {@code value} if no problem was recorded, else every problem recorded as a
   * {@link Validated} failure naming its key. Composes with other outcomes
   * ({@link Validated#and}) before anything is thrown.
   */
  public <T> Validated<T> validate(T value) {
    return Validated.of(value, failures(problems()));
  }

  /** Throws one exception for every problem recorded, if any. */
  public void requireValid() {
    validate(null).orElseThrow();
  }

  /**
   * Runs {@code reader} over these settings and returns what it built, valid, or invalid with
   * the problems {@code reader} recorded (only those: problems recorded before are left for
   * {@link #validate}). A provider's {@link TransportProvider#create} calls
   * {@code read(reader).orElseThrow()}, so that it never returns a half-configured transport.
   */
  public <T> Validated<T> read(Function<Settings, T> reader) {
    int before = problems().size();
    T built = reader.apply(this);
    List<String> all = problems();
    return Validated.of(built, failures(all.subList(before, all.size())));
  }

  private static List<Validated.Failure> failures(List<String> problems) {
    List<Validated.Failure> failures = new ArrayList<>(problems.size());
    for (String problem : problems) {
      failures.add(Validated.Failure.of(problem));
    }
    return failures;
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
