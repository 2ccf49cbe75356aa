package com.cabalmail.alert.pushover;

import com.cabalmail.alert.Alert;
import com.cabalmail.alert.Labels;
import com.cabalmail.http.Text;
import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The fields of one Messages API request for one alert, every Pushover limit applied (counted
 * in code points, see {@link Text}); the credentials are added by the transport.
 *
 * <ul>
 *   <li>{@code title}: {@code [CRITICAL] source} ({@code [RESOLVED] source} for a recovery,
 *       {@code [TEST] source} for a test notification), one line, at most 250.
 *   <li>{@code message}: the summary; then, after a blank line, one {@code name: value} line per
 *       label worth reading (not {@code alertname}, {@code severity}, nor the link labels), a
 *       runbook that is not a link as "Runbook: text" ({@link Labels#RUNBOOK_TEXT}), and
 *       "+N alerts not shown" for {@link Labels#TRUNCATED_ALERTS}; a recovery says when the
 *       alert started. At most 1,024, cut from the end so the start of the summary survives.
 *   <li>{@code url} and {@code url_title}: the runbook ("Runbook"), else the dashboard, panel
 *       or rule link. A runbook longer than 512 is never cut (a cut URL is a broken one): it
 *       moves to the end of the message instead.
 *   <li>{@code priority} from the route, except that a recovery is never sent at 2: it would
 *       repeat until acknowledged, so it is sent at 1.
 *   <li>{@code timestamp}: the start of a firing alert, so the phone shows when it began.
 *   <li>{@code sound} (firing alerts only, per severity) and {@code device} from the settings.
 *   <li>{@code retry}, {@code expire} and {@code tags} for a firing emergency (priority 2): the
 *       tag is {@link #tag(Alert)}, which the recovery cancels by; and {@code callback}, the
 *       URL Pushover calls when the emergency is acknowledged, when the sink set
 *       {@link Labels#ACK_CALLBACK}.
 * </ul>
 */
final class PushoverMessage {

  static final int MAX_TITLE = 250;
  static final int MAX_MESSAGE = 1024;
  static final int MAX_URL = 512;
  static final int MAX_URL_TITLE = 100;
  static final int EMERGENCY = 2;
  /** The most a moved runbook may take from the message: the summary keeps at least 256. */
  private static final int MIN_BODY = 256;

  private static final Set<String> NOT_SHOWN = Set.of(
      "alertname", "severity", "summary", "runbook_url", Labels.TRUNCATED_ALERTS,
      Labels.DASHBOARD_URL, Labels.PANEL_URL, Labels.SILENCE_URL, Labels.GENERATOR_URL,
      Labels.RUNBOOK_TEXT, Labels.TEST, Labels.FIRING_PRIORITY);
  private static final DateTimeFormatter STARTED =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);

  private final Map<String, String> fields;
  private final List<String> notes;

  private PushoverMessage(Map<String, String> fields, List<String> notes) {
    this.fields = Collections.unmodifiableMap(fields);
    this.notes = List.copyOf(notes);
  }

  /**
   * The request for {@code alert} at the route's {@code priority}.
   *
   * @param note a line that must reach the reader whole (e.g. that emergency repeats could
   *     not be cancelled), or null
   */
  static PushoverMessage of(Alert alert, int priority, PushoverSettings settings, String note) {
    // No lambdas: this is on the cold path (ColdPathLambdasIT).
    List<String> notes = new ArrayList<>();
    Map<String, String> fields = new LinkedHashMap<>();
    boolean resolved = alert.isResolved();

    String marker = alert.isTest() ? "TEST" : resolved ? "RESOLVED" : alert.severity().name();
    String title = Text.singleLine("[" + marker + "] " + alert.source());
    fields.put("title", cut(title, MAX_TITLE, "title", notes));

    List<String> tail = new ArrayList<>();
    Link link = null;
    for (Link candidate : links(alert)) {
      if (Text.length(candidate.url) <= MAX_URL) {
        link = candidate;
        break;
      }
      if (candidate.title.equals(Link.RUNBOOK)) {
        tail.add(Link.RUNBOOK + ": " + candidate.url);
        notes.add("runbook longer than " + MAX_URL + " characters, sent in the message");
      }
    }
    if (note != null) {
      tail.add(Text.singleLine(note));
    }
    fields.put("message", message(alert, tail, notes));
    fields.put("priority", Integer.toString(resolved && priority == EMERGENCY ? 1 : priority));
    if (link != null) {
      fields.put("url", link.url);
      fields.put("url_title", Text.truncate(link.title, MAX_URL_TITLE));
    }
    if (!resolved) {
      Optional<Instant> start = alert.startsAt();
      if (start.isPresent() && start.get().getEpochSecond() > 0) {
        fields.put("timestamp", Long.toString(start.get().getEpochSecond()));
      }
      Optional<String> sound = settings.sound(alert.severity());
      if (sound.isPresent()) {
        fields.put("sound", sound.get());
      }
    }
    if (settings.device().isPresent()) {
      fields.put("device", settings.device().get());
    }
    if (!resolved && priority == EMERGENCY) {
      fields.put("retry", Long.toString(settings.emergencyRetry().toSeconds()));
      fields.put("expire", Long.toString(settings.emergencyExpire().toSeconds()));
      fields.put("tags", tag(alert));
      String callback = alert.labels().get(Labels.ACK_CALLBACK);
      if (callback != null && Text.length(callback) <= MAX_URL
          && (callback.startsWith("https://") || callback.startsWith("http://"))) {
        fields.put("callback", callback);
      }
    }
    return new PushoverMessage(fields, notes);
  }

  /**
   * The tag an emergency carries and its recovery cancels by: what the recovery ends, the
   * alert's {@link Alert#scopeToken() scope} (its identity, or its source for an alert without
   * one; letters and digits only, since it goes into the cancel URL's path).
   */
  static String tag(Alert alert) {
    return alert.scopeToken();
  }

  /** The fields, in the order sent, without credentials. */
  Map<String, String> fields() {
    return fields;
  }

  /** What was cut or moved to fit Pushover's limits, for the outcome. */
  List<String> notes() {
    return notes;
  }

  private static String message(Alert alert, List<String> tail, List<String> notes) {
    StringBuilder body = new StringBuilder(Text.multiLine(alert.summary()));
    List<String> details = details(alert);
    if (!details.isEmpty()) {
      body.append("\n\n").append(String.join("\n", details));
    }
    String end = tail.isEmpty() ? "" : "\n\n" + String.join("\n", tail);
    if (Text.length(end) > MAX_MESSAGE - MIN_BODY) {
      notes.add("runbook too long for the message as well, left out");
      for (int i = tail.size() - 1; i >= 0; i--) {
        if (tail.get(i).startsWith(Link.RUNBOOK + ": ")) {
          tail.remove(i);
        }
      }
      end = tail.isEmpty() ? "" : "\n\n" + String.join("\n", tail);
    }
    return cut(body.toString(), MAX_MESSAGE - Text.length(end), "message", notes) + end;
  }

  private static List<String> details(Alert alert) {
    List<String> lines = new ArrayList<>();
    for (Map.Entry<String, String> label : alert.labels().entrySet()) {
      String name = label.getKey();
      String value = label.getValue();
      if (!NOT_SHOWN.contains(name) && !name.startsWith("__") && !value.isBlank()) {
        lines.add(Text.singleLine(name) + ": " + Text.multiLine(value.strip()));
      }
    }
    String runbookText = alert.labels().get(Labels.RUNBOOK_TEXT);
    if (runbookText != null && !runbookText.isBlank()) {
      lines.add(Link.RUNBOOK + ": " + Text.singleLine(runbookText.strip()));
    }
    String truncated = alert.labels().get(Labels.TRUNCATED_ALERTS);
    if (truncated != null && !truncated.isBlank() && !truncated.strip().equals("0")) {
      lines.add("+" + Text.singleLine(truncated.strip()) + " alerts not shown");
    }
    if (alert.isResolved() && alert.startsAt().isPresent()) {
      lines.add("Started " + STARTED.format(alert.startsAt().get()));
    }
    return lines;
  }

  private static List<Link> links(Alert alert) {
    List<Link> links = new ArrayList<>();
    if (alert.runbook().isPresent()) {
      links.add(new Link(Link.RUNBOOK, alert.runbook().get()));
    }
    addLink(links, "Dashboard", alert.labels().get(Labels.DASHBOARD_URL));
    addLink(links, "Panel", alert.labels().get(Labels.PANEL_URL));
    addLink(links, "Alert rule", alert.labels().get(Labels.GENERATOR_URL));
    return links;
  }

  private static void addLink(List<Link> links, String title, String value) {
    if (value != null) {
      // a label that is not a link is not offered as one
      Optional<URI> uri = Text.link(value, Text.MAX_LINK_LENGTH);
      if (uri.isPresent()) {
        links.add(new Link(title, uri.get()));
      }
    }
  }

  private static String cut(String text, int max, String field, List<String> notes) {
    String cut = Text.truncate(text, max);
    if (!cut.equals(text)) {
      notes.add(field + " cut from " + Text.length(text) + " to " + max + " characters");
    }
    return cut;
  }

  private static final class Link {
    static final String RUNBOOK = "Runbook";
    final String title;
    final String url;

    Link(String title, URI link) {
      this.title = title;
      this.url = link.toASCIIString();
    }
  }
}
