package com.cabalmail.alert.decode;

import com.cabalmail.alert.Alert;
import com.cabalmail.alert.spi.Settings;
import com.cabalmail.http.Json;
import com.cabalmail.http.Text;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.CharConversionException;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns a monitoring tool's webhook body into alerts: the one public entry point of this
 * package. Thread-safe and immutable; build one at startup and share it.
 *
 * <pre>
 * WebhookDecoder decoder = WebhookDecoder.fromSettings(settings);
 * AlertBatch batch = decoder.decode(body, contentType, WebhookFormat.AUTO);
 * </pre>
 *
 * <p><b>Input.</b> The body must be one JSON object in UTF-8 (a leading byte order mark is
 * skipped). The declared content type is a hint only, used in error messages: tools send JSON
 * as {@code application/x-www-form-urlencoded} (Uptime Kuma's custom body) or untyped
 * (Healthchecks), and the body is parsed as JSON whatever it says.
 *
 * <p><b>Format detection</b> ({@link WebhookFormat#AUTO}), first rule that matches:
 * <ol>
 *   <li>an {@code alerts} field: {@link WebhookFormat#GRAFANA} if {@code orgId} or
 *       {@code state} is present too, else {@link WebhookFormat#ALERTMANAGER};
 *   <li>a {@code heartbeat} or {@code monitor} field: {@link WebhookFormat#KUMA};
 *   <li>a {@code severity}, {@code source} or {@code summary} field:
 *       {@link WebhookFormat#HEALTHCHECKS} if the source starts with {@code healthchecks/},
 *       else {@link WebhookFormat#DIRECT};
 *   <li>anything else is rejected, listing the fields found.
 * </ol>
 * In {@code AUTO} mode every field some format uses must have that format's type; with an
 * explicit format, fields of other formats are ignored.
 *
 * <p><b>Output.</b> Alertmanager and Grafana: one alert per element of {@code alerts},
 * source {@code alertmanager/<alertname>[/<instance>]} (or {@code grafana/…}), severity from
 * {@code labels.severity} or one of its aliases ({@value #SEVERITY_ALIASES}: {@code page},
 * {@code crit}, {@code warn}, {@code none}, {@code P1}…) (missing or unknown: warning, with the
 * reason in the
 * {@value com.cabalmail.alert.Labels#SEVERITY_ASSUMED} label), summary from the
 * {@code summary} annotation, else {@code description}, else the alert name, runbook from the
 * {@code runbook_url} annotation (one that is not an http(s) URL is kept as text in the
 * {@value com.cabalmail.alert.Labels#RUNBOOK_TEXT} label instead), status from the alert's {@code status}
 * ({@code endsAt} is not read), start time from {@code startsAt}; every label kept, links
 * and {@code truncatedAlerts} as the well-known labels of
 * {@link com.cabalmail.alert.Labels}; Grafana's contact-point test (alertname
 * {@code TestAlert}, instance {@code Grafana}, summary {@code Notification test}) is a test
 * notification ({@link com.cabalmail.alert.Alert#isTest()}). Uptime Kuma: heartbeat 0 down is
 * critical firing, 1 up is critical resolved, 2 pending warning, 3 maintenance info, source
 * {@code kuma/<monitor>}, summary {@code msg}, labels {@code monitor_url} and {@code hostname}
 * when the monitor has them; with {@code heartbeat} and {@code monitor} null, the Test button
 * ({@code msg} ending in " Testing") is a test notification and a certificate or domain expiry
 * notice is a warning that never resolves. Direct shape and
 * Healthchecks: {@code severity} (or an alias; unknown: 400 listing the words allowed),
 * {@code source} and {@code summary} required, {@code runbook_url} an absolute http(s) URL
 * (other text is kept in {@value com.cabalmail.alert.Labels#RUNBOOK_TEXT}), {@code labels} an
 * object of strings, {@code status} firing/resolved or down/up (default firing),
 * {@code fingerprint} optional, a string of 1 to 200 characters once cleaned to one line.
 * An alert with no runbook gets one from the configured runbook map. Control characters are
 * replaced by U+FFFD (summaries keep line feeds and tabs); all other Unicode is kept as is.
 *
 * <p><b>Identity</b> ({@link com.cabalmail.alert.Alert#fingerprint()}, what the delivery ledger
 * keys on): the tool's own, namespaced by tool, so one string from two tools never collides.
 * Alertmanager {@code alertmanager:<fingerprint>} and Grafana {@code grafana:<fingerprint>}
 * (without one, the fingerprint Alertmanager computes from the labels); a Kuma heartbeat
 * {@code kuma:<monitor id>}, else {@code kuma:<monitor name>}, the same for down and up;
 * Healthchecks {@code healthchecks:<source>}, the same for down and up; the direct shape
 * {@code direct:<fingerprint>} when the body gives one (Healthchecks:
 * {@code healthchecks:<fingerprint>}), else derived by {@link com.cabalmail.alert.Alert} from
 * what the operator reads, as are Kuma's notices. {@code docs/identity.md} has the table.
 *
 * <p><b>Settings</b> ({@link #fromSettings}):
 * <table>
 *   <caption>Settings read by the decoder</caption>
 *   <tr><td>{@value #MAX_BODY_BYTES}</td><td>largest body, default 1 MiB</td></tr>
 *   <tr><td>{@value #MAX_ALERTS}</td><td>most alerts in one body, default 1000</td></tr>
 *   <tr><td>{@value #RUNBOOKS}</td><td>runbook map as a JSON object,
 *       {@code {"kuma/IMAP reachable (internal)": "https://…/probe-failure.md"}}</td></tr>
 *   <tr><td>{@value #RUNBOOKS_FILE}</td><td>path of a JSON file of the same shape; entries of
 *       {@value #RUNBOOKS} win</td></tr>
 *   <tr><td>{@value #SEVERITY_ALIASES}</td><td>more severity words, {@code word:severity,...},
 *       added to {@link #DEFAULT_SEVERITY_ALIASES}</td></tr>
 * </table>
 */
public final class WebhookDecoder {

  /** The setting holding the largest body accepted, in bytes. */
  public static final String MAX_BODY_BYTES = "ALERT_MAX_BODY_BYTES";
  /** The setting holding the most alerts accepted in one body. */
  public static final String MAX_ALERTS = "ALERT_MAX_ALERTS";
  /** The setting holding the runbook map, a JSON object of alert source to http(s) URL. */
  public static final String RUNBOOKS = "ALERT_RUNBOOKS";
  /** The setting holding the path of a JSON file with more of the runbook map. */
  public static final String RUNBOOKS_FILE = "ALERT_RUNBOOKS_FILE";
  /**
   * The setting adding severity aliases, {@code word:severity,...} (e.g.
   * {@code sev1:critical,sev2:warning}), to the built-in ones ({@link #DEFAULT_SEVERITY_ALIASES}).
   */
  public static final String SEVERITY_ALIASES = "ALERT_SEVERITY_ALIASES";
  /** The built-in severity aliases, in the setting's syntax. */
  public static final String DEFAULT_SEVERITY_ALIASES = SeverityAliases.DEFAULTS;

  /** 1 MiB. */
  public static final int DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
  /** 1000 alerts. */
  public static final int DEFAULT_MAX_ALERTS = 1000;
  /**
   * The largest body limit allowed: 6 MiB, a Lambda Function URL's request ceiling (a larger
   * body never reaches the sink), within the shared JSON factory's document limit.
   */
  public static final int LARGEST_MAX_BODY_BYTES = 6 * 1024 * 1024;
  /** The largest alert limit allowed. */
  public static final int LARGEST_MAX_ALERTS = 100_000;

  private static final int MAX_RUNBOOK_FILE_BYTES = 1024 * 1024;
  private static final int MAX_MESSAGE_EXCERPT = 160;

  private final int maxBodyBytes;
  private final int maxAlerts;
  private final RunbookMap runbooks;
  private final SeverityAliases aliases;

  private WebhookDecoder(int maxBodyBytes, int maxAlerts, RunbookMap runbooks,
      SeverityAliases aliases) {
    this.maxBodyBytes = maxBodyBytes;
    this.maxAlerts = maxAlerts;
    this.runbooks = runbooks;
    this.aliases = aliases;
  }

  /** The largest body accepted, in bytes: the one limit of every path that reads a body. */
  public int maxBodyBytes() {
    return maxBodyBytes;
  }

  /** A builder starting from the defaults: 1 MiB, 1000 alerts, no runbook map. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Reads the decoder's settings (body and alert limits, runbook map), recording each problem,
   * named after its key, in {@code settings}; the caller then calls
   * {@link Settings#requireValid()}.
   */
  public static WebhookDecoder fromSettings(Settings settings) {
    int maxBody = settings.integer(MAX_BODY_BYTES, DEFAULT_MAX_BODY_BYTES, 1,
        LARGEST_MAX_BODY_BYTES);
    int maxAlerts = settings.integer(MAX_ALERTS, DEFAULT_MAX_ALERTS, 1, LARGEST_MAX_ALERTS);
    Map<String, URI> runbooks = new LinkedHashMap<>();
    Optional<String> file = settings.optional(RUNBOOKS_FILE);
    if (file.isPresent()) {
      readRunbookFile(file.get(), runbooks, settings);
    }
    // No lambdas: this is on the cold path (ColdPathLambdasIT).
    List<String> problems = new ArrayList<>();
    Optional<String> json = settings.optional(RUNBOOKS);
    if (json.isPresent()) {
      RunbookMap.parse(RUNBOOKS, json.get().getBytes(StandardCharsets.UTF_8), runbooks, problems);
    }
    Optional<String> table = settings.optional(SEVERITY_ALIASES);
    SeverityAliases aliases = table.isPresent()
        ? SeverityAliases.parse(SEVERITY_ALIASES, table.get(), problems)
        : SeverityAliases.BUILT_IN;
    report(problems, settings);
    return new WebhookDecoder(maxBody, maxAlerts, RunbookMap.of(runbooks), aliases);
  }

  private static void report(List<String> problems, Settings settings) {
    for (String problem : problems) {
      settings.problem(problem);
    }
  }

  private static void readRunbookFile(String name, Map<String, URI> into, Settings settings) {
    String what = RUNBOOKS_FILE + "='" + name + "'";
    try {
      Path path = Paths.get(name);
      if (Files.size(path) > MAX_RUNBOOK_FILE_BYTES) {
        settings.problem(what + " is larger than " + MAX_RUNBOOK_FILE_BYTES + " bytes");
        return;
      }
      List<String> problems = new ArrayList<>();
      RunbookMap.parse(what, Files.readAllBytes(path), into, problems);
      report(problems, settings);
    } catch (IOException | InvalidPathException | SecurityException e) {
      settings.problem(what + " cannot be read: " + e);
    }
  }

  /**
   * Decodes {@code body}.
   *
   * @param body the request body as received
   * @param contentType the declared content type, a hint only (may be null)
   * @param format the shape, or {@link WebhookFormat#AUTO} to detect it
   * @return every alert the body describes, never empty
   * @throws DecodeException saying what is wrong and where; {@link DecodeException#isTooLarge()}
   *     for a body over a limit. No other exception is thrown for any content of {@code body}.
   */
  public AlertBatch decode(byte[] body, String contentType, WebhookFormat format)
      throws DecodeException {
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(format, "format");
    if (body.length > maxBodyBytes) {
      throw DecodeException.tooLarge("body is " + body.length + " bytes, over the limit of "
          + maxBodyBytes + " bytes");
    }
    int start = hasByteOrderMark(body) ? 3 : 0;
    String notUtf8 = Utf8.problem(body, start, body.length);
    if (notUtf8 != null) {
      throw new DecodeException("body is not valid UTF-8: " + notUtf8 + declared(contentType));
    }
    Body parsed = parse(body, start, contentType, format);
    WebhookFormat detected = detect(parsed, format);
    List<Alert> alerts;
    switch (detected) {
      case ALERTMANAGER:
        alerts = AlertmanagerDecoder.alerts(parsed.alertmanager, false, aliases);
        break;
      case GRAFANA:
        alerts = AlertmanagerDecoder.alerts(parsed.alertmanager, true, aliases);
        break;
      case KUMA:
        alerts = KumaDecoder.alerts(parsed.kuma);
        break;
      default:
        alerts = DirectDecoder.alerts(parsed.direct, detected == WebhookFormat.HEALTHCHECKS);
        break;
    }
    boolean group = detected == WebhookFormat.ALERTMANAGER || detected == WebhookFormat.GRAFANA;
    return new AlertBatch(detected, withRunbooks(alerts),
        group ? parsed.alertmanager.truncatedAlerts : 0);
  }

  private Body parse(byte[] body, int start, String contentType, WebhookFormat format)
      throws DecodeException {
    JsonParser parser;
    try {
      parser = Json.factory().createParser(body, start, body.length - start);
    } catch (IOException e) {
      throw new DecodeException("body cannot be read: " + e.getMessage(), e);
    }
    BodyReader reader = BodyReader.over(parser, format, maxAlerts, start, aliases);
    try {
      return reader.read();
    } catch (StreamConstraintsException e) {
      throw overLimit(e, parser, start);
    } catch (JsonProcessingException e) {
      throw invalid(e, parser, reader, start, contentType);
    } catch (CharConversionException e) {
      throw new DecodeException("body is not valid UTF-8: " + excerpt(e.getMessage())
          + declared(contentType), e);
    } catch (IOException e) {
      throw new DecodeException("body cannot be read: " + excerpt(e.getMessage()), e);
    } finally {
      try {
        parser.close();
      } catch (IOException e) {
        // a parser over a byte array has nothing to release
      }
    }
  }

  private static DecodeException overLimit(StreamConstraintsException e, JsonParser parser,
      int start) {
    String message = String.valueOf(e.getMessage());
    String where = BodyReader.pointerOf(parser);
    String near = " (near byte " + offset(parser.currentLocation(), start) + ")";
    String detail;
    if (message.startsWith("String value length")) {
      detail = "string at " + where + " is longer than " + Json.MAX_STRING_LENGTH
          + " characters, the limit";
    } else if (message.startsWith("Number value length")) {
      detail = "number at " + where + " is longer than " + Json.MAX_NUMBER_LENGTH
          + " characters, the limit";
    } else if (message.startsWith("Document nesting depth")) {
      detail = "JSON nests deeper than " + Json.MAX_NESTING_DEPTH + " levels at " + where;
    } else if (message.startsWith("Name length")) {
      detail = "a property name in " + where + " is longer than " + Json.MAX_NAME_LENGTH
          + " characters, the limit";
    } else if (message.startsWith("Document length")) {
      return DecodeException.tooLarge("body is longer than " + Json.MAX_DOCUMENT_LENGTH
          + " bytes, the parser's limit");
    } else {
      detail = "body exceeds a parser limit at " + where + ": " + excerpt(message);
    }
    return new DecodeException(detail + near, e);
  }

  private static DecodeException invalid(JsonProcessingException e, JsonParser parser,
      BodyReader reader, int start, String contentType) {
    String original = String.valueOf(e.getOriginalMessage());
    JsonLocation location = e.getLocation() == null ? parser.currentLocation() : e.getLocation();
    String where = BodyReader.pointerOf(parser);
    long offset = offset(location, start);
    if (original.startsWith("Duplicate")) {
      return new DecodeException("duplicate key at " + where + " (near byte " + offset
          + "): a key may appear once per object", e);
    }
    int marker = original.indexOf(" (start marker at");
    String detail = marker < 0 ? original : original.substring(0, marker);
    StringBuilder message = new StringBuilder(
        original.startsWith("Unexpected end-of-input") ? "JSON ends early at byte "
            : "invalid JSON at byte ").append(offset)
        .append(" (line ").append(location.getLineNr())
        .append(", column ").append(location.getColumnNr()).append(')');
    if (!where.equals("the body")) {
      message.append(" in ").append(where);
    }
    message.append(": ").append(excerpt(detail));
    boolean afterString = reader.lastToken() == JsonToken.VALUE_STRING
        && detail.contains("was expecting comma");
    if (afterString || detail.startsWith("Unrecognized character escape")
        || detail.startsWith("Illegal unquoted character")) {
      message.append("; a quote, backslash or control character inside a string must be"
          + " escaped (Healthchecks puts $NAME in as is: use $NAME_JSON, which it writes as a"
          + " quoted JSON string, e.g. \"labels\": {\"check\": $NAME_JSON}, and $SLUG in"
          + " \"source\": \"healthchecks/$SLUG\")");
    }
    message.append(declared(contentType));
    return new DecodeException(message.toString(), e);
  }

  private static long offset(JsonLocation location, int start) {
    long offset = location == null ? -1 : location.getByteOffset();
    return offset < 0 ? offset : offset + start;
  }

  private static String excerpt(String text) {
    String clean = Text.singleLine(String.valueOf(text));
    return clean.length() <= MAX_MESSAGE_EXCERPT
        ? clean : clean.substring(0, MAX_MESSAGE_EXCERPT) + "…";
  }

  /** A note on a declared content type that is not JSON; empty when there is none to make. */
  private static String declared(String contentType) {
    if (contentType == null || contentType.isBlank()) {
      return "";
    }
    String type = contentType.toLowerCase(Locale.ROOT);
    if (type.contains("json") && (!type.contains("charset") || type.contains("utf-8"))) {
      return "";
    }
    return " (declared content type " + Text.quote(contentType)
        + " is only a hint: the body must be JSON text in UTF-8)";
  }

  private static boolean hasByteOrderMark(byte[] body) {
    return body.length >= 3 && (body[0] & 0xff) == 0xef && (body[1] & 0xff) == 0xbb
        && (body[2] & 0xff) == 0xbf;
  }

  private static WebhookFormat detect(Body body, WebhookFormat requested)
      throws DecodeException {
    if (requested != WebhookFormat.AUTO) {
      return requested;
    }
    if (body.alertmanager.present()) {
      return body.alertmanager.grafanaMarker ? WebhookFormat.GRAFANA : WebhookFormat.ALERTMANAGER;
    }
    if (body.kuma.present()) {
      return WebhookFormat.KUMA;
    }
    if (body.direct.present()) {
      return body.direct.fromHealthchecks() ? WebhookFormat.HEALTHCHECKS : WebhookFormat.DIRECT;
    }
    List<String> found = new ArrayList<>();
    body.names.forEach(name -> found.add(Text.quote(name)));
    throw new DecodeException("cannot tell the format of the body: expected alerts"
        + " (Alertmanager, Grafana), heartbeat and monitor (Uptime Kuma) or severity, source"
        + " and summary (direct shape, Healthchecks); found "
        + (found.isEmpty() ? "no field" : String.join(", ", found)));
  }

  private List<Alert> withRunbooks(List<Alert> alerts) {
    if (runbooks.isEmpty()) {
      return alerts;
    }
    List<Alert> linked = new ArrayList<>(alerts.size());
    for (Alert alert : alerts) {
      Optional<URI> link = alert.runbook().isPresent() ? Optional.empty()
          : runbooks.find(alert.source());
      linked.add(link.isPresent() ? alert.withRunbook(link.get()) : alert);
    }
    return linked;
  }

  /** Builds a decoder without settings, for embedding and tests. */
  public static final class Builder {

    private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
    private int maxAlerts = DEFAULT_MAX_ALERTS;
    private final Map<String, URI> runbooks = new LinkedHashMap<>();
    private SeverityAliases aliases = SeverityAliases.BUILT_IN;

    private Builder() {}

    /** The largest body accepted, from 1 to {@value WebhookDecoder#LARGEST_MAX_BODY_BYTES} bytes. */
    public Builder maxBodyBytes(int bytes) {
      if (bytes < 1 || bytes > LARGEST_MAX_BODY_BYTES) {
        throw new IllegalArgumentException("maxBodyBytes must be from 1 to "
            + LARGEST_MAX_BODY_BYTES + ", got " + bytes);
      }
      this.maxBodyBytes = bytes;
      return this;
    }

    /** The most alerts accepted in one body, from 1 to {@value WebhookDecoder#LARGEST_MAX_ALERTS}. */
    public Builder maxAlerts(int alerts) {
      if (alerts < 1 || alerts > LARGEST_MAX_ALERTS) {
        throw new IllegalArgumentException("maxAlerts must be from 1 to " + LARGEST_MAX_ALERTS
            + ", got " + alerts);
      }
      this.maxAlerts = alerts;
      return this;
    }

    /**
     * The runbook of alerts from {@code source} (and, failing a closer key, from the sources
     * below it: {@code kuma} covers {@code kuma/IMAP}) that carry none.
     *
     * @throws IllegalArgumentException unless {@code link} is an absolute http(s) URL
     */
    public Builder runbook(String source, URI link) {
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(link, "link");
      if (BodyReader.httpUrl(link.toString()) == null) {
        throw new IllegalArgumentException("the runbook of '" + source + "' must be an absolute"
            + " http(s) URL, got '" + link + "'");
      }
      runbooks.put(source, link);
      return this;
    }

    /**
     * Severity aliases added to the built-in ones, in the syntax of {@value #SEVERITY_ALIASES}.
     *
     * @throws IllegalArgumentException naming the first bad entry
     */
    public Builder severityAliases(String table) {
      Objects.requireNonNull(table, "table");
      List<String> problems = new ArrayList<>();
      SeverityAliases parsed = SeverityAliases.parse(SEVERITY_ALIASES, table, problems);
      if (!problems.isEmpty()) {
        throw new IllegalArgumentException(problems.get(0));
      }
      this.aliases = parsed;
      return this;
    }

    /** The decoder. */
    public WebhookDecoder build() {
      return new WebhookDecoder(maxBodyBytes, maxAlerts, RunbookMap.of(runbooks), aliases);
    }
  }
}
