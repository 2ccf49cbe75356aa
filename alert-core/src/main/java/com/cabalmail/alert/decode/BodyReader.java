package com.cabalmail.alert.decode;

import static com.cabalmail.alert.decode.WebhookFormat.ALERTMANAGER;
import static com.cabalmail.alert.decode.WebhookFormat.AUTO;
import static com.cabalmail.alert.decode.WebhookFormat.DIRECT;
import static com.cabalmail.alert.decode.WebhookFormat.GRAFANA;
import static com.cabalmail.alert.decode.WebhookFormat.HEALTHCHECKS;
import static com.cabalmail.alert.decode.WebhookFormat.KUMA;

import com.cabalmail.http.Text;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.net.URI;

/**
 * Reads one body into a {@link Body} in a single pass of jackson's streaming parser: each
 * top-level field is offered to the reader of each format that is wanted
 * ({@link AlertmanagerReader}, {@link KumaReader}, {@link DirectReader}), which owns that
 * field's reading rule; a field no wanted format reads is skipped unread. When the format is
 * given, only that format's fields are read; for {@link WebhookFormat#AUTO}, those of every
 * format. Errors name the JSON pointer of the offending value.
 */
final class BodyReader {

  private static final int NAMES_KEPT = 8;

  private final JsonCursor in;
  private final int offsetBase;
  private final boolean alertmanager;
  private final boolean kuma;
  private final boolean direct;
  private final Body body;

  private BodyReader(JsonParser parser, WebhookFormat format, int maxAlerts, int offsetBase,
      SeverityAliases aliases) {
    this.in = new JsonCursor(parser);
    this.offsetBase = offsetBase;
    this.alertmanager = format == AUTO || format == ALERTMANAGER || format == GRAFANA;
    this.kuma = format == AUTO || format == KUMA;
    this.direct = format == AUTO || format == DIRECT || format == HEALTHCHECKS;
    this.body = new Body(new AlertmanagerReader(maxAlerts), new KumaReader(),
        new DirectReader(aliases));
  }

  /**
   * A reader of one document; {@link #read()} once.
   *
   * @param offsetBase where the parser's input starts in the body (after a byte order mark)
   */
  static BodyReader over(JsonParser parser, WebhookFormat format, int maxAlerts,
      int offsetBase, SeverityAliases aliases) {
    return new BodyReader(parser, format, maxAlerts, offsetBase, aliases);
  }

  /** The last token read: a syntax error right after a string hints at an unescaped quote. */
  JsonToken lastToken() {
    return in.last();
  }

  Body read() throws IOException, DecodeException {
    JsonToken first = in.next();
    if (first == null) {
      throw new DecodeException("body is empty");
    }
    if (first != JsonToken.START_OBJECT) {
      throw new DecodeException("body must be a JSON object, got " + JsonCursor.describe(first));
    }
    while (in.next() == JsonToken.FIELD_NAME) {
      String name = in.name();
      if (body.names.size() < NAMES_KEPT) {
        body.names.add(name);
      }
      in.next();
      if (!field(name)) {
        in.skip();
      }
    }
    if (in.next() != null) {
      throw new DecodeException("unexpected content after the JSON object at byte "
          + (in.tokenOffset() + offsetBase) + ": the body must be one object");
    }
    return body;
  }

  /** Offers the field to each wanted format's reader; at most one reads it. */
  private boolean field(String name) throws IOException, DecodeException {
    return (alertmanager && body.alertmanager.field(name, in))
        || (kuma && body.kuma.field(name, in))
        || (direct && body.direct.field(name, in));
  }

  /** {@code text} as a {@link Text#link} within {@link Text#MAX_LINK_LENGTH}, or null. */
  static URI httpUrl(String text) {
    return Text.link(text, Text.MAX_LINK_LENGTH).orElse(null);
  }

  /** The JSON pointer of the parser's current value, for errors the parser raises. */
  static String pointerOf(JsonParser parser) {
    return JsonCursor.pointerOf(parser);
  }
}
