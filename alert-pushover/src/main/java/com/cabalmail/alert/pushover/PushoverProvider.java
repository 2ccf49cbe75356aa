package com.cabalmail.alert.pushover;

import com.cabalmail.alert.Severity;
import com.cabalmail.alert.spi.Settings;
import com.cabalmail.alert.spi.Transport;
import com.cabalmail.alert.spi.TransportProvider;
import com.cabalmail.http.HttpDelivery;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code pushover} transport: alerts as Pushover notifications through the Messages API,
 * priorities -2 to 2 (recoveries at -1 unless the routing table says otherwise).
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><td>{@value #APP_TOKEN}</td><td>the application's API token (secret, required)</td></tr>
 *   <tr><td>{@value #USER_KEY}</td><td>the user or group key to notify (secret, required)</td></tr>
 *   <tr><td>{@value #API_URL}</td><td>API base URL, default {@value #DEFAULT_API_URL}</td></tr>
 *   <tr><td>{@value #DEVICE}</td><td>device names, comma-separated (default: all devices)</td></tr>
 *   <tr><td>{@code PUSHOVER_SOUND_CRITICAL}, {@code _WARNING}, {@code _INFO}</td>
 *       <td>sound of firing alerts per severity (default: the user's)</td></tr>
 *   <tr><td>{@value #EMERGENCY_RETRY}</td><td>how often priority 2 repeats, 30s or more,
 *       default 60s</td></tr>
 *   <tr><td>{@value #EMERGENCY_EXPIRE}</td><td>how long priority 2 repeats, at most 10800s,
 *       default 3600s</td></tr>
 * </table>
 *
 * <p>A firing alert at priority 2 is tagged with its fingerprint; when it resolves, the
 * transport first cancels every repeat carrying that tag, then sends the recovery. Nothing is
 * remembered between calls.
 */
public final class PushoverProvider implements TransportProvider {

  /** The application's API token. */
  public static final String APP_TOKEN = "PUSHOVER_APP_TOKEN";
  /** The user or group key (several comma-joined) to notify. */
  public static final String USER_KEY = "PUSHOVER_USER_KEY";
  /** Base URL of the API, for proxies and tests. */
  public static final String API_URL = "PUSHOVER_API_URL";
  /** Device names to notify instead of all the user's devices. */
  public static final String DEVICE = "PUSHOVER_DEVICE";
  /** Prefix of the per-severity sound keys, e.g. {@code PUSHOVER_SOUND_CRITICAL}. */
  public static final String SOUND_PREFIX = "PUSHOVER_SOUND_";
  /** Interval between the repeats of an emergency (priority 2) notification. */
  public static final String EMERGENCY_RETRY = "PUSHOVER_EMERGENCY_RETRY";
  /** How long an unacknowledged emergency notification keeps repeating. */
  public static final String EMERGENCY_EXPIRE = "PUSHOVER_EMERGENCY_EXPIRE";
  /** The real API. */
  public static final String DEFAULT_API_URL = "https://api.pushover.net";

  private static final Priorities PRIORITIES = new Priorities(-2, 2, -1);
  private static final List<String> SETTING_KEYS = settingKeyList();

  /** For {@link java.util.ServiceLoader}; cheap. */
  public PushoverProvider() {}

  @Override
  public String name() {
    return "pushover";
  }

  /** -2 (no notification) to 2 (emergency, repeats until acknowledged); quiet is -1. */
  @Override
  public Priorities priorities() {
    return PRIORITIES;
  }

  @Override
  public List<String> settingKeys() {
    return SETTING_KEYS;
  }

  private static List<String> settingKeyList() {
    List<String> keys = new ArrayList<>(List.of(APP_TOKEN, USER_KEY, API_URL, DEVICE,
        EMERGENCY_RETRY, EMERGENCY_EXPIRE));
    for (Severity severity : Severity.values()) {
      keys.add(PushoverSettings.soundKey(severity));
    }
    return List.copyOf(keys);
  }

  /**
   * Reads the settings above; throws a {@link com.cabalmail.alert.ConfigException} naming each
   * missing or bad one, never a transport that could not deliver.
   */
  @Override
  public Transport create(Settings settings) {
    return transport(new PushoverConfig(settings.read(PushoverSettings.READER).orElseThrow()));
  }

  /** A transport for an embedder's {@link PushoverConfig}, with no settings map at all. */
  public static Transport transport(PushoverConfig config) {
    return new PushoverTransport(config.settings(), HttpDelivery.shared());
  }
}
