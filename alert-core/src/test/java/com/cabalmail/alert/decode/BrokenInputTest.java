package com.cabalmail.alert.decode;

import static com.cabalmail.alert.decode.Payloads.bytes;
import static com.cabalmail.alert.decode.Payloads.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cabalmail.http.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Every broken or hostile body is a DecodeException whose message says what and where. */
class BrokenInputTest {

  private static final String ALERT = "{\"status\":\"firing\",\"labels\":{\"alertname\":\"A\"}}";

  private final WebhookDecoder decoder = WebhookDecoder.builder().build();

  private String rejected(byte[] body, String contentType, WebhookFormat format) {
    DecodeException e = assertThrows(DecodeException.class,
        () -> decoder.decode(body, contentType, format));
    assertFalse(e.isTooLarge(), "a malformed body is a 400, not a 413");
    return e.getMessage();
  }

  private String rejected(String body) {
    return rejected(utf8(body), "application/json", WebhookFormat.AUTO);
  }

  private String tooLarge(WebhookDecoder decoder, byte[] body) {
    DecodeException e = assertThrows(DecodeException.class,
        () -> decoder.decode(body, "application/json", WebhookFormat.AUTO));
    assertTrue(e.isTooLarge(), "a body over a limit is a 413");
    return e.getMessage();
  }

  // Syntax.

  // An unrecognized token is located at its first byte (jackson-core 2.21 and later).
  @Test
  void invalidJsonNamesTheByteOffsetLineColumnAndField() {
    assertEquals("invalid JSON at byte 12 (line 1, column 13) in /severity: Unrecognized token"
        + " 'critical': was expecting (JSON String, Number, Array, Object or token 'null',"
        + " 'true' or 'false')",
        rejected("{\"severity\":critical}"));
  }

  @Test
  void invalidJsonOnALaterLineCountsLinesAndBytes() {
    assertEquals("invalid JSON at byte 26 (line 3, column 1) in /severity: Unexpected character"
        + " ('}' (code 125)): was expecting double-quote to start field name",
        rejected("{\n\"severity\": \"critical\",\n}"));
  }

  @Test
  void truncatedBodySaysItEndsEarly() {
    assertEquals("JSON ends early at byte 37 (line 1, column 38) in /alerts/0/labels/alertname:"
        + " Unexpected end-of-input: expected close marker for Object",
        rejected("{\"alerts\":[{\"labels\":{\"alertname\":\"A\""));
  }

  @Test
  void contentAfterTheObjectIsInvalid() {
    assertEquals("invalid JSON at byte 24 (line 1, column 25): Unrecognized token 'x': was"
        + " expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')",
        rejected("{\"severity\":\"critical\"} x"));
    assertEquals("unexpected content after the JSON object at byte 24: the body must be one"
        + " object",
        rejected("{\"severity\":\"critical\"} {}"));
  }

  @Test
  void healthchecksNameWithAQuoteIsAPlainFieldAndOffsetMessage() {
    assertEquals("invalid JSON at byte 39 (line 1, column 40) in /summary: Unexpected character"
        + " ('n' (code 110)): was expecting comma to separate Object entries; a quote, backslash"
        + " or control character inside a string must be escaped (Healthchecks puts $NAME in"
        + " unescaped: keep check names free of them)",
        rejected(bytes("healthchecks-down-quote-in-name.json"), null, WebhookFormat.AUTO));
  }

  @Test
  void healthchecksNameWithABackslashIsAPlainFieldAndOffsetMessage() {
    assertEquals("invalid JSON at byte 34 (line 1, column 35) in /summary: Unrecognized"
        + " character escape 's' (code 115); a quote, backslash or control character inside a"
        + " string must be escaped (Healthchecks puts $NAME in unescaped: keep check names free"
        + " of them)",
        rejected(bytes("healthchecks-down-backslash-in-name.json"), null,
            WebhookFormat.HEALTHCHECKS));
  }

