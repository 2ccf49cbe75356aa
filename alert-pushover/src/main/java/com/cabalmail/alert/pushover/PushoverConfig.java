package com.cabalmail.alert.pushover;

import com.cabalmail.alert.ConfigException;
import com.cabalmail.alert.Severity;
import com.cabalmail.alert.spi.Settings;
import com.cabalmail.http.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The Pushover transport's configuration, typed, for embedders that build a transport without
 * an environment: {@code PushoverProvider.transport(PushoverConfig.builder(token, user)
 * .device("phone").build())}. Validated exactly as {@link PushoverProvider#create} validates
 * the environment (the same reader), so a bad value is a {@link ConfigException} naming the
 * setting key it stands for, e.g. {@code PUSHOVER_DEVICE}.
 */
public final class PushoverConfig {

  private final PushoverSettings settings;

  PushoverConfig(PushoverSettings settings) {
    this.settings = settings;
  }

  /** Starts a configuration with the two required credentials. */
  public static Builder builder(Secret appToken, Secret userKey) {
    return new Builder(appToken, userKey);
  }

  PushoverSettings settings() {
    return settings;
  }

  @Override
  public String toString() {
    return "PushoverConfig[apiUrl=" + settings.apiUrl() + ", device=" + settings.device()
        + ", sounds=" + settings.sounds() + ", emergencyRetry=" + settings.emergencyRetry()
        + ", emergencyExpire=" + settings.emergencyExpire() + "]";
  }

  /** Collects the optional values; {@link #build()} validates them all at once. */
  public static final class Builder {
    private final Map<String, Secret> secrets = new HashMap<>();
    private final Map<String, String> values = new HashMap<>();

    private Builder(Secret appToken, Secret userKey) {
      secrets.put(PushoverProvider.APP_TOKEN, Objects.requireNonNull(appToken, "appToken"));
      secrets.put(PushoverProvider.USER_KEY, Objects.requireNonNull(userKey, "userKey"));
    }

    /** The API base, default {@value PushoverProvider#DEFAULT_API_URL}. */
    public Builder apiUrl(URI url) {
      return value(PushoverProvider.API_URL, url.toString());
    }

    /** Device names, comma-joined, instead of all the user's devices. */
    public Builder device(String devices) {
      return value(PushoverProvider.DEVICE, devices);
    }

    /** The sound of firing alerts of {@code severity}. */
    public Builder sound(Severity severity, String sound) {
      return value(PushoverSettings.soundKey(severity), sound);
    }

    /** How often an emergency (priority 2) repeats: whole seconds, 30 s or more. */
    public Builder emergencyRetry(Duration interval) {
      return value(PushoverProvider.EMERGENCY_RETRY, interval.toString());
    }

    /** How long an emergency repeats: whole seconds, at most 10,800 s. */
    public Builder emergencyExpire(Duration period) {
      return value(PushoverProvider.EMERGENCY_EXPIRE, period.toString());
    }

    private Builder value(String key, String value) {
      values.put(key, value);
      return this;
    }

    /** Validates; throws one {@link ConfigException} naming each bad value by its key. */
    public PushoverConfig build() {
      return new PushoverConfig(
          Settings.of(values, secrets).read(PushoverSettings.READER).orElseThrow());
    }
  }
}
