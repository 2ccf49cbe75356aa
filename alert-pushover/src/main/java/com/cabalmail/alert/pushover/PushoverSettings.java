package com.cabalmail.alert.pushover;

import static com.cabalmail.alert.pushover.PushoverProvider.API_URL;
import static com.cabalmail.alert.pushover.PushoverProvider.APP_TOKEN;
import static com.cabalmail.alert.pushover.PushoverProvider.DEFAULT_API_URL;
import static com.cabalmail.alert.pushover.PushoverProvider.DEVICE;
import static com.cabalmail.alert.pushover.PushoverProvider.EMERGENCY_EXPIRE;
import static com.cabalmail.alert.pushover.PushoverProvider.EMERGENCY_RETRY;
import static com.cabalmail.alert.pushover.PushoverProvider.SOUND_PREFIX;
import static com.cabalmail.alert.pushover.PushoverProvider.USER_KEY;

import com.cabalmail.alert.Severity;
import com.cabalmail.alert.spi.Settings;
import com.cabalmail.http.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The transport's validated settings.
 *
 * @param appToken the application token
 * @param userKey the user or group key, or several comma-joined
 * @param apiUrl the API base, without a trailing slash
 * @param device device names, comma-joined, if not all devices
 * @param sounds sound per severity, for firing alerts
 * @param emergencyRetry interval between emergency repeats, whole seconds, at least 30 s
 * @param emergencyExpire how long emergencies repeat, whole seconds, at most 10,800 s
 */
record PushoverSettings(
    Secret appToken,
    Secret userKey,
    URI apiUrl,
    Optional<String> device,
    Map<Severity, String> sounds,
    Duration emergencyRetry,
    Duration emergencyExpire) {

  static final Duration MIN_RETRY = Duration.ofSeconds(30);
  static final Duration MAX_EXPIRE = Duration.ofSeconds(10_800);
  static final Duration DEFAULT_RETRY = Duration.ofSeconds(60);
  static final Duration DEFAULT_EXPIRE = Duration.ofSeconds(3_600);

  /** Pushover's token and key alphabet; length is left to Pushover to judge. */
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9]+");
  private static final Pattern USERS = Pattern.compile("[A-Za-z0-9]+(,[A-Za-z0-9]+)*");
  private static final Pattern DEVICES =
      Pattern.compile("[A-Za-z0-9_-]{1,25}(,[A-Za-z0-9_-]{1,25})*");
  private static final Pattern SOUND = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  PushoverSettings {
    sounds = Map.copyOf(sounds);
  }

  /** {@link #read}, as {@link Settings#read} takes it: a class, not a method reference. */
  static final java.util.function.Function<Settings, PushoverSettings> READER =
      new java.util.function.Function<>() {
        @Override
        public PushoverSettings apply(Settings settings) {
          return read(settings);
        }
      };

  /** Reads every key, recording each problem in {@code settings}; null fields where bad. */
  static PushoverSettings read(Settings settings) {
    Optional<Secret> token = settings.secret(APP_TOKEN, "the Pushover application's API token");
    // No lambdas: this is on the cold path (ColdPathLambdasIT).
    if (token.isPresent() && !TOKEN.matcher(token.get().reveal()).matches()) {
      settings.problem(APP_TOKEN + " must be letters and digits only (a Pushover application"
          + " token is 30 of [A-Za-z0-9]); the value given is not");
    }
    Optional<Secret> user = settings.secret(USER_KEY, "the Pushover user or group key to notify");
    if (user.isPresent() && !USERS.matcher(user.get().reveal()).matches()) {
      settings.problem(USER_KEY + " must be one or more user or group keys of letters and"
          + " digits, joined by commas without spaces; the value given is not");
    }

    URI api = settings.credentialUrl(API_URL, settings.httpUrl(API_URL, DEFAULT_API_URL));
    if (api != null && (api.getRawQuery() != null || api.getRawFragment() != null)) {
      settings.problem(API_URL + "='" + api + "' must not have a query or fragment");
    }

    Optional<String> device = settings.optional(DEVICE);
    if (device.isPresent() && !DEVICES.matcher(device.get()).matches()) {
      settings.problem(DEVICE + "='" + device.get() + "' must be device names of 1 to 25"
          + " letters, digits, '_' or '-', joined by commas without spaces");
    }

    Map<Severity, String> sounds = new EnumMap<>(Severity.class);
    for (Severity severity : Severity.values()) {
      String key = soundKey(severity);
      Optional<String> sound = settings.optional(key);
      if (sound.isEmpty()) {
        continue;
      }
      if (SOUND.matcher(sound.get()).matches()) {
        sounds.put(severity, sound.get());
      } else {
        settings.problem(key + "='" + sound.get() + "' must be a Pushover sound name (letters,"
            + " digits, '_' or '-', e.g. siren, persistent, none)");
      }
    }

    Duration retry = wholeSeconds(settings, EMERGENCY_RETRY,
        settings.duration(EMERGENCY_RETRY, DEFAULT_RETRY, MIN_RETRY, MAX_EXPIRE));
    Duration expire = wholeSeconds(settings, EMERGENCY_EXPIRE,
        settings.duration(EMERGENCY_EXPIRE, DEFAULT_EXPIRE, MIN_RETRY, MAX_EXPIRE));
    if (expire.compareTo(retry) < 0) {
      settings.problem(EMERGENCY_EXPIRE + " (" + expire.toSeconds() + "s) is shorter than "
          + EMERGENCY_RETRY + " (" + retry.toSeconds() + "s): an emergency would never repeat");
    }

    return new PushoverSettings(token.orElse(null), user.orElse(null),
        api == null ? null : withoutTrailingSlash(api), device, sounds, retry, expire);
  }

  /** The sound for firing alerts of {@code severity}, if one is configured. */
  Optional<String> sound(Severity severity) {
    return Optional.ofNullable(sounds.get(severity));
  }

  private static Duration wholeSeconds(Settings settings, String key, Duration value) {
    if (value.toNanosPart() != 0) {
      settings.problem(key + "='" + settings.optional(key).orElse("") + "' must be whole"
          + " seconds: Pushover counts them in seconds");
      return Duration.ofSeconds(value.toSeconds());
    }
    return value;
  }

  private static URI withoutTrailingSlash(URI uri) {
    String text = uri.toString();
    while (text.endsWith("/")) {
      text = text.substring(0, text.length() - 1);
    }
    return URI.create(text);
  }

  /** Names the key of a per-severity sound. */
  static String soundKey(Severity severity) {
    return SOUND_PREFIX + severity.name().toUpperCase(Locale.ROOT);
  }
}
