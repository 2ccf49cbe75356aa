package com.cabalmail.alert.decode;

import static com.cabalmail.alert.decode.WebhookFormat.ALERTMANAGER;
import static com.cabalmail.alert.decode.WebhookFormat.AUTO;
import static com.cabalmail.alert.decode.WebhookFormat.DIRECT;
import static com.cabalmail.alert.decode.WebhookFormat.GRAFANA;
import static com.cabalmail.alert.decode.WebhookFormat.HEALTHCHECKS;
import static com.cabalmail.alert.decode.WebhookFormat.KUMA;

import com.cabalmail.alert.AlertStatus;
import com.cabalmail.alert.Severity;
import com.cabalmail.alert.spi.Text;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads one body into a {@link Body} with jackson's streaming parser: {@code nextToken},
 * a switch on names, {@code skipChildren} for everything unused. When the format is given,
 * only that format's fields are read; for {@link WebhookFormat#AUTO}, those of every format.
 * Errors name the JSON pointer of the offending value.
 */
final class BodyReader {

  private static final int NAMES_KEPT = 8;
  private static final int MAX_POINTER_LENGTH = 200;
  private static final Instant GO_ZERO_TIME = Instant.parse("0001-01-01T00:00:00Z");

  private final JsonParser parser;
  private final WebhookFormat format;
  private final int maxAlerts;
  private final int offsetBase;
  private JsonToken last;

  private BodyReader(JsonParser parser, WebhookFormat format, int maxAlerts, int offsetBase) {
    this.parser = parser;
    this.format = format;
    this.maxAlerts = maxAlerts;
    this.offsetBase = offsetBase;
  }

  /**
   * A reader of one document; {@link #read()} once.
   *
   * @param offsetBase where the parser's input starts in the body (after a byte order mark)
   */
  static BodyReader over(JsonParser parser, WebhookFormat format, int maxAlerts,
      int offsetBase) {
    return new BodyReader(parser, format, maxAlerts, offsetBase);
  }

  /** The last token read: a syntax error right after a string hints at an unescaped quote. */
  JsonToken lastToken() {
    return last;
  }

  Body read() throws IOException, DecodeException {
    JsonToken first = next();
    if (first == null) {
      throw new DecodeException("body is empty");
    }
    if (first != JsonToken.START_OBJECT) {
      throw new DecodeException("body must be a JSON object, got " + describe(first));
    }
    Body body = new Body();
    while (next() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      if (body.names.size() < NAMES_KEPT) {
        body.names.add(name);
      }
      next();
      readTopLevel(name, body);
    }
    if (next() != null) {
      throw new DecodeException("unexpected content after the JSON object at byte "
          + (parser.currentTokenLocation().getByteOffset() + offsetBase)
          + ": the body must be one object");
    }
    return body;
  }

  private void readTopLevel(String name, Body body) throws IOException, DecodeException {
    switch (name) {
      case "alerts":
        if (wants(ALERTMANAGER, GRAFANA)) {
          body.alerts = alerts();
          return;
        }
        break;
      case "truncatedAlerts":
        if (wants(ALERTMANAGER, GRAFANA)) {
          body.truncatedAlerts = integer(0, Integer.MAX_VALUE);
          return;
        }
        break;
      case "orgId":
      case "state":
        if (wants(GRAFANA)) {
          body.grafanaMarker = true;
        }
        break;
      case "heartbeat":
        if (wants(KUMA)) {
          body.heartbeatPresent = true;
          body.heartbeat = heartbeat();
          return;
        }
        break;
      case "monitor":
        if (wants(KUMA)) {
          body.monitorPresent = true;
          body.monitor = monitor();
          return;
        }
        break;
      case "msg":
        if (wants(KUMA)) {
          body.msg = string();
          return;
        }
        break;
      case "severity":
        if (wants(DIRECT, HEALTHCHECKS)) {
          body.severity = severity();
          return;
        }
        break;
      case "source":
        if (wants(DIRECT, HEALTHCHECKS)) {
          body.source = string();
          return;
        }
        break;
      case "summary":
        if (wants(DIRECT, HEALTHCHECKS)) {
          body.summary = string();
          return;
        }
        break;
      case "runbook_url":
        if (wants(DIRECT, HEALTHCHECKS)) {
          String text = string();
          body.runbook = text.isBlank() ? null : runbook(text);
          return;
        }
        break;
      case "labels":
        if (wants(DIRECT, HEALTHCHECKS)) {
          body.labels = stringMap(true);
          return;
        }
        break;
      case "status":
        if (wants(DIRECT, HEALTHCHECKS)) {
          body.status = directStatus();
          return;
        }
        break;
      default:
        break;
    }
    parser.skipChildren();
  }

  private boolean wants(WebhookFormat... formats) {
    if (format == AUTO) {
      return true;
    }
    for (WebhookFormat f : formats) {
      if (f == format) {
        return true;
      }
    }
    return false;
  }

