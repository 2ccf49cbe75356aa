package com.cabalmail.alert.decode;

import com.cabalmail.alert.AlertStatus;
import com.cabalmail.alert.Severity;
import com.cabalmail.http.Text;
import java.io.IOException;
import java.net.URI;
import java.util.Locale;
import java.util.Map;

/**
 * The fields of the direct shape, which Kuma's custom body and the Healthchecks integration
 * send too: {@code severity}, {@code source}, {@code summary}, {@code runbook_url},
 * {@code labels}, {@code status} and {@code fingerprint}. Its identity rule: a caller's
 * {@code fingerprint} is the alert, {@code direct:<fingerprint>} (or
 * {@code healthchecks:<fingerprint>} in a Healthchecks body); without one, a Healthchecks body
 * is its check, {@code healthchecks:<source>} (the source carries the check's name or slug),
 * so down and up of one check are the same alert; a direct body without one leaves the
 * identity to {@link com.cabalmail.alert.Alert}, which derives it from what the operator reads.
 */
final class DirectReader {

  /** The longest {@code fingerprint}, in characters (code points) once cleaned. */
  static final int MAX_FINGERPRINT_LENGTH = 200;

  private final SeverityAliases aliases;

  Severity severity;
  String source;
  String summary;
  URI runbook;
  /** A {@code runbook_url} that is not a link, kept as text. */
  String runbookText;
  Map<String, String> labels;
  AlertStatus status;
  /** The caller's identity, cleaned single-line text of 1 to 200 characters, or null. */
  String fingerprint;

  DirectReader(SeverityAliases aliases) {
    this.aliases = aliases;
  }

  /** Whether the body has one of this format's defining fields. */
  boolean present() {
    return severity != null || source != null || summary != null;
  }

  /** Whether the body is Healthchecks': its source starts with {@code healthchecks/}. */
  boolean fromHealthchecks() {
    return source != null && source.startsWith("healthchecks/");
  }

  /**
   * The identity of the alert, or null to let {@link com.cabalmail.alert.Alert} derive it.
   *
   * @param healthchecks whether the body is read as Healthchecks'
   * @param cleanSource the source as the alert carries it
   */
  String identity(boolean healthchecks, String cleanSource) {
    String tool = healthchecks ? "healthchecks:" : "direct:";
    if (fingerprint != null) {
      return tool + fingerprint;
    }
    return healthchecks ? tool + cleanSource : null;
  }

  /**
   * Reads the value of top-level field {@code name} if it is one of this format's.
   *
   * @return false when the field is not this format's to read (the caller skips it)
   */
  boolean field(String name, JsonCursor in) throws IOException, DecodeException {
    switch (name) {
      case "severity":
        severity = severity(in);
        return true;
      case "source":
        source = in.string();
        return true;
      case "summary":
        summary = in.string();
        return true;
      case "runbook_url":
        String text = in.string();
        if (!text.isBlank()) {
          runbook = BodyReader.httpUrl(text);
          if (runbook == null) {
            runbookText = Text.singleLine(text.strip());
          }
        }
        return true;
      case "labels":
        labels = in.stringMap(true);
        return true;
      case "status":
        status = status(in);
        return true;
      case "fingerprint":
        fingerprint = fingerprint(in);
        return true;
      default:
        return false;
    }
  }

  private Severity severity(JsonCursor in) throws IOException, DecodeException {
    String text = in.string();
    Severity found = aliases.find(text);
    if (found == null) {
      throw new DecodeException("unknown severity " + Text.quote(text) + " at "
          + in.pointer() + "; allowed: " + aliases.allowed());
    }
    return found;
  }

  private static AlertStatus status(JsonCursor in) throws IOException, DecodeException {
    String text = in.string();
    switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "firing":
      case "down":
        return AlertStatus.FIRING;
      case "resolved":
      case "up":
        return AlertStatus.RESOLVED;
      default:
        throw new DecodeException("unknown status " + Text.quote(text) + " at "
            + in.pointer() + "; allowed: firing, resolved, down (firing), up (resolved)");
    }
  }

  private static String fingerprint(JsonCursor in) throws IOException, DecodeException {
    String clean = Text.singleLine(in.string());
    if (clean.isEmpty()) {
      throw new DecodeException(in.pointer() + " is blank: a fingerprint is 1 to "
          + MAX_FINGERPRINT_LENGTH + " characters that name the alert");
    }
    int length = Text.length(clean);
    if (length > MAX_FINGERPRINT_LENGTH) {
      throw new DecodeException(in.pointer() + " is " + length + " characters long, over the"
          + " limit of " + MAX_FINGERPRINT_LENGTH);
    }
    return clean;
  }
}
