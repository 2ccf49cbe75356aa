package com.cabalmail.alert.ntfy;

import com.cabalmail.alert.Alert;
import com.cabalmail.alert.Labels;
import com.cabalmail.http.Json;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The JSON body ntfy receives for one alert: {@code topic}, {@code title}, {@code message},
 * {@code priority}, {@code tags}, {@code click}, {@code actions} and {@code markdown}, written
 * through the shared {@link Json} factory so any Unicode arrives as sent. The title starts with
 * {@code [CRITICAL]}, {@code [RESOLVED]} or {@code [TEST]}. Buttons: runbook, dashboard, panel,
 * silence, source (at most {@value #MAX_ACTIONS}); {@code click} opens the runbook, else the
 * dashboard, panel or source, never the silence page. A runbook that is not a link
 * ({@link Labels#RUNBOOK_TEXT}) is a line of the message.
 *
 * <p>Limits, all in UTF-8 bytes and cut on a code-point boundary with a visible {@value #CUT}:
 * the message at most {@value #MAX_MESSAGE_BYTES} (above it ntfy makes the message an
 * attachment), the title at most {@value #MAX_TITLE_BYTES}, each tag at most
 * {@value #MAX_TAG_BYTES}; a link longer than {@value #MAX_URL_BYTES} is not made a button.
 * The whole document stays within {@value #MAX_JSON_BYTES} (ntfy's 41303): when escaping makes
 * it longer, the summary is cut further; the notes after it are kept.
 *
 * <p>Control characters are replaced, the same way every time: in the message, {@code CR LF},
 * {@code CR} and {@code NEL} become {@code LF}, tab and {@code LF} stay; in the title and tags
 * every line break or tab becomes a space. Every other C0/C1 control character ({@code DEL}
 * included) and every unpaired surrogate becomes U+FFFD. Nothing else is touched: combining
 * marks, joiners and direction marks are data. A comma in a label tag becomes a space, since
 * ntfy splits tags on commas.
 */
final class NtfyMessage {

  static final int MAX_MESSAGE_BYTES = 4096;
  static final int MAX_TITLE_BYTES = 256;
  static final int MAX_TAG_BYTES = NtfySettings.MAX_TAG_BYTES;
  static final int MAX_URL_BYTES = 1024;
  static final int MAX_NOTE_BYTES = 512;
  static final int MAX_JSON_BYTES = 8192;
  static final int MAX_ACTIONS = 3;
  static final String CUT = "…";

  private static final char REPLACEMENT = '\uFFFD';
  /** What a tap on the notification may open: never the "new silence" page. */
  private static final java.util.Set<String> CLICKABLE =
      java.util.Set.of("Runbook", "Dashboard", "Panel", "Source");
  private static final String NOTES_SEPARATOR = "\n\n";
  /** The notes give way to the summary below this many bytes of it. */
  private static final int MIN_SUMMARY_BYTES = 64;

  private NtfyMessage() {}

  /** A link shown as a {@code view} button. */
  record Action(String label, String url) {}

  /** The body for {@code alert} at {@code priority} (1 to 5), at most {@value #MAX_JSON_BYTES}. */
  static byte[] render(Alert alert, int priority, NtfySettings settings) {
    String topic = settings.topics().get(alert.severity());
    String marker = alert.isTest() ? "[TEST] " : alert.isResolved() ? "[RESOLVED] "
        : "[" + alert.severity().name() + "] ";
    String title = fit(singleLine(marker + alert.source()), MAX_TITLE_BYTES);
    List<String> tags = tags(alert, settings);

    List<Action> actions = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    truncatedAlertsNote(alert).ifPresent(notes::add);
    link(alert.runbook().map(URI::toString), "Runbook", actions, notes);
    label(alert, Labels.RUNBOOK_TEXT)
        .ifPresent(text -> notes.add(fit(singleLine("Runbook: " + text), MAX_NOTE_BYTES)));
    link(label(alert, Labels.DASHBOARD_URL), "Dashboard", actions, notes);
    link(label(alert, Labels.PANEL_URL), "Panel", actions, notes);
    link(label(alert, Labels.SILENCE_URL), "Silence", actions, notes);
    link(label(alert, Labels.GENERATOR_URL), "Source", actions, notes);
    label(alert, Labels.SEVERITY_ASSUMED)
        .ifPresent(why -> notes.add(fit(singleLine("Severity assumed: " + why), MAX_NOTE_BYTES)));
    String summary = multiLine(alert.summary());
    String trailer = notes.isEmpty() ? "" : NOTES_SEPARATOR + String.join("\n", notes);

    String message = compose(summary, trailer, MAX_MESSAGE_BYTES, Integer.MAX_VALUE);
    byte[] json = write(topic, title, message, priority, tags, actions, settings.markdown());
    // Escaping can make the document longer than ntfy accepts: give the message what is left.
    while (json.length > MAX_JSON_BYTES) {
      int room = MAX_JSON_BYTES - (json.length - jsonLength(message));
      if (room < 0) {
        // Cannot happen: the other fields are capped (title 256 B, 10 tags of 64 B, 4 links of
        // 1 KiB, escapes included at most ~6.3 KB), so the message keeps ~1.9 KB at worst.
        return json;
      }
      message = compose(summary, trailer, MAX_MESSAGE_BYTES, room);
      json = write(topic, title, message, priority, tags, actions, settings.markdown());
    }
    return json;
  }

  private static byte[] write(String topic, String title, String message, int priority,
      List<String> tags, List<Action> actions, boolean markdown) {
    return Json.write(json -> {
      json.writeStartObject();
      json.writeStringField("topic", topic);
      json.writeStringField("title", title);
      json.writeStringField("message", message);
      json.writeNumberField("priority", priority);
      if (!tags.isEmpty()) {
        json.writeArrayFieldStart("tags");
        for (String tag : tags) {
          json.writeString(tag);
        }
        json.writeEndArray();
      }
      Optional<Action> click = actions.stream()
          .filter(action -> CLICKABLE.contains(action.label())).findFirst();
      if (click.isPresent()) {
        json.writeStringField("click", click.get().url());
      }
      if (!actions.isEmpty()) {
        json.writeArrayFieldStart("actions");
        for (Action action : actions) {
          json.writeStartObject();
          json.writeStringField("action", "view");
          json.writeStringField("label", action.label());
          json.writeStringField("url", action.url());
          json.writeEndObject();
        }
        json.writeEndArray();
      }
      if (markdown) {
        json.writeBooleanField("markdown", true);
      }
      json.writeEndObject();
    });
  }

  /**
   * The summary and the notes within {@code maxBytes} of UTF-8 and {@code maxJson} bytes once
   * escaped in JSON; the notes are kept whole when they leave the summary some room.
   */
  static String compose(String summary, String trailer, int maxBytes, int maxJson) {
    String whole = summary + trailer;
    if (utf8Length(whole) <= maxBytes && jsonLength(whole) <= maxJson) {
      return whole;
    }
    int trailerBytes = utf8Length(trailer);
    int trailerJson = jsonLength(trailer);
    if (trailerBytes + MIN_SUMMARY_BYTES <= maxBytes
        && trailerJson + MIN_SUMMARY_BYTES <= maxJson) {
      return fit(summary, maxBytes - trailerBytes, maxJson - trailerJson) + trailer;
    }
    return fit(whole, maxBytes, maxJson);
  }

  /** Status tags, then {@code name=value} tags of the configured labels the alert has. */
  private static List<String> tags(Alert alert, NtfySettings settings) {
    List<String> tags = new ArrayList<>(alert.isResolved()
        ? settings.resolvedTags() : settings.firingTags().get(alert.severity()));
    for (String name : settings.labelTags()) {
      String value = alert.labels().get(name);
      if (value != null && !value.isBlank()) {
        // ntfy joins the tags with commas and splits them again: a comma would split this one.
        String tag = singleLine(name + "=" + value.strip()).replace(',', ' ');
        tags.add(fit(tag, MAX_TAG_BYTES));
      }
    }
    return tags;
  }

  private static Optional<String> label(Alert alert, String name) {
    String value = alert.labels().get(name);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
  }

  private static Optional<String> truncatedAlertsNote(Alert alert) {
    return label(alert, Labels.TRUNCATED_ALERTS).flatMap(count -> {
      try {
        long n = Long.parseLong(count);
        return n > 0 ? Optional.of("+" + n + (n == 1 ? " alert" : " alerts") + " not shown")
            : Optional.empty();
      } catch (NumberFormatException e) {
        return Optional.of(fit(singleLine("+" + count + " alerts not shown"), MAX_NOTE_BYTES));
      }
    });
  }

  /**
   * A usable http(s) link becomes a button while there is room; one ntfy would refuse (another
   * scheme: its 40013) or one too long becomes a line of the message instead, so it is not lost.
   */
  private static void link(Optional<String> text, String label, List<Action> actions,
      List<String> notes) {
    if (text.isEmpty()) {
      return;
    }
    Optional<String> url = httpUrl(text.get());
    if (url.isPresent()) {
      if (actions.size() < MAX_ACTIONS) {
        actions.add(new Action(label, url.get()));
      }
    } else {
      notes.add(fit(singleLine(label + ": " + text.get()), MAX_NOTE_BYTES));
    }
  }

  /** {@code text} as an absolute http(s) URL in ASCII form, if it is one and short enough. */
  static Optional<String> httpUrl(String text) {
    try {
      URI uri = new URI(text);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
        // ntfy compares the scheme in lower case: "HTTPS://" would be refused.
        String ascii = scheme + uri.toASCIIString().substring(scheme.length());
        if (ascii.length() <= MAX_URL_BYTES) {
          return Optional.of(ascii);
        }
      }
    } catch (URISyntaxException e) {
      // not a link: shown as text
    }
    return Optional.empty();
  }

  /** {@code text} within {@code maxBytes} of UTF-8, cut on a code point with {@value #CUT}. */
  static String fit(String text, int maxBytes) {
    return fit(text, maxBytes, Integer.MAX_VALUE);
  }

  /**
   * {@code text} within {@code maxBytes} of UTF-8 and {@code maxJson} bytes as a JSON string's
   * content, cut on a code point with {@value #CUT}.
   */
  static String fit(String text, int maxBytes, int maxJson) {
    if (utf8Length(text) <= maxBytes && jsonLength(text) <= maxJson) {
      return text;
    }
    int roomBytes = maxBytes - utf8Length(CUT);
    int roomJson = maxJson - jsonLength(CUT);
    if (roomBytes < 0 || roomJson < 0) {
      return "";
    }
    int bytes = 0;
    int json = 0;
    int end = 0;
    while (end < text.length()) {
      int codePoint = text.codePointAt(end);
      int size = utf8Length(codePoint);
      int escaped = jsonLength(codePoint);
      if (bytes + size > roomBytes || json + escaped > roomJson) {
        break;
      }
      bytes += size;
      json += escaped;
      end += Character.charCount(codePoint);
    }
    return text.substring(0, end) + CUT;
  }

  /** For the message: line breaks unified to LF, tab kept, other controls replaced. */
  static String multiLine(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\r') {
        out.append('\n');
        if (i + 1 < text.length() && text.charAt(i + 1) == '\n') {
          i++;
        }
      } else if (c == '\n' || c == '\t' || c == '\u0085') {
        out.append(c == '\t' ? '\t' : '\n');
      } else {
        i = appendChecked(text, i, out);
      }
    }
    return out.toString();
  }

  /** For the title and tags: every line break and tab a space, other controls replaced. */
  static String singleLine(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\r') {
        out.append(' ');
        if (i + 1 < text.length() && text.charAt(i + 1) == '\n') {
          i++;
        }
      } else if (c == '\n' || c == '\t' || c == '\u0085' || c == '\u2028' || c == '\u2029') {
        out.append(' ');
      } else {
        i = appendChecked(text, i, out);
      }
    }
    return out.toString();
  }

  /** Appends the character at {@code i} or its replacement; returns the last index used. */
  private static int appendChecked(String text, int i, StringBuilder out) {
    char c = text.charAt(i);
    if (Character.isISOControl(c)) {
      out.append(REPLACEMENT);
      return i;
    }
    if (Character.isHighSurrogate(c)) {
      if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        out.append(c).append(text.charAt(i + 1));
        return i + 1;
      }
      out.append(REPLACEMENT);
      return i;
    }
    out.append(Character.isLowSurrogate(c) ? REPLACEMENT : c);
    return i;
  }

  static int utf8Length(String text) {
    int bytes = 0;
    for (int i = 0; i < text.length(); ) {
      int codePoint = text.codePointAt(i);
      bytes += utf8Length(codePoint);
      i += Character.charCount(codePoint);
    }
    return bytes;
  }

  /** The bytes {@code text} takes inside a JSON string as this transport's generator writes it. */
  static int jsonLength(String text) {
    int bytes = 0;
    for (int i = 0; i < text.length(); ) {
      int codePoint = text.codePointAt(i);
      bytes += jsonLength(codePoint);
      i += Character.charCount(codePoint);
    }
    return bytes;
  }

  /** Quote and backslash take a backslash more; other controls than LF and tab are never sent. */
  private static int jsonLength(int codePoint) {
    if (codePoint == '"' || codePoint == '\\' || codePoint == '\n' || codePoint == '\t') {
      return 2;
    }
    return codePoint < 0x20 ? 6 : utf8Length(codePoint);
  }

  private static int utf8Length(int codePoint) {
    if (codePoint < 0x80) {
      return 1;
    }
    if (codePoint < 0x800) {
      return 2;
    }
    return codePoint < 0x10000 ? 3 : 4;
  }
}