  @Test
  void rawControlCharacterInAStringIsInvalidJson() {
    assertEquals("invalid JSON at byte 13 (line 1, column 14) in /summary: Illegal unquoted"
        + " character ((CTRL-CHAR, code 10)): has to be escaped using backslash to be included"
        + " in string value; a quote, backslash or control character inside a string must be"
        + " escaped (Healthchecks puts $NAME in unescaped: keep check names free of them)",
        rejected("{\"summary\":\"a\nb\"}"));
  }

  @Test
  void declaredNonJsonContentTypeIsNamedAsAHintOnly() {
    assertEquals("invalid JSON at byte 1 (line 1, column 2): Unexpected character ('-' (code"
        + " 45)) in numeric value: expected digit (0-9) to follow minus sign, for valid numeric"
        + " value (declared content type 'multipart/form-data; boundary=x' is only a hint: the"
        + " body must be JSON text in UTF-8)",
        rejected(utf8("--x\r\nContent-Disposition: form-data; name=\"data\"\r\n\r\n{}\r\n--x--"),
            "multipart/form-data; boundary=x", WebhookFormat.AUTO));
  }

  // Encoding.

  @Test
  void invalidUtf8NamesTheOffendingByte() {
    byte[] latin1 = "{\"summary\":\"Z\u00fcrich\"}".getBytes(StandardCharsets.ISO_8859_1);
    assertEquals("body is not valid UTF-8: byte 0xFC at offset 13 never occurs in UTF-8"
        + " (declared content type"
        + " 'text/plain; charset=iso-8859-1' is only a hint: the body must be JSON text in"
        + " UTF-8)",
        rejected(latin1, "text/plain; charset=iso-8859-1", WebhookFormat.AUTO));
  }

  @Test
  void everyKindOfBadUtf8IsNamed() {
    assertEquals("body is not valid UTF-8: unexpected continuation byte 0x80 at offset 1",
        rejected(new byte[] {'{', (byte) 0x80, '}'}, null, WebhookFormat.AUTO));
    assertEquals("body is not valid UTF-8: byte 0xC0 at offset 1 never occurs in UTF-8",
        rejected(new byte[] {'{', (byte) 0xc0, (byte) 0xaf, '}'}, null, WebhookFormat.AUTO));
    assertEquals("body is not valid UTF-8: byte 0xE9 at offset 15 is not followed by a"
        + " continuation byte (found 0x22 at offset 16)",
        rejected("{\"summary\":\"Caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1), null,
            WebhookFormat.AUTO));
    assertEquals("body is not valid UTF-8: encoded surrogate U+D83D at offset 1",
        rejected(new byte[] {'{', (byte) 0xed, (byte) 0xa0, (byte) 0xbd, '}'}, null,
            WebhookFormat.AUTO));
    assertEquals("body is not valid UTF-8: code point above U+10FFFF at offset 1",
        rejected(new byte[] {'{', (byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80, '}'},
            null, WebhookFormat.AUTO));
    assertEquals("body is not valid UTF-8: overlong encoding at offset 1",
        rejected(new byte[] {'{', (byte) 0xe0, (byte) 0x80, (byte) 0xaf, '}'}, null,
            WebhookFormat.AUTO));
    assertEquals("body is not valid UTF-8: sequence starting with 0xE2 at offset 1 is cut off"
        + " by the end of the body",
        rejected(new byte[] {'{', (byte) 0xe2, (byte) 0x9c}, null, WebhookFormat.AUTO));
  }

  @Test
  void utf16BodyIsRefusedAtItsFirstNulByte() {
    assertEquals("body is not valid UTF-8: NUL byte at offset 0 (only UTF-8 is accepted, not"
        + " UTF-16 or UTF-32)",
        rejected("{\"severity\":\"critical\"}".getBytes(StandardCharsets.UTF_16BE),
            "application/json", WebhookFormat.AUTO));
  }

  @Test
  void byteOrderMarkIsAcceptedAndCountedInOffsets() throws DecodeException {
    byte[] bom = {(byte) 0xef, (byte) 0xbb, (byte) 0xbf};
    byte[] good = concat(bom, bytes("sample-direct-critical.json"));
    assertEquals(decoder.decode(bytes("sample-direct-critical.json"), null, WebhookFormat.AUTO),
        decoder.decode(good, null, WebhookFormat.AUTO));

    assertEquals("invalid JSON at byte 15 (line 1, column 13) in /severity: Unrecognized token"
        + " 'critical': was expecting (JSON String, Number, Array, Object or token 'null',"
        + " 'true' or 'false')",
        rejected(concat(bom, utf8("{\"severity\":critical}")), null, WebhookFormat.AUTO));
    assertEquals("unexpected content after the JSON object at byte 6: the body must be one"
        + " object", rejected(concat(bom, utf8("{} []")), null, WebhookFormat.AUTO));
  }

  // Shape.

  @Test
  void emptyBodyIsNamed() {
    assertEquals("body is empty", rejected(new byte[0], null, WebhookFormat.AUTO));
    assertEquals("body is empty", rejected(" \r\n\t "));
    assertEquals("body is empty",
        rejected(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf}, null, WebhookFormat.AUTO));
  }

