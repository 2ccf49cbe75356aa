package com.cabalmail.alert.ntfy;

import com.cabalmail.alert.Severity;
import com.cabalmail.alert.spi.Settings;
import com.cabalmail.http.Secret;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The ntfy transport's settings, read once through {@link Settings} so that every problem names
 * its key and no secret is ever printed.
 *
 * @param publishUrl where messages are posted: the base URL's root, ending in {@code /}
 * @param topics the topic for each severity
 * @param authorization the whole {@code Authorization} header value, if any
 * @param secrets every credential given, to scrub from anything the transport reports
 * @param firingTags tags for a firing alert of each severity
 * @param resolvedTags tags for a resolved alert
 * @param labelTags label names rendered as {@code name=value} tags, in this order
 * @param markdown whether ntfy renders messages as Markdown
 * @param onResolved what a recovery does to the alert's notification besides replacing it
 * @param escalationTopic where an unanswered critical alert escalates, or null: no escalation
 * @param escalateAfter after how long, whole seconds; null when {@code escalationTopic} is
 * @param quietHours when warnings are held back, or null: never
 */
record NtfySettings(
    URI publishUrl,
    Map<Severity, String> topics,
    Optional<Secret> authorization,
    List<Secret> secrets,
    Map<Severity, List<String>> firingTags,
    List<String> resolvedTags,
    List<String> labelTags,
    boolean markdown,
    OnResolved onResolved,
    String escalationTopic,
    Duration escalateAfter,
    QuietHours quietHours) {

  /** What {@value #ON_RESOLVED} asks of a recovery, after it replaced the notification. */
  enum OnResolved {
    /** Nothing more: the notification shows the recovery. */
    REPLACE,
    /** {@code PUT /<topic>/<sequence id>/clear}: marked read, dismissed from the drawer. */
    CLEAR,
    /** {@code DELETE /<topic>/<sequence id>}: removed from the drawer and the app. */
    DELETE
  }

  static final String BASE_URL = NtfyProvider.BASE_URL;
  static final String TOPIC = NtfyProvider.TOPIC;
  static final String TOKEN = NtfyProvider.TOKEN;
  static final String USER = NtfyProvider.USER;
  static final String PASSWORD = NtfyProvider.PASSWORD;
  static final String TAGS_RESOLVED = NtfyProvider.TAGS_RESOLVED;
  static final String LABEL_TAGS = NtfyProvider.LABEL_TAGS;
  static final String MARKDOWN = NtfyProvider.MARKDOWN;
  static final String ON_RESOLVED = NtfyProvider.ON_RESOLVED;
  static final String ESCALATE_TOPIC = NtfyProvider.ESCALATE_TOPIC;
  static final String ESCALATE_AFTER = NtfyProvider.ESCALATE_AFTER;
  static final String QUIET_HOURS = NtfyProvider.QUIET_HOURS;

  /** ntfy's bounds of a delay ({@code message-delay-min}, {@code message-delay-max}). */
  static final Duration MIN_DELAY = Duration.ofSeconds(10);
  static final Duration MAX_DELAY = Duration.ofDays(3);

  static final String DEFAULT_TOPIC = "alerts";
  static final String DEFAULT_LABEL_TAGS = "instance,service";
  /** Written as a tag list, means "no tags". */
  static final String NO_TAGS = "none";
  /** At most this many tags from settings per list, and this many bytes per tag. */
  static final int MAX_CONFIGURED_TAGS = 5;
  static final int MAX_TAG_BYTES = 64;

  /** ntfy's own rule for topic names. */
  private static final Pattern TOPIC_NAME = Pattern.compile("[-_A-Za-z0-9]{1,64}");
  /** What may stand in an HTTP header value: visible ASCII, no spaces. */
  private static final Pattern TOKEN_TEXT = Pattern.compile("[\\x21-\\x7e]+");
  private static final Pattern LABEL_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,63}");

  NtfySettings {
    topics = Collections.unmodifiableMap(new EnumMap<>(topics));
    secrets = List.copyOf(secrets);
    firingTags = Collections.unmodifiableMap(new EnumMap<>(firingTags));
    resolvedTags = List.copyOf(resolvedTags);
    labelTags = List.copyOf(labelTags);
  }

  /** The key of the topic for {@code severity}, e.g. {@code NTFY_TOPIC_CRITICAL}. */
  static String topicKey(Severity severity) {
    return NtfyProvider.TOPIC_PREFIX + severity.name();
  }

  /** The key of the tags of a firing alert of {@code severity}, e.g. {@code NTFY_TAGS_WARNING}. */
  static String tagsKey(Severity severity) {
    return NtfyProvider.TAGS_PREFIX + severity.name();
  }

  /** Emoji short codes ntfy shows in front of the title. */
  static String defaultTags(Severity severity) {
    switch (severity) {
      case CRITICAL:
        return "rotating_light";
      case WARNING:
        return "warning";
      default:
        return "information_source";
    }
  }

  /**
   * Reads every ntfy setting from {@code settings}, recording a problem naming the key for each
   * one missing or bad. The result is only meaningful when no problem was recorded.
   */
  static NtfySettings read(Settings settings) {
    URI publishUrl = publishUrl(settings);

    String defaultTopic = topic(settings, TOPIC, DEFAULT_TOPIC);
    Map<Severity, String> topics = new EnumMap<>(Severity.class);
    for (Severity severity : Severity.values()) {
      topics.put(severity, topic(settings, topicKey(severity), defaultTopic));
    }

    List<Secret> secrets = new ArrayList<>();
    Optional<Secret> authorization = authorization(settings, secrets);
    if (authorization.isPresent()) {
      publishUrl = settings.credentialUrl(BASE_URL, publishUrl);
    }

    Map<Severity, List<String>> firingTags = new EnumMap<>(Severity.class);
    for (Severity severity : Severity.values()) {
      firingTags.put(severity, tags(settings, tagsKey(severity), defaultTags(severity)));
    }
    List<String> resolvedTags = tags(settings, TAGS_RESOLVED, "white_check_mark");
    List<String> labelTags = labelNames(settings);
    boolean markdown = bool(settings, MARKDOWN, false);
    OnResolved onResolved = onResolved(settings);
    String escalationTopic = topic(settings, ESCALATE_TOPIC, null);
    Duration escalateAfter = settings.duration(ESCALATE_AFTER, null, MIN_DELAY, MAX_DELAY);
    if (settings.isSet(ESCALATE_AFTER) && !settings.isSet(ESCALATE_TOPIC)) {
      settings.problem(ESCALATE_AFTER + " is set but no escalation target is: set "
          + ESCALATE_TOPIC + " to the ntfy topic an unanswered critical alert escalates to");
    } else if (settings.isSet(ESCALATE_TOPIC) && !settings.isSet(ESCALATE_AFTER)) {
      settings.problem(ESCALATE_TOPIC + " is set but " + ESCALATE_AFTER + " is not: set after"
          + " how long an unanswered critical alert escalates (10s to 72h, e.g. 15m)");
    }
    if (escalationTopic == null || escalateAfter == null) {
      escalationTopic = null;
      escalateAfter = null;
    } else {
      // ntfy schedules in whole seconds: round a fraction up, never below the minimum.
      escalateAfter = Duration.ofSeconds(escalateAfter.getSeconds()
          + (escalateAfter.getNano() > 0 ? 1 : 0));
    }
    // Guarded: without the setting, QuietHours (and java.time's zone rules) is never loaded on
    // the Lambda sink's cold start.
    QuietHours quietHours = settings.isSet(QUIET_HOURS) ? QuietHours.read(settings, QUIET_HOURS)
        : null;

    return new NtfySettings(publishUrl, topics, authorization, secrets, firingTags,
        resolvedTags, labelTags, markdown, onResolved, escalationTopic, escalateAfter,
        quietHours);
  }

  private static OnResolved onResolved(Settings settings) {
    Optional<String> given = settings.optional(ON_RESOLVED);
    if (given.isEmpty()) {
      return OnResolved.REPLACE;
    }
    String text = given.get().trim().toLowerCase(Locale.ROOT);
    if (text.equals("replace")) {
      return OnResolved.REPLACE;
    }
    if (text.equals("clear")) {
      return OnResolved.CLEAR;
    }
    if (text.equals("delete")) {
      return OnResolved.DELETE;
    }
    settings.problem(ON_RESOLVED + "='" + given.get() + "' must be replace, clear or delete");
    return OnResolved.REPLACE;
  }

  /** The root of the base URL (a path such as {@code /ntfy} behind a proxy is kept). */
  private static URI publishUrl(Settings settings) {
    Optional<String> given = settings.optional(BASE_URL);
    if (given.isPresent() && given.get().contains("@")) {
      // Never echo the value: it may hold a password.
      settings.problem(BASE_URL + " must not contain credentials; set " + TOKEN + " or "
          + USER + " and " + PASSWORD + " instead");
      return null;
    }
    URI base = settings.httpUrl(BASE_URL, null);
    if (base == null) {
      return null;
    }
    if (base.getRawQuery() != null || base.getRawFragment() != null) {
      settings.problem(BASE_URL + "='" + base + "' must not have a query or fragment");
      return null;
    }
    String path = base.getRawPath() == null ? "" : base.getRawPath();
    if (!path.endsWith("/")) {
      path = path + "/";
    }
    try {
      return new URI(base.getScheme().toLowerCase(Locale.ROOT) + "://" + base.getRawAuthority()
          + path);
    } catch (URISyntaxException e) {
      settings.problem(BASE_URL + "='" + base + "' must be an absolute http(s) URL");
      return null;
    }
  }

  private static String topic(Settings settings, String key, String defaultValue) {
    Optional<String> given = settings.optional(key);
    if (given.isEmpty()) {
      return defaultValue;
    }
    if (!TOPIC_NAME.matcher(given.get()).matches()) {
      settings.problem(key + "='" + given.get()
          + "' must be 1 to 64 letters, digits, '-' or '_' (ntfy's topic rule)");
      return defaultValue;
    }
    return given.get();
  }

  private static Optional<Secret> authorization(Settings settings, List<Secret> secrets) {
    Optional<Secret> token = settings.optionalSecret(
        settings.keyOrAlias(TOKEN, NtfyProvider.PUBLISHER_TOKEN));
    Optional<String> user = settings.optional(USER);
    Optional<Secret> password = settings.optionalSecret(PASSWORD);
    // if, not ifPresent(secrets::add): read on every cold start of the Lambda sink, where each
    // method reference costs a class spun at run time.
    if (token.isPresent()) {
      secrets.add(token.get());
    }
    if (password.isPresent()) {
      secrets.add(password.get());
    }

    if (token.isPresent() && (user.isPresent() || password.isPresent())) {
      settings.problem(TOKEN + " and " + USER + "/" + PASSWORD
          + " are both set: give an access token or a user and password, not both");
      return Optional.empty();
    }
    if (token.isPresent()) {
      if (!TOKEN_TEXT.matcher(token.get().reveal()).matches()) {
        settings.problem(TOKEN + " must be the bare access token (visible ASCII, no spaces or"
            + " 'Bearer ' prefix, e.g. tk_...)");
        return Optional.empty();
      }
      Secret header = Secret.of("Bearer " + token.get().reveal());
      secrets.add(header);
      return Optional.of(header);
    }
    if (user.isPresent() != password.isPresent()) {
      settings.problem(user.isPresent()
          ? PASSWORD + " is required: " + USER + " is set"
          : USER + " is required: " + PASSWORD + " is set");
      return Optional.empty();
    }
    if (user.isPresent()) {
      if (user.get().indexOf(':') >= 0) {
        settings.problem(USER + "='" + user.get() + "' must not contain ':'");
        return Optional.empty();
      }
      String pair = user.get() + ":" + password.get().reveal();
      String encoded = Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
      secrets.add(Secret.of(encoded));
      Secret header = Secret.of("Basic " + encoded);
      secrets.add(header);
      return Optional.of(header);
    }
    return Optional.empty();
  }

  /** A loop, not codePoints().anyMatch(..): that stream's lambdas are spun on a cold start. */
  private static boolean hasControlCharacter(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (Character.isISOControl(text.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  private static List<String> tags(Settings settings, String key, String defaultValue) {
    String text = settings.string(key, defaultValue);
    if (text.equalsIgnoreCase(NO_TAGS)) {
      return List.of();
    }
    List<String> tags = new ArrayList<>();
    for (String part : text.split(",", -1)) {
      String tag = part.trim();
      if (tag.isEmpty() || hasControlCharacter(tag)
          || tag.getBytes(StandardCharsets.UTF_8).length > MAX_TAG_BYTES) {
        settings.problem(key + "='" + text + "' must be a comma-separated list of tags of 1 to "
            + MAX_TAG_BYTES + " bytes (emoji short codes such as rotating_light), or '"
            + NO_TAGS + "'");
        return List.of();
      }
      tags.add(tag);
    }
    if (tags.size() > MAX_CONFIGURED_TAGS) {
      settings.problem(key + " lists " + tags.size() + " tags; at most " + MAX_CONFIGURED_TAGS
          + " are allowed");
      return List.of();
    }
    return tags;
  }

  private static List<String> labelNames(Settings settings) {
    String text = settings.string(LABEL_TAGS, DEFAULT_LABEL_TAGS);
    if (text.equalsIgnoreCase(NO_TAGS)) {
      return List.of();
    }
    List<String> names = new ArrayList<>();
    for (String part : text.split(",", -1)) {
      String name = part.trim();
      if (!LABEL_NAME.matcher(name).matches()) {
        settings.problem(LABEL_TAGS + "='" + text + "' must be a comma-separated list of label"
            + " names (e.g. instance,service), or '" + NO_TAGS + "'");
        return List.of();
      }
      if (!names.contains(name)) {
        names.add(name);
      }
    }
    if (names.size() > MAX_CONFIGURED_TAGS) {
      settings.problem(LABEL_TAGS + " lists " + names.size() + " labels; at most "
          + MAX_CONFIGURED_TAGS + " are allowed");
      return List.of();
    }
    return names;
  }

  private static boolean bool(Settings settings, String key, boolean defaultValue) {
    Optional<String> given = settings.optional(key);
    if (given.isEmpty()) {
      return defaultValue;
    }
    String text = given.get().toLowerCase(Locale.ROOT);
    if (text.equals("true")) {
      return true;
    }
    if (text.equals("false")) {
      return false;
    }
    settings.problem(key + "='" + given.get() + "' must be true or false");
    return defaultValue;
  }

  @Override
  public String toString() {
    return "NtfySettings[publishUrl=" + publishUrl + ", topics=" + topics + ", authorization="
        + (authorization.isPresent() ? "<redacted>" : "none") + ", markdown=" + markdown
        + ", onResolved=" + onResolved.name().toLowerCase(Locale.ROOT)
        + (escalationTopic == null ? "" : ", escalation=" + escalationTopic + " after "
            + escalateAfter.getSeconds() + "s")
        + (quietHours == null ? "" : ", quietHours=" + quietHours) + "]";
  }
}