  // Alertmanager and Grafana.

  private List<Body.AmAlert> alerts() throws IOException, DecodeException {
    expect(JsonToken.START_ARRAY, "an array of alerts");
    List<Body.AmAlert> alerts = new ArrayList<>();
    while (next() != JsonToken.END_ARRAY) {
      if (alerts.size() == maxAlerts) {
        throw DecodeException.tooLarge(
            "/alerts has more than " + maxAlerts + " alerts, the limit of this decoder");
      }
      alerts.add(alert(alerts.size()));
    }
    return alerts;
  }

  private Body.AmAlert alert(int index) throws IOException, DecodeException {
    expect(JsonToken.START_OBJECT, "an alert object");
    AlertStatus status = null;
    Map<String, String> labels = null;
    Map<String, String> annotations = Map.of();
    Instant startsAt = null;
    String generatorUrl = "";
    String fingerprint = "";
    String silenceUrl = "";
    String dashboardUrl = "";
    String panelUrl = "";
    while (next() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      next();
      switch (name) {
        case "status":
          status = alertStatus();
          break;
        case "labels":
          labels = stringMap(true);
          break;
        case "annotations":
          annotations = stringMap(false);
          break;
        case "startsAt":
          startsAt = rfc3339();
          break;
        case "generatorURL":
          generatorUrl = string();
          break;
        case "fingerprint":
          fingerprint = string();
          break;
        case "silenceURL":
          silenceUrl = string();
          break;
        case "dashboardURL":
          dashboardUrl = string();
          break;
        case "panelURL":
          panelUrl = string();
          break;
        default:
          parser.skipChildren();
      }
    }
    String at = "/alerts/" + index;
    if (status == null) {
      throw new DecodeException(at + "/status is missing; allowed: firing, resolved");
    }
    if (labels == null) {
      throw new DecodeException(at + "/labels is missing: every alert has labels");
    }
    String alertname = labels.get("alertname");
    if (alertname == null || alertname.isBlank()) {
      throw new DecodeException(at + "/labels/alertname is "
          + (alertname == null ? "missing" : "blank") + ": every alert has a name");
    }
    return new Body.AmAlert(index, status, labels, annotations, startsAt, generatorUrl,
        fingerprint, silenceUrl, dashboardUrl, panelUrl);
  }

  private AlertStatus alertStatus() throws IOException, DecodeException {
    String text = string();
    if (text.equals("firing")) {
      return AlertStatus.FIRING;
    }
    if (text.equals("resolved")) {
      return AlertStatus.RESOLVED;
    }
    throw new DecodeException(pointer() + " " + Text.quote(text)
        + " is not an alert status; allowed: firing, resolved");
  }

  private Instant rfc3339() throws IOException, DecodeException {
    String text = string();
    Instant instant = Rfc3339.parse(text, true);
    if (instant == null) {
      throw new DecodeException(pointer() + " " + Text.quote(text)
          + " is not an RFC 3339 time such as 2026-08-21T09:12:30.512Z");
    }
    return instant.equals(GO_ZERO_TIME) ? null : instant;
  }

  // Uptime Kuma.

  private Body.Heartbeat heartbeat() throws IOException, DecodeException {
    if (last == JsonToken.VALUE_NULL) {
      return null;
    }
    expect(JsonToken.START_OBJECT, "an object or null");
    String at = pointer();
    Integer status = null;
    String msg = null;
    Instant time = null;
    Instant lastDownTime = null;
    while (next() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      next();
      switch (name) {
        case "status":
          status = integer(0, 3, "is not a Kuma heartbeat status;"
              + " allowed: 0 (down), 1 (up), 2 (pending), 3 (maintenance)");
          break;
        case "msg":
          msg = nullableString();
          break;
        case "time":
          time = kumaTime();
          break;
        case "lastDownTime":
          lastDownTime = kumaTime();
          break;
        default:
          parser.skipChildren();
      }
    }
    if (status == null) {
      throw new DecodeException(at + "/status is missing;"
          + " allowed: 0 (down), 1 (up), 2 (pending), 3 (maintenance)");
    }
    return new Body.Heartbeat(status, msg, time, lastDownTime);
  }

  private Body.Monitor monitor() throws IOException, DecodeException {
    if (last == JsonToken.VALUE_NULL) {
      return null;
    }
    expect(JsonToken.START_OBJECT, "an object or null");
    String at = pointer();
    String name = null;
    String url = null;
    String hostname = null;
    while (next() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      next();
      switch (field) {
        case "name":
          name = nullableString();
          break;
        case "url":
          url = nullableString();
          break;
        case "hostname":
          hostname = nullableString();
          break;
        default:
          parser.skipChildren();
      }
    }
    if (name == null || name.isBlank()) {
      throw new DecodeException(at + "/name is " + (name == null ? "missing" : "blank")
          + ": the monitor's name makes the alert's source");
    }
    return new Body.Monitor(name, url, hostname);
  }