  @Test
  void bodyThatIsNotAnObjectNamesWhatItIs() {
    assertEquals("body must be a JSON object, got an array",
        rejected("[{\"severity\":\"critical\"}]"));
    assertEquals("body must be a JSON object, got a string", rejected("\"critical\""));
    assertEquals("body must be a JSON object, got a number", rejected("42"));
    assertEquals("body must be a JSON object, got a number", rejected("-1.5e3"));
    assertEquals("body must be a JSON object, got a boolean", rejected("true"));
    assertEquals("body must be a JSON object, got null", rejected("null"));
  }

  @Test
  void nullNumberOrObjectWhereAStringBelongsNamesThePointer() {
    assertEquals("/severity must be a string, got null", rejected("{\"severity\":null}"));
    assertEquals("/summary must be a string, got a number",
        rejected("{\"severity\":\"critical\",\"source\":\"s\",\"summary\":12}"));
    assertEquals("/source must be a string, got an object",
        rejected("{\"severity\":\"critical\",\"source\":{\"a\":1},\"summary\":\"x\"}"));
    assertEquals("/labels/team must be a string, got an array",
        rejected("{\"severity\":\"info\",\"source\":\"s\",\"summary\":\"x\",\"labels\":"
            + "{\"team\":[\"mail\"]}}"));
    assertEquals("/labels must be an object of strings, got a string",
        rejected("{\"severity\":\"info\",\"labels\":\"team=mail\"}"));
    assertEquals("/alerts/3/labels/severity must be a string, got a number",
        rejected("{\"alerts\":[" + ALERT + "," + ALERT + "," + ALERT
            + ",{\"labels\":{\"alertname\":\"B\",\"severity\":3}}]}"));
    assertEquals("/alerts/0/annotations/summary must be a string, got a boolean",
        rejected("{\"alerts\":[{\"annotations\":{\"summary\":true}}]}"));
    assertEquals("/alerts/1 must be an alert object, got a string",
        rejected("{\"alerts\":[" + ALERT + ",\"B\"]}"));
    assertEquals("/alerts must be an array of alerts, got an object",
        rejected("{\"alerts\":{}}"));
    assertEquals("/truncatedAlerts must be a whole number, got a string",
        rejected("{\"alerts\":[" + ALERT + "],\"truncatedAlerts\":\"1\"}"));
    assertEquals("/truncatedAlerts '-1' must be a whole number from 0 to 2147483647",
        rejected("{\"alerts\":[" + ALERT + "],\"truncatedAlerts\":-1}"));
    assertEquals("/truncatedAlerts '99999999999' must be a whole number from 0 to 2147483647",
        rejected("{\"alerts\":[" + ALERT + "],\"truncatedAlerts\":99999999999}"));
    assertEquals("/truncatedAlerts must be a whole number, got a number",
        rejected("{\"alerts\":[" + ALERT + "],\"truncatedAlerts\":1.5}"));
  }

