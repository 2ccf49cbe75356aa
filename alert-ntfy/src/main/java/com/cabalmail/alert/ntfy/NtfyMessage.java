package com.cabalmail.alert.ntfy;

import com.cabalmail.alert.Alert;
import com.cabalmail.alert.Labels;
import com.cabalmail.http.Json;
import com.cabalmail.http.Text;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The JSON body ntfy receives for one alert: {@code topic}, {@code sequence_id}, {@code title},
 * {@code message}, {@code priority}, {@code tags}, {@code click}, {@code actions},
 * {@code markdown} and {@code delay}, written
 * through the shared {@link Json} factory so any Unicode arrives as sent. The title starts with
 * {@code [CRITICAL]}, {@code [RESOLVED]} or {@code [TEST]}. Buttons: <b>Acknowledge</b> and
 * <b>Silence 4h</b> ({@code http} POSTs to the sink's capability URLs, {@link Labels#ACK_URL}
 * and {@link Labels#SILENCE_ACTION}, on a firing alert that carries them), then runbook,
 * dashboard, panel, silence, source (at most {@value #MAX_ACTIONS}); {@code click} opens the runbook, else the
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
 * <p>Text follows the one rule of every channel, {@link Text}: the message is
 * {@link Text#multiLine}, the title and tags {@link Text#singleLine}, links
 * {@link Text#link}s sent in ASCII form. A comma in a label tag becomes a space, since ntfy
 * splits tags on commas.
 */
final class NtfyMessage {

  static final int MAX_MESSAGE_BYTES = 4096;
  static final int MAX_TITLE_BYTES = 256;
  static final int MAX_TAG_BYTES = NtfySettings.MAX_TAG_BYTES;
  static final int MAX_URL_BYTES = 1024;
  static final int MAX_NOTE_BYTES = 512;
  static final int MAX_JSON_BYTES = 8192;
  static final int MAX_ACTIONS = 3;
  static final String CUT = Text.MARK;

  /** What a tap on the notification may open: never the "new silence" page. */
  private static final java.util.Set<String> CLICKABLE =
      java.util.Set.of("Runbook", "Dashboard", "Panel", "Source");
  private static final String NOTES_SEPARATOR = "\n\n";
  /** The notes give way to the summary below this many bytes of it. */
  private static final int MIN_SUMMARY_BYTES = 64;

  private NtfyMessage() {}

  /** A link shown as a {@code view} button, or, {@code post}, an {@code http} POST button. */
  record Action(String label, String url, boolean post) {}

  /** The body for {@code alert} at {@code priority} (1 to 5), at most {@value #MAX_JSON_BYTES}. */
  static byte[] render(Alert alert, int priority, NtfySettings settings) {
    return render(alert, priority, settings, settings.topics().get(alert.severity()), null, null,
        null, null);
  }

  /**
   * The body for {@code alert} at {@code priority} on {@code topic}.
   *
   * @param marker what the title starts with, e.g. {@code "[ESCALATED] "}; null: the alert's
   *     own ({@code [CRITICAL]}, {@code [RESOLVED]}, {@code [TEST]}...)
   * @param sequenceId the {@code sequence_id}, or null for none
   * @param delay the {@code delay} (a Unix time or {@code 900s}), or null to deliver at once
   * @param note a line shown above the summary, or null
   */
  static byte[] render(Alert alert, int priority, NtfySettings settings, String topic,
      String marker, String sequenceId, String delay, String note) {
    if (marker == null) {
      marker = alert.isTest() ? "[TEST] " : alert.isResolved() ? "[RESOLVED] "
          : "[" + alert.severity().name() + "] ";
    }
    String title = fit(Text.singleLine(marker + alert.source()), MAX_TITLE_BYTES);
    List<String> tags = tags(alert, settings);

    // No lambdas: this is on the cold path (ColdPathLambdasIT).
    List<Action> actions = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    if (!alert.isResolved()) {
      // The sink's capability URLs (never the shared secret) come first: the buttons that act.
      post(label(alert, Labels.ACK_URL), "Acknowledge", actions);
      post(label(alert, Labels.SILENCE_ACTION), "Silence 4h", actions);
    }
    String truncated = truncatedAlertsNote(alert);
    if (truncated != null) {
      notes.add(truncated);
    }
    link(alert.runbook().isPresent() ? alert.runbook().get().toString() : null, "Runbook",
        actions, notes);
    String runbookText = label(alert, Labels.RUNBOOK_TEXT);
    if (runbookText != null) {
      notes.add(fit(Text.singleLine("Runbook: " + runbookText), MAX_NOTE_BYTES));
    }
    link(label(alert, Labels.DASHBOARD_URL), "Dashboard", actions, notes);
    link(label(alert, Labels.PANEL_URL), "Panel", actions, notes);
    link(label(alert, Labels.SILENCE_URL), "Silence", actions, notes);
    link(label(alert, Labels.GENERATOR_URL), "Source", actions, notes);
    String assumed = label(alert, Labels.SEVERITY_ASSUMED);
    if (assumed != null) {
      notes.add(fit(Text.singleLine("Severity assumed: " + assumed), MAX_NOTE_BYTES));
    }
    String summary = Text.multiLine(note == null ? alert.summary()
        : note + NOTES_SEPARATOR + alert.summary());
    String trailer = notes.isEmpty() ? "" : NOTES_SEPARATOR + String.join("\n", notes);

    String message = compose(summary, trailer, MAX_MESSAGE_BYTES, Integer.MAX_VALUE);
    byte[] json = write(topic, sequenceId, title, message, priority, tags, actions,
        settings.markdown(), delay);
    // Escaping can make the document longer than ntfy accepts: give the message what is left.
    while (json.length > MAX_JSON_BYTES) {
      int room = MAX_JSON_BYTES - (json.length - jsonLength(message));
      if (room < 0) {
        // Cannot happen: the other fields are capped (title 256 B, 10 tags of 64 B, 4 links of
        // 1 KiB, escapes included at most ~6.3 KB), so the message keeps ~1.9 KB at worst.
        return json;
      }
      message = compose(summary, trailer, MAX_MESSAGE_BYTES, room);
      json = write(topic, sequenceId, title, message, priority, tags, actions,
          settings.markdown(), delay);
    }
    return json;
  }

  private static byte[] write(String topic, String sequenceId, String title, String message,
      int priority, List<String> tags, List<Action> actions, boolean markdown, String delay) {
    Json.Buffer out = Json.buffer(); // no callback: every cold start writes one (no lambda)
    try {
      JsonGenerator json = out.generator();
      json.writeStartObject();
      json.writeStringField("topic", topic);
      if (sequenceId != null) {
        json.writeStringField("sequence_id", sequenceId);
      }
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
      for (Action action : actions) {
        if (CLICKABLE.contains(action.label())) {
          json.writeStringField("click", action.url());
          break;
        }
      }
      if (!actions.isEmpty()) {
        json.writeArrayFieldStart("actions");
        for (Action action : actions) {
          json.writeStartObject();
          json.writeStringField("action", action.post() ? "http" : "view");
          json.writeStringField("label", action.label());
          json.writeStringField("url", action.url());
          if (action.post()) {
            json.writeStringField("method", "POST");
            json.writeBooleanField("clear", true);
          }
          json.writeEndObject();
        }
        json.writeEndArray();
      }
      if (markdown) {
        json.writeBooleanField("markdown", true);
      }
      if (delay != null) {
        json.writeStringField("delay", delay);
      }
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("writing JSON to memory failed", e);
    }
    return out.bytes();
  }

  /**
   * The summary and the notes within {@code maxBytes} of UTF-8 and {@code maxJson} bytes once
   * escaped in JSON; the notes are kept whole when they leave the summary some room.
   */
  static String compose(String summary, String trailer, int maxBytes, int maxJson) {
    String whole = summary + trailer;
    if (Text.utf8Length(whole) <= maxBytes && jsonLength(whole) <= maxJson) {
      return whole;
    }
    int trailerBytes = Text.utf8Length(trailer);
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
        String tag = Text.singleLine(name + "=" + value.strip()).replace(',', ' ');
        tags.add(fit(tag, MAX_TAG_BYTES));
      }
    }
    return tags;
  }

  /** The label's value, stripped, or null when it is absent or blank. */
  private static String label(Alert alert, String name) {
    String value = alert.labels().get(name);
    return value == null || value.isBlank() ? null : value.strip();
  }

  /** "+N alerts not shown", or null. */
  private static String truncatedAlertsNote(Alert alert) {
    String count = label(alert, Labels.TRUNCATED_ALERTS);
    if (count == null) {
      return null;
    }
    try {
      long n = Long.parseLong(count);
      return n > 0 ? "+" + n + (n == 1 ? " alert" : " alerts") + " not shown" : null;
    } catch (NumberFormatException e) {
      return fit(Text.singleLine("+" + count + " alerts not shown"), MAX_NOTE_BYTES);
    }
  }

  /**
   * A usable http(s) link becomes a button while there is room; one ntfy would refuse (another
   * scheme: its 40013) or one too long becomes a line of the message instead, so it is not lost.
   */
  private static void link(String text, String label, List<Action> actions,
      List<String> notes) {
    if (text == null) {
      return;
    }
    Optional<String> url = httpUrl(text);
    if (url.isPresent()) {
      if (actions.size() < MAX_ACTIONS) {
        actions.add(new Action(label, url.get(), false));
      }
    } else {
      notes.add(fit(Text.singleLine(label + ": " + text), MAX_NOTE_BYTES));
    }
  }

  /** An {@code http} POST button to one of the sink's capability URLs, while there is room. */
  private static void post(String url, String label, List<Action> actions) {
    if (url != null && actions.size() < MAX_ACTIONS && Text.utf8Length(url) <= MAX_URL_BYTES
        && (url.startsWith("https://") || url.startsWith("http://"))) {
      actions.add(new Action(label, url, true));
    }
  }

  /** {@code text} as a {@link Text#link} of at most {@value #MAX_URL_BYTES}, in ASCII form. */
  static Optional<String> httpUrl(String text) {
    Optional<URI> link = Text.link(text, MAX_URL_BYTES);
    return link.isPresent() ? Optional.of(link.get().toASCIIString()) : Optional.empty();
  }

  /** {@code text} within {@code maxBytes} of UTF-8, cut on a code point with {@value #CUT}. */
  static String fit(String text, int maxBytes) {
    return Text.truncateUtf8(text, maxBytes);
  }

  /**
   * {@code text} within {@code maxBytes} of UTF-8 and {@code maxJson} bytes as a JSON string's
   * content, cut by {@link Text#truncateUtf8} to the largest byte budget that fits both.
   */
  static String fit(String text, int maxBytes, int maxJson) {
    String cut = Text.truncateUtf8(text, maxBytes);
    if (jsonLength(cut) <= maxJson) {
      return cut;
    }
    // The JSON length of the cut grows with its byte budget: search the largest that fits.
    int low = 0;
    int high = Math.min(maxBytes, maxJson);
    while (low < high) {
      int mid = (low + high + 1) >>> 1;
      if (jsonLength(Text.truncateUtf8(text, mid)) <= maxJson) {
        low = mid;
      } else {
        high = mid - 1;
      }
    }
    return Text.truncateUtf8(text, low);
  }

  /** The bytes {@code text} takes inside a JSON string as this transport's generator writes it. */
  static int jsonLength(String text) {
    int escapes = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      // Quote, backslash, LF and tab take a backslash more; other controls are never sent.
      if (c == '"' || c == '\\' || c == '\n' || c == '\t') {
        escapes++;
      } else if (c < 0x20) {
        escapes += 5;
      }
    }
    return Text.utf8Length(text) + escapes;
  }
}