  /** Kuma's {@code 2026-08-21 09:31:04.221} (UTC), or ISO-8601 with or without an offset. */
  private Instant kumaTime() throws IOException, DecodeException {
    String text = nullableString();
    if (text == null || text.isBlank()) {
      return null;
    }
    Instant instant = Rfc3339.parse(text.trim(), false);
    if (instant == null) {
      throw new DecodeException(pointer() + " " + Text.quote(text)
          + " is not a time such as 2026-08-21 09:31:04.221");
    }
    return instant;
  }

  // The direct shape.

  private Severity severity() throws IOException, DecodeException {
    String text = string();
    Severity severity = severityOrNull(text);
    if (severity == null) {
      throw new DecodeException("unknown severity " + Text.quote(text) + " at "
          + pointer() + "; allowed: critical, warning, info");
    }
    return severity;
  }

  /** The severity named by {@code text}, ignoring case and surrounding blanks, or null. */
  static Severity severityOrNull(String text) {
    String name = text.trim();
    for (Severity severity : Severity.values()) {
      if (severity.name().equalsIgnoreCase(name)) {
        return severity;
      }
    }
    return null;
  }

  private AlertStatus directStatus() throws IOException, DecodeException {
    String text = string();
    switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "firing":
      case "down":
        return AlertStatus.FIRING;
      case "resolved":
      case "up":
        return AlertStatus.RESOLVED;
      default:
        throw new DecodeException("unknown status " + Text.quote(text) + " at " + pointer()
            + "; allowed: firing, resolved, down (firing), up (resolved)");
    }
  }

  private URI runbook(String text) throws DecodeException {
    URI uri = httpUrl(text);
    if (uri == null) {
      throw new DecodeException(pointer() + " " + Text.quote(text)
          + " is not an absolute http(s) URL");
    }
    return uri;
  }

  /** {@code text} as a {@link Text#link} within {@link Text#MAX_LINK_LENGTH}, or null. */
  static URI httpUrl(String text) {
    return Text.link(text, Text.MAX_LINK_LENGTH).orElse(null);
  }

  // Values.

  /**
   * An object of strings, in body order, as a mutable map the caller owns.
   *
   * @param labels whether names and values are single-line labels, cleaned as they are read
   */
  private Map<String, String> stringMap(boolean labels) throws IOException, DecodeException {
    expect(JsonToken.START_OBJECT, "an object of strings");
    Map<String, String> map = new LinkedHashMap<>();
    while (next() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      next();
      String value = string();
      if (labels) {
        map.put(Text.singleLine(name), Text.singleLine(value));
      } else {
        map.put(name, value);
      }
    }
    return map;
  }

  private String string() throws IOException, DecodeException {
    if (last != JsonToken.VALUE_STRING) {
      throw typeError("a string");
    }
    return parser.getText();
  }

  private String nullableString() throws IOException, DecodeException {
    return last == JsonToken.VALUE_NULL ? null : string();
  }

  private int integer(int min, int max) throws IOException, DecodeException {
    return integer(min, max, "must be a whole number from " + min + " to " + max);
  }

  private int integer(int min, int max, String outOfRange) throws IOException, DecodeException {
    if (last != JsonToken.VALUE_NUMBER_INT) {
      throw typeError("a whole number");
    }
    if (parser.getNumberType() == JsonParser.NumberType.INT) {
      int value = parser.getIntValue();
      if (value >= min && value <= max) {
        return value;
      }
    }
    throw new DecodeException(pointer() + " " + Text.quote(parser.getText()) + " "
        + outOfRange);
  }

  private void expect(JsonToken token, String what) throws DecodeException {
    if (last != token) {
      throw typeError(what);
    }
  }

  private DecodeException typeError(String expected) {
    return new DecodeException(pointer() + " must be " + expected + ", got " + describe(last));
  }

  /** The JSON pointer of the current value (of the container, at its start token). */
  String pointer() {
    return pointerOf(parser);
  }

  static String pointerOf(JsonParser parser) {
    String pointer = parser.getParsingContext().pathAsPointer().toString();
    if (pointer.isEmpty()) {
      return "the body";
    }
    return Text.truncate(Text.singleLine(pointer), MAX_POINTER_LENGTH + 1);
  }

  private JsonToken next() throws IOException {
    last = parser.nextToken();
    return last;
  }

  static String describe(JsonToken token) {
    if (token == null) {
      return "nothing";
    }
    switch (token) {
      case START_OBJECT:
        return "an object";
      case START_ARRAY:
        return "an array";
      case VALUE_STRING:
        return "a string";
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        return "a number";
      case VALUE_TRUE:
      case VALUE_FALSE:
        return "a boolean";
      case VALUE_NULL:
        return "null";
      default:
        return token.asString() == null ? token.name() : "'" + token.asString() + "'";
    }
  }
}