  @Test
  void unknownSeverityListsTheAllowedOnes() {
    assertEquals("unknown severity 'page' at /severity; allowed: critical, warning, info",
        rejected("{\"severity\":\"page\",\"source\":\"s\",\"summary\":\"x\"}"));
    assertEquals("unknown severity '' at /severity; allowed: critical, warning, info",
        rejected("{\"severity\":\"\",\"source\":\"s\",\"summary\":\"x\"}"));
  }

  @Test
  void missingSeveritySourceOrSummaryNamesTheField() {
    assertEquals("/severity is missing; allowed: critical, warning, info",
        rejected("{\"source\":\"s\",\"summary\":\"x\"}"));
    assertEquals("/source is missing: the direct shape needs severity, source and summary",
        rejected("{\"severity\":\"critical\",\"summary\":\"x\"}"));
    assertEquals("/summary is missing: the direct shape needs severity, source and summary",
        rejected("{\"severity\":\"critical\",\"source\":\"s\"}"));
    assertEquals("/summary is blank",
        rejected("{\"severity\":\"critical\",\"source\":\"s\",\"summary\":\" \\n \"}"));
    assertEquals("/source is blank",
        rejected("{\"severity\":\"critical\",\"source\":\"\",\"summary\":\"x\"}"));
  }

  @Test
  void directFieldsWithBadValuesAreNamed() {
    assertEquals("unknown status 'open' at /status; allowed: firing, resolved, down (firing),"
        + " up (resolved)",
        rejected("{\"severity\":\"critical\",\"source\":\"s\",\"summary\":\"x\","
            + "\"status\":\"open\"}"));
    assertEquals("/runbook_url 'ftp://runbooks/x' is not an absolute http(s) URL",
        rejected("{\"severity\":\"critical\",\"source\":\"s\",\"summary\":\"x\","
            + "\"runbook_url\":\"ftp://runbooks/x\"}"));
    assertEquals("/runbook_url 'docs/runbook.md' is not an absolute http(s) URL",
        rejected("{\"severity\":\"critical\",\"source\":\"s\",\"summary\":\"x\","
            + "\"runbook_url\":\"docs/runbook.md\"}"));
  }

  @Test
  void emptyAlertsArrayIsNamed() {
    assertEquals("/alerts is empty: a notification carries at least one alert",
        rejected("{\"version\":\"4\",\"alerts\":[]}"));
  }

  @Test
  void alertmanagerAlertWithoutWhatEveryAlertHasIsNamed() {
    assertEquals("/alerts/0/status is missing; allowed: firing, resolved",
        rejected("{\"alerts\":[{\"labels\":{\"alertname\":\"A\"}}]}"));
    assertEquals("/alerts/0/status 'pending' is not an alert status; allowed: firing, resolved",
        rejected("{\"alerts\":[{\"status\":\"pending\"}]}"));
    assertEquals("/alerts/1/labels is missing: every alert has labels",
        rejected("{\"alerts\":[" + ALERT + ",{\"status\":\"firing\"}]}"));
    assertEquals("/alerts/0/labels/alertname is missing: every alert has a name",
        rejected("{\"alerts\":[{\"status\":\"firing\",\"labels\":{\"job\":\"x\"}}]}"));
    assertEquals("/alerts/0/startsAt 'yesterday' is not an RFC 3339 time such as"
        + " 2026-08-21T09:12:30.512Z",
        rejected("{\"alerts\":[{\"status\":\"firing\",\"startsAt\":\"yesterday\"}]}"));
  }

