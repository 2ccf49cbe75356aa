package com.cabalmail.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cabalmail.alert.Alert;
import com.cabalmail.alert.Outcome;
import com.cabalmail.alert.Severity;
import com.cabalmail.alert.ntfy.NtfyProvider;
import com.cabalmail.alert.pushover.PushoverProvider;
import com.cabalmail.alert.spi.Settings;
import com.cabalmail.http.Deadline;
import com.cabalmail.http.Text;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One nasty alert through Pushover and ntfy (WireMock answering as each does): both channels
 * show the same characters, each within its own limit.
 */
class SameTextOnEveryChannelTest {

  private static final String SOURCE = "kuma/Zürich\u2028✓\u0085東京\t\r\n\u202Eevil\u202C 🚨 𝄞";
  private static final String SUMMARY_START =
      "line 1\u2028line 2\u0085line 3\r\nline 4\rline 5\ttabbed \u202Eevil\u202C 🚨 𝄞 مرحبا ";

  @RegisterExtension final ProviderStubs stubs = new ProviderStubs();

  @Test
  void nastyAlertShowsTheSameCharactersOnPushoverAndNtfy() {
    // 5,000+ code points, astral ones included: both providers must cut it.
    String summary = SUMMARY_START + "🔥x".repeat(2_500);
    Alert alert = Alert.firing(Severity.CRITICAL, SOURCE, summary)
        .withRunbook(URI.create("https://runbooks.cabal.example/zürich"));
    Settings settings = Settings.of(stubs.settings());

    Outcome pushover = new PushoverProvider().create(settings)
        .deliver(alert, 1, Deadline.after(Duration.ofSeconds(10)));
    Outcome ntfy = new NtfyProvider().create(settings)
        .deliver(alert, 5, Deadline.after(Duration.ofSeconds(10)));

    assertEquals(Outcome.Kind.SENT, pushover.kind(), pushover.detail());
    assertEquals(Outcome.Kind.SENT, ntfy.kind(), ntfy.detail());
    Map<String, String> sentToPushover = stubs.pushoverMessages().get(0);
    Map<String, String> sentToNtfy = stubs.ntfyMessages().get(0);

    String title = "[CRITICAL] kuma/Zürich ✓ 東京 \u202Eevil\u202C 🚨 𝄞";
    assertEquals(title, sentToPushover.get("title"));
    assertEquals(title, sentToNtfy.get("title"));

    String pushoverMessage = sentToPushover.get("message");
    String ntfyMessage = sentToNtfy.get("message");
    String clean = "line 1\nline 2\nline 3\nline 4\nline 5\ttabbed \u202Eevil\u202C 🚨 𝄞 مرحبا";
    assertTrue(pushoverMessage.startsWith(clean), pushoverMessage);
    assertTrue(ntfyMessage.startsWith(clean), ntfyMessage);
    // Each cut at its own limit, with the mark, on a code point; the shorter is the longer's
    // start: the same characters, only fewer.
    assertEquals(1024, Text.length(pushoverMessage));
    assertTrue(ntfyMessage.getBytes(StandardCharsets.UTF_8).length <= 4096);
    assertTrue(ntfyMessage.getBytes(StandardCharsets.UTF_8).length > 4096 - 4);
    String pushoverKept = pushoverMessage.substring(0, pushoverMessage.indexOf(Text.MARK));
    String ntfyKept = ntfyMessage.substring(0, ntfyMessage.indexOf(Text.MARK));
    assertTrue(ntfyKept.startsWith(pushoverKept), "Pushover's text is ntfy's, cut shorter");
    for (String message : new String[] {pushoverMessage, ntfyMessage}) {
      assertFalse(message.contains("\r") || message.contains("\u2028")
          || message.contains("\u0085") || message.contains("\uFFFD"), message);
    }
    assertEquals("https://runbooks.cabal.example/z%C3%BCrich", sentToPushover.get("url"));
    assertEquals("https://runbooks.cabal.example/z%C3%BCrich", sentToNtfy.get("click"));
  }
}
