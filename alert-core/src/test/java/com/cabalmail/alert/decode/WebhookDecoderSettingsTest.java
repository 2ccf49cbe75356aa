package com.cabalmail.alert.decode;

import static com.cabalmail.alert.decode.Payloads.bytes;
import static com.cabalmail.alert.decode.Payloads.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cabalmail.alert.Alert;
import com.cabalmail.alert.ConfigException;
import com.cabalmail.alert.spi.Settings;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Limits and the runbook map come from settings, validated at startup, every problem named. */
class WebhookDecoderSettingsTest {

  private static final String RUNBOOKS =
      "https://github.com/cabalmail/cabal-infra/blob/main/docs/operations/runbooks/";

  private static WebhookDecoder valid(Map<String, String> values) {
    Settings settings = Settings.of(values);
    WebhookDecoder decoder = WebhookDecoder.fromSettings(settings);
    settings.requireValid();
    return decoder;
  }

  private static List<String> problems(Map<String, String> values) {
    Settings settings = Settings.of(values);
    WebhookDecoder.fromSettings(settings);
    ConfigException e = assertThrows(ConfigException.class, settings::requireValid);
    return e.problems();
  }

  private static Optional<URI> runbookOf(WebhookDecoder decoder, String source)
      throws DecodeException {
    String body = "{\"severity\":\"critical\",\"source\":\"" + source + "\",\"summary\":\"x\"}";
    Alert alert = decoder.decode(utf8(body), null, WebhookFormat.AUTO).alerts().get(0);
    return alert.runbook();
  }

  @Test
  void withoutSettingsTheDefaultsApply() throws DecodeException {
    WebhookDecoder decoder = valid(Map.of());
    DecodeException e = assertThrows(DecodeException.class, () -> decoder.decode(
        new byte[WebhookDecoder.DEFAULT_MAX_BODY_BYTES + 1], null, WebhookFormat.AUTO));
    assertTrue(e.isTooLarge());
    assertEquals(Optional.empty(), runbookOf(decoder, "kuma/IMAP reachable (internal)"));
  }

  @Test
  void limitsAreRead() {
    WebhookDecoder decoder = valid(Map.of(WebhookDecoder.MAX_BODY_BYTES, "100",
        WebhookDecoder.MAX_ALERTS, "1"));
    assertEquals("body is 220 bytes, over the limit of 100 bytes",
        assertThrows(DecodeException.class, () -> decoder.decode(
            bytes("sample-direct-critical.json"), null, WebhookFormat.AUTO)).getMessage());
    WebhookDecoder oneAlert = valid(Map.of(WebhookDecoder.MAX_ALERTS, "1"));
    assertEquals("/alerts has more than 1 alerts, the limit of this decoder",
        assertThrows(DecodeException.class, () -> oneAlert.decode(
            bytes("sample-alertmanager-firing.json"), null, WebhookFormat.AUTO)).getMessage());
  }

  @Test
  void bodyLimitAboveTheFunctionUrlCeilingIsAProblemAndTheCeilingItselfIsTheLimit() {
    assertEquals(List.of(
        "ALERT_MAX_BODY_BYTES='8388608' must be a whole number from 1 to 6291456"),
        problems(Map.of(WebhookDecoder.MAX_BODY_BYTES, "8388608")));
    assertEquals(6 * 1024 * 1024,
        valid(Map.of(WebhookDecoder.MAX_BODY_BYTES, "6291456")).maxBodyBytes());
    assertEquals(100, valid(Map.of(WebhookDecoder.MAX_BODY_BYTES, "100")).maxBodyBytes());
  }

  @Test
  void badLimitsAreNamedTogether() {
    assertEquals(List.of(
        "ALERT_MAX_BODY_BYTES='1MB' must be a whole number from 1 to 6291456",
        "ALERT_MAX_ALERTS='0' must be a whole number from 1 to 100000"),
        problems(Map.of(WebhookDecoder.MAX_BODY_BYTES, "1MB", WebhookDecoder.MAX_ALERTS, "0")));
  }

  @Test
  void runbookMapGivesALinkToAlertsWithoutOneMatchingTheSourceOrItsParents()
      throws DecodeException {
    WebhookDecoder decoder = valid(Map.of(WebhookDecoder.RUNBOOKS, "{"
        + "\"kuma/IMAP reachable (internal)\": \"" + RUNBOOKS + "probe-failure.md\","
        + "\"healthchecks/certbot-renewal\": \"" + RUNBOOKS + "certbot.md\","
        + "\"alertmanager/PostfixQueueBacklog\": \"" + RUNBOOKS + "postfix.md\","
        + "\"kuma\": \"" + RUNBOOKS + "kuma.md\"}"));

    assertEquals(Optional.of(URI.create(RUNBOOKS + "probe-failure.md")),
        runbookOf(decoder, "kuma/IMAP reachable (internal)"));
    assertEquals(Optional.of(URI.create(RUNBOOKS + "kuma.md")),
        runbookOf(decoder, "kuma/SMTP reachable"));
    assertEquals(Optional.of(URI.create(RUNBOOKS + "certbot.md")),
        runbookOf(decoder, "healthchecks/certbot-renewal"));
    assertEquals(Optional.empty(), runbookOf(decoder, "healthchecks/aws-backup"));
    assertEquals(Optional.empty(), runbookOf(decoder, "kumax"));

    AlertBatch group = decoder.decode(bytes("alertmanager-0.25-resolved.json"), null,
        WebhookFormat.AUTO);
    assertEquals(Optional.of(URI.create(RUNBOOKS + "postfix.md")),
        group.alerts().get(0).runbook());
    assertEquals(Optional.empty(), group.alerts().get(1).runbook());
  }