  @Test
  void kumaBodiesWithImpossibleValuesAreNamed() {
    assertEquals("/heartbeat/status '7' is not a Kuma heartbeat status; allowed: 0 (down),"
        + " 1 (up), 2 (pending), 3 (maintenance)",
        rejected("{\"heartbeat\":{\"status\":7},\"monitor\":{\"name\":\"m\"},\"msg\":\"x\"}"));
    assertEquals("/heartbeat/status is missing; allowed: 0 (down), 1 (up), 2 (pending),"
        + " 3 (maintenance)",
        rejected("{\"heartbeat\":{},\"monitor\":{\"name\":\"m\"},\"msg\":\"x\"}"));
    assertEquals("/monitor/name is missing: the monitor's name makes the alert's source",
        rejected("{\"heartbeat\":{\"status\":0},\"monitor\":{\"id\":1},\"msg\":\"x\"}"));
    assertEquals("/monitor is null but /heartbeat is set: the monitor's name makes the alert's"
        + " source",
        rejected("{\"heartbeat\":{\"status\":0},\"monitor\":null,\"msg\":\"x\"}"));
    assertEquals("/heartbeat/time '21/08/2026' is not a time such as 2026-08-21 09:31:04.221",
        rejected("{\"heartbeat\":{\"status\":0,\"time\":\"21/08/2026\"},"
            + "\"monitor\":{\"name\":\"m\"}}"));
    assertEquals("/heartbeat must be an object or null, got an array",
        rejected("{\"heartbeat\":[],\"monitor\":null,\"msg\":\"x\"}"));
  }

  @Test
  void explicitFormatMissingItsFieldsIsNamed() {
    assertEquals("/alerts is missing: an Alertmanager body carries its alerts in an array",
        rejected(bytes("sample-direct-critical.json"), null, WebhookFormat.ALERTMANAGER));
    assertEquals("/alerts is missing: an Grafana body carries its alerts in an array",
        rejected(bytes("sample-kuma-down.json"), null, WebhookFormat.GRAFANA));
    assertEquals("not an Uptime Kuma body: none of /heartbeat, /monitor, /msg is present",
        rejected(bytes("sample-direct-critical.json"), null, WebhookFormat.KUMA));
    assertEquals("/severity is missing; allowed: critical, warning, info",
        rejected(bytes("sample-alertmanager-firing.json"), null, WebhookFormat.DIRECT));
  }

  @Test
  void bodyOfNoKnownFormatListsTheFieldsFound() {
    assertEquals("cannot tell the format of the body: expected alerts (Alertmanager, Grafana),"
        + " heartbeat and monitor (Uptime Kuma) or severity, source and summary (direct shape,"
        + " Healthchecks); found 'text', 'level'",
        rejected("{\"text\":\"disk full\",\"level\":\"high\"}"));
    assertEquals("cannot tell the format of the body: expected alerts (Alertmanager, Grafana),"
        + " heartbeat and monitor (Uptime Kuma) or severity, source and summary (direct shape,"
        + " Healthchecks); found no field",
        rejected("{}"));
  }

  // Hostile.

  @Test
  void duplicateKeysAreNamedWithTheirPointer() {
    assertEquals("duplicate key at /severity (near byte 29): a key may appear once per object",
        rejected("{\"severity\":\"info\",\"severity\":\"critical\",\"source\":\"s\","
            + "\"summary\":\"x\"}"));
    assertEquals("duplicate key at /alerts/0/labels/severity (near byte 84): a key may appear once"
        + " per object",
        rejected("{\"alerts\":[{\"status\":\"firing\",\"labels\":{\"alertname\":\"A\","
            + "\"severity\":\"info\",\"severity\":\"critical\"}}]}"));
  }

