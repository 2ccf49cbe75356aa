package com.cabalmail.alert.ntfy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cabalmail.alert.Alert;
import com.cabalmail.alert.Labels;
import com.cabalmail.alert.Severity;
import com.cabalmail.alert.spi.Settings;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The limits and replacements of the body, without HTTP. */
class NtfyMessageTest {

  @Test
  void cutToAJsonBudgetNeverSplitsAFourByteEmoji() {
    // (The byte budget alone is Text.truncateUtf8's, tested in TextTest.)
    // '"' + "ab" + 🚨 + "cdef" is 11 bytes, 12 in JSON: 10 JSON bytes leave room for '"ab' (4
    // in JSON) and the 3-byte mark, not for the emoji too; 11 do.
    assertEquals("\"ab…", NtfyMessage.fit("\"ab🚨cdef", 100, 10));
    assertEquals("\"ab🚨…", NtfyMessage.fit("\"ab🚨cdef", 100, 11));
    assertEquals("\"ab🚨cdef", NtfyMessage.fit("\"ab🚨cdef", 100, 12));
  }

  @Test
  void cutCountsJsonEscapesWhenAskedTo() {
    // Each quote is 1 byte of UTF-8 but 2 in JSON.
    assertEquals("\"\"…", NtfyMessage.fit("\"\"\"\"\"\"", 100, 7));
    assertEquals(12, NtfyMessage.jsonLength("\"\"\"\"\"\""));
    assertEquals(4, NtfyMessage.jsonLength("a\nb"));
  }

  @Test
  void notesSurviveACutSummary() {
    String message = NtfyMessage.compose("x".repeat(5_000), "\n\n+2 alerts not shown", 4096,
        Integer.MAX_VALUE);

    assertEquals(4096, message.getBytes(StandardCharsets.UTF_8).length);
    assertTrue(message.endsWith("x…\n\n+2 alerts not shown"), message);
  }

  @Test
  void resolvedAlertIsRenderedExactlyAsTheReadmeShows() {
    NtfySettings settings = NtfySettings.read(
        Settings.of(Map.of("NTFY_BASE_URL", "https://ntfy.cabal.example")));
    Alert resolved = Alert.resolved(Severity.CRITICAL, "kuma/IMAP reachable (Zürich ✓ 東京)",
            "OK: IMAPS answers again (48 ms)")
        .withRunbook(java.net.URI.create("https://github.com/cabalmail/cabal-infra/blob/main/docs/"
            + "operations/runbooks/imap.md"));

    byte[] body = NtfyMessage.render(resolved, 3, settings);

    String runbook =
        "https://github.com/cabalmail/cabal-infra/blob/main/docs/operations/runbooks/imap.md";
    assertEquals("{\"topic\":\"alerts\",\"title\":\"[RESOLVED] kuma/IMAP reachable (Zürich ✓ 東京)\","
        + "\"message\":\"OK: IMAPS answers again (48 ms)\",\"priority\":3,"
        + "\"tags\":[\"white_check_mark\"],\"click\":\"" + runbook + "\",\"actions\":"
        + "[{\"action\":\"view\",\"label\":\"Runbook\",\"url\":\"" + runbook + "\"}]}",
        new String(body, StandardCharsets.UTF_8));
  }

  @Test
  void clickOpensTheDashboardNeverTheSilencePageAndARunbookTextIsALine() {
    NtfySettings settings = NtfySettings.read(
        Settings.of(Map.of("NTFY_BASE_URL", "https://ntfy.cabal.example")));
    Alert grafana = Alert.firing(Severity.WARNING, "grafana/Queue", "Mail queue growing")
        .withLabel(Labels.SILENCE_URL, "https://grafana.example/alerting/silence/new?x=1")
        .withLabel(Labels.DASHBOARD_URL, "https://grafana.example/d/mail")
        .withLabel(Labels.RUNBOOK_TEXT, "see the wiki page Disk-Full");

    String body = new String(NtfyMessage.render(grafana, 3, settings), StandardCharsets.UTF_8);

    assertTrue(body.contains("\"click\":\"https://grafana.example/d/mail\""), body);
    assertTrue(body.contains("\"message\":\"Mail queue growing\\n\\nRunbook: see the wiki page"
        + " Disk-Full\""), body);
    assertTrue(body.contains("\"label\":\"Silence\""), "the silence page stays a button: " + body);

    Alert onlySilence = Alert.firing(Severity.WARNING, "grafana/Queue", "x")
        .withLabel(Labels.SILENCE_URL, "https://grafana.example/alerting/silence/new?x=1");
    String silenced = new String(NtfyMessage.render(onlySilence, 3, settings),
        StandardCharsets.UTF_8);
    assertTrue(!silenced.contains("\"click\""), silenced);
  }

  @Test
  void testNotificationIsMarkedInTheTitle() {
    NtfySettings settings = NtfySettings.read(
        Settings.of(Map.of("NTFY_BASE_URL", "https://ntfy.cabal.example")));
    String body = new String(NtfyMessage.render(Alert.firing(Severity.INFO, "kuma",
        "Cabal sink Testing").withLabel(Labels.TEST, "true"), 3, settings),
        StandardCharsets.UTF_8);
    assertTrue(body.contains("\"title\":\"[TEST] kuma\""), body);
  }

  @Test
  void linksAreSentInAsciiWithALowerCaseScheme() {
    assertEquals(java.util.Optional.of("https://runbooks.cabal.example/z%C3%BCrich"),
        NtfyMessage.httpUrl("HTTPS://runbooks.cabal.example/zürich"));
    assertEquals(java.util.Optional.empty(), NtfyMessage.httpUrl("ftp://runbooks.cabal.example/"));
    assertEquals(java.util.Optional.empty(), NtfyMessage.httpUrl("https:///no-host"));
    assertEquals(java.util.Optional.empty(), NtfyMessage.httpUrl("not a url"));
  }

  @Test
  void longTitleIsCutToItsLimit() {
    NtfySettings settings = NtfySettings.read(
        Settings.of(Map.of("NTFY_BASE_URL", "https://ntfy.cabal.example")));
    String source = "kuma/" + "東".repeat(200);

    byte[] body = NtfyMessage.render(Alert.firing(Severity.INFO, source, "s"), 2, settings);

    String title = (String) SentJson.object(body).get("title");
    int bytes = title.getBytes(StandardCharsets.UTF_8).length;
    assertTrue(bytes <= NtfyMessage.MAX_TITLE_BYTES && bytes > NtfyMessage.MAX_TITLE_BYTES - 3,
        bytes + " bytes");
    assertTrue(title.startsWith("[INFO] kuma/東東") && title.endsWith("東…"), title);
  }
}
