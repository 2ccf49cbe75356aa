package com.cabalmail.alert.ntfy;

import com.cabalmail.alert.ConfigException;
import com.cabalmail.alert.Severity;
import com.cabalmail.alert.spi.Settings;
import com.cabalmail.http.Secret;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The ntfy transport's configuration, typed, for embedders that build a transport without an
 * environment: {@code NtfyProvider.transport(NtfyConfig.builder(URI.create("https://ntfy.example.com"))
 * .token(token).build())}. Validated exactly as {@link NtfyProvider#create} validates the
 * environment (the same reader), so a bad value is a {@link ConfigException} naming the setting
 * key it stands for, e.g. {@code NTFY_TOPIC}.
 */
public final class NtfyConfig {

  private final NtfySettings settings;
  private final Clock clock;

  NtfyConfig(NtfySettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
  }

  /** Starts a configuration for the server at {@code baseUrl}. */
  public static Builder builder(URI baseUrl) {
    return new Builder(baseUrl);
  }

  NtfySettings settings() {
    return settings;
  }

  Clock clock() {
    return clock;
  }

  @Override
  public String toString() {
    return "NtfyConfig" + settings.toString().substring("NtfySettings".length());
  }

  /** Collects the optional values; {@link #build()} validates them all at once. */
  public static final class Builder {
    private final Map<String, Secret> secrets = new HashMap<>();
    private final Map<String, String> values = new HashMap<>();
    private Clock clock = Clock.systemUTC();

    private Builder(URI baseUrl) {
      values.put(NtfyProvider.BASE_URL, Objects.requireNonNull(baseUrl, "baseUrl").toString());
    }

    /** The topic of every severity without its own, default {@code alerts}. */
    public Builder topic(String topic) {
      return value(NtfyProvider.TOPIC, topic);
    }

    /** The topic of {@code severity}. */
    public Builder topic(Severity severity, String topic) {
      return value(NtfySettings.topicKey(severity), topic);
    }

    /** An access token, sent as {@code Authorization: Bearer}. */
    public Builder token(Secret token) {
      return secret(NtfyProvider.TOKEN, token);
    }

    /** A user and password for Basic auth, instead of a token. */
    public Builder basicAuth(String user, Secret password) {
      return value(NtfyProvider.USER, user).secret(NtfyProvider.PASSWORD, password);
    }

    /** The tags of firing alerts of {@code severity}, comma-joined, or {@code none}. */
    public Builder tags(Severity severity, String tags) {
      return value(NtfySettings.tagsKey(severity), tags);
    }

    /** The tags of resolved alerts, comma-joined, or {@code none}. */
    public Builder resolvedTags(String tags) {
      return value(NtfyProvider.TAGS_RESOLVED, tags);
    }

    /** The label names shown as {@code name=value} tags, comma-joined, or {@code none}. */
    public Builder labelTags(String labels) {
      return value(NtfyProvider.LABEL_TAGS, labels);
    }

    /** Whether ntfy renders messages as Markdown. */
    public Builder markdown(boolean markdown) {
      return value(NtfyProvider.MARKDOWN, Boolean.toString(markdown));
    }

    /**
     * What a recovery does besides replacing the alert's notification: {@code replace} (nothing
     * more, the default), {@code clear} or {@code delete} ({@value NtfyProvider#ON_RESOLVED}).
     */
    public Builder onResolved(String mode) {
      return value(NtfyProvider.ON_RESOLVED, mode);
    }

    /**
     * Escalates a critical alert nobody acknowledged or resolved within {@code after} (10 s to
     * 3 days) to {@code topic}: a message ntfy holds back until then.
     */
    public Builder escalation(String topic, Duration after) {
      return value(NtfyProvider.ESCALATE_TOPIC, topic)
          .value(NtfyProvider.ESCALATE_AFTER, Objects.requireNonNull(after, "after").toString());
    }

    /** Holds warnings back during a daily window, e.g. {@code 22:00-07:00 Europe/Berlin}. */
    public Builder quietHours(String window) {
      return value(NtfyProvider.QUIET_HOURS, window);
    }

    /** The clock quiet hours are read on; the system's by default (tests set their own). */
    public Builder clock(Clock wallClock) {
      this.clock = Objects.requireNonNull(wallClock, "clock");
      return this;
    }

    private Builder value(String key, String value) {
      values.put(key, value);
      return this;
    }

    private Builder secret(String key, Secret secret) {
      secrets.put(key, secret);
      return this;
    }

    /** Validates; throws one {@link ConfigException} naming each bad value by its key. */
    public NtfyConfig build() {
      return new NtfyConfig(Settings.of(values, secrets).read(NtfySettings::read).orElseThrow(),
          clock);
    }
  }
}