  @Test
  void nestingDeeperThanTheLimitIsNamed() {
    String deep = "[".repeat(Json.MAX_NESTING_DEPTH) + "]".repeat(Json.MAX_NESTING_DEPTH);
    assertEquals("JSON nests deeper than 64 levels at /monitor/tags/0/0/0/0/0/0/0/0/0/0/0/0/0"
        + "/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0"
        + "/0/0/0/0/0/0/0/0/0 (near byte 99)",
        rejected("{\"heartbeat\":null,\"monitor\":{\"tags\":" + deep + "}}"));
  }

  @Test
  void stringLongerThanTheLimitIsNamed() {
    String huge = "x".repeat(Json.MAX_STRING_LENGTH + 1);
    assertEquals("string at /summary is longer than 262144 characters, the limit (near byte"
        + " 262158)",
        rejected("{\"summary\":\"" + huge + "\"}"));
  }

  @Test
  void numberLongerThanTheLimitIsNamed() {
    assertEquals("number at /truncatedAlerts is longer than 64 characters, the limit (near"
        + " byte 84)",
        rejected("{\"truncatedAlerts\":" + "9".repeat(Json.MAX_NUMBER_LENGTH + 1) + "}"));
  }

  @Test
  void propertyNameLongerThanTheLimitIsNamed() {
    assertEquals("a property name in /alerts/0/labels is longer than 4096 characters, the"
        + " limit (near byte 4121)",
        rejected("{\"alerts\":[{\"labels\":{\"" + "n".repeat(Json.MAX_NAME_LENGTH + 1)
            + "\":\"v\"}}]}"));
  }

  @Test
  void bodyOverTheDefaultSizeLimitIsTooLarge() {
    byte[] body = new byte[WebhookDecoder.DEFAULT_MAX_BODY_BYTES + 1];
    assertEquals("body is 1048577 bytes, over the limit of 1048576 bytes",
        tooLarge(decoder, body));
  }

  @Test
  void bodyOverAConfiguredSizeLimitIsTooLarge() throws DecodeException {
    WebhookDecoder small = WebhookDecoder.builder().maxBodyBytes(219).build();
    assertEquals("body is 220 bytes, over the limit of 219 bytes",
        tooLarge(small, bytes("sample-direct-critical.json")));
    WebhookDecoder exact = WebhookDecoder.builder().maxBodyBytes(220).build();
    assertEquals(1, exact.decode(bytes("sample-direct-critical.json"), null,
        WebhookFormat.AUTO).alerts().size());
  }

  @Test
  void moreAlertsThanTheLimitIsTooLarge() throws DecodeException {
    StringBuilder body = new StringBuilder("{\"alerts\":[").append(ALERT);
    for (int i = 1; i <= WebhookDecoder.DEFAULT_MAX_ALERTS; i++) {
      body.append(',').append(ALERT);
    }
    body.append("]}");
    assertEquals("/alerts has more than 1000 alerts, the limit of this decoder",
        tooLarge(decoder, utf8(body.toString())));

    WebhookDecoder two = WebhookDecoder.builder().maxAlerts(2).build();
    assertEquals("/alerts has more than 2 alerts, the limit of this decoder",
        tooLarge(two, utf8("{\"alerts\":[" + ALERT + "," + ALERT + "," + ALERT + "]}")));
    assertEquals(2, two.decode(utf8("{\"alerts\":[" + ALERT + "," + ALERT + "]}"), null,
        WebhookFormat.AUTO).alerts().size());
  }

  @Test
  void valuesEchoedInMessagesAreShortAndSingleLine() {
    String message = rejected("{\"severity\":\"" + "x".repeat(500) + "\\n\\u0007\"}");
    assertEquals("unknown severity '" + "x".repeat(64) + "…' at /severity; allowed: critical,"
        + " warning, info", message);
    assertEquals("unknown severity 'a b\uFFFD' at /severity; allowed: critical, warning,"
        + " info",
        rejected("{\"severity\":\"a\\nb\\u0000\"}"));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] all = new byte[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