  @Test
  void runbookInTheBodyWinsOverTheMap() throws DecodeException {
    WebhookDecoder decoder = valid(Map.of(WebhookDecoder.RUNBOOKS,
        "{\"cabal/dmarc-ingest\": \"" + RUNBOOKS + "dmarc.md\"}"));
    assertEquals(Optional.of(URI.create("https://runbooks.cabal.example/lambda/dmarc-ingest")),
        decoder.decode(bytes("sample-direct-critical.json"), null, WebhookFormat.AUTO)
            .alerts().get(0).runbook());
  }

  @Test
  void everyBadRunbookEntryIsNamed() {
    assertEquals(List.of(
        "ALERT_RUNBOOKS: the runbook of 'kuma/a' is 'ftp://x/y', not an absolute http(s) URL",
        "ALERT_RUNBOOKS: the runbook of 'kuma/b' must be a string (an absolute http(s) URL),"
            + " got an array",
        "ALERT_RUNBOOKS: the runbook of 'kuma/c' is 'runbooks/c.md', not an absolute http(s)"
            + " URL"),
        problems(Map.of(WebhookDecoder.RUNBOOKS, "{\"kuma/a\": \"ftp://x/y\","
            + " \"kuma/b\": [\"https://x\"], \"kuma/c\": \"runbooks/c.md\","
            + " \"kuma/d\": \"https://ok.example/d\"}")));
  }

  @Test
  void runbookMapThatIsNotAJsonObjectIsNamed() {
    assertEquals(List.of("ALERT_RUNBOOKS must be a JSON object of alert source to runbook URL,"
        + " got an array"), problems(Map.of(WebhookDecoder.RUNBOOKS, "[\"https://x\"]")));
    assertEquals(List.of("ALERT_RUNBOOKS is not valid JSON at byte 10: Unexpected character"
        + " ('h' (code 104)): was expecting a colon to separate field name and value"),
        problems(Map.of(WebhookDecoder.RUNBOOKS, "{\"kuma/a\" https://x}")));
  }

  @Test
  void runbookFileIsReadAndTheSettingWinsOverIt(@TempDir Path dir)
      throws IOException, DecodeException {
    Path file = dir.resolve("runbooks.json");
    Files.write(file, ("{\"kuma/a\": \"" + RUNBOOKS + "a-file.md\", \"kuma/b\": \"" + RUNBOOKS
        + "b-file.md\"}").getBytes(StandardCharsets.UTF_8));
    WebhookDecoder decoder = valid(Map.of(WebhookDecoder.RUNBOOKS_FILE, file.toString(),
        WebhookDecoder.RUNBOOKS, "{\"kuma/b\": \"" + RUNBOOKS + "b-setting.md\"}"));

    assertEquals(Optional.of(URI.create(RUNBOOKS + "a-file.md")), runbookOf(decoder, "kuma/a"));
    assertEquals(Optional.of(URI.create(RUNBOOKS + "b-setting.md")),
        runbookOf(decoder, "kuma/b"));
  }

  @Test
  void missingOrBadRunbookFileIsNamed(@TempDir Path dir) throws IOException {
    Path missing = dir.resolve("missing.json");
    List<String> problems = problems(Map.of(WebhookDecoder.RUNBOOKS_FILE, missing.toString()));
    assertEquals(1, problems.size());
    assertEquals("ALERT_RUNBOOKS_FILE='" + missing + "' cannot be read:"
        + " java.nio.file.NoSuchFileException: " + missing, problems.get(0));

    Path bad = dir.resolve("bad.json");
    Files.write(bad, "{\"kuma/a\": \"mailto:ops@x\"}".getBytes(StandardCharsets.UTF_8));
    assertEquals(List.of("ALERT_RUNBOOKS_FILE='" + bad + "': the runbook of 'kuma/a' is"
        + " 'mailto:ops@x', not an absolute http(s) URL"),
        problems(Map.of(WebhookDecoder.RUNBOOKS_FILE, bad.toString())));
  }

  @Test
  void builderRefusesImpossibleValues() {
    assertEquals("maxBodyBytes must be from 1 to 6291456, got 0",
        assertThrows(IllegalArgumentException.class,
            () -> WebhookDecoder.builder().maxBodyBytes(0)).getMessage());
    assertEquals("maxAlerts must be from 1 to 100000, got 100001",
        assertThrows(IllegalArgumentException.class,
            () -> WebhookDecoder.builder().maxAlerts(100_001)).getMessage());
    assertEquals("the runbook of 'kuma/a' must be an absolute http(s) URL, got 'runbooks/a.md'",
        assertThrows(IllegalArgumentException.class, () -> WebhookDecoder.builder()
            .runbook("kuma/a", URI.create("runbooks/a.md"))).getMessage());
  }

  @Test
  void theLargestBodyLimitFitsTheSharedJsonFactorysDocumentLimit() {
    assertTrue(WebhookDecoder.LARGEST_MAX_BODY_BYTES <= com.cabalmail.http.Json.MAX_DOCUMENT_LENGTH);
  }
}
