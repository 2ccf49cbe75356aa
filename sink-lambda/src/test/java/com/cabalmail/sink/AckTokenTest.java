package com.cabalmail.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cabalmail.alert.ConfigException;
import com.cabalmail.alert.Severity;
import com.cabalmail.alert.testkit.ManualTicker;
import com.cabalmail.http.Secret;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The acknowledgement capability, the rate limit in front of it, and the settings that turn it
 * on: a token works for its action, alert and time only; the limit refuses a burst; a weak or
 * shared key and settings that cannot work are configuration problems naming their keys.
 */
class AckTokenTest {

  static final byte[] KEY = "an-ack-key-of-its-own-32-chars!!".getBytes(StandardCharsets.UTF_8);
  static final long NOW = 1_787_300_000L;

  static AckToken ack(long expires) {
    return new AckToken(AckToken.Action.ACKNOWLEDGE, "3f2a9c1d7b4e6a05", Severity.CRITICAL,
        expires, "");
  }

  @Test
  void aTokenWorksForItsActionAlertAndTimeOnly() {
    String text = ack(NOW + 60).mint(KEY);
    assertTrue(text.matches("3f2a9c1d7b4e6a05\\.critical\\.\\d+\\.\\.[A-Za-z0-9_-]{22}"), text);
    AckToken read = AckToken.verify(KEY, AckToken.Action.ACKNOWLEDGE, text, NOW);
    assertEquals(ack(NOW + 60), read);

    assertNull(AckToken.verify(KEY, AckToken.Action.SILENCE, text, NOW), "another action");
    assertNull(AckToken.verify(KEY, AckToken.Action.ACKNOWLEDGE, text, NOW + 60), "expired");
    assertNull(AckToken.verify("another-key-of-32-characters-abc".getBytes(
        StandardCharsets.UTF_8), AckToken.Action.ACKNOWLEDGE, text, NOW), "another key");
    for (String[] edit : List.of(new String[] {"critical", "warning"},
        new String[] {"3f2a9c1d7b4e6a05", "3f2a9c1d7b4e6a06"},
        new String[] {String.valueOf(NOW + 60), String.valueOf(NOW + 6000)},
        new String[] {"..", ".3f2a9c1d7b4e6a05."})) {
      assertNull(AckToken.verify(KEY, AckToken.Action.ACKNOWLEDGE,
          text.replace(edit[0], edit[1]), NOW), edit[0] + " changed");
    }
    for (String junk : List.of("", ".", "a.b.c.d.e", text + ".x", "x".repeat(300),
        text.substring(0, text.length() - 1))) {
      assertNull(AckToken.verify(KEY, AckToken.Action.ACKNOWLEDGE, junk, NOW), junk);
    }
    String silence = new AckToken(AckToken.Action.SILENCE, "3f2a9c1d7b4e6a05",
        Severity.CRITICAL, NOW + 60, "9b8c7d6e5f4a3b2c").mint(KEY);
    assertNotNull(AckToken.verify(KEY, AckToken.Action.SILENCE, silence, NOW));
    assertNull(AckToken.verify(KEY, AckToken.Action.ACKNOWLEDGE, silence, NOW));
    assertFalse(silence.contains(new String(KEY, StandardCharsets.UTF_8)));
  }

  @Test
  void aTokenHasOneSpellingAndEveryMacCharacterCounts() {
    // 16 bytes are 22 base64 characters; the last carries 2 bits and 4 unused ones, so every
    // last character decodes like exactly three others. Only the minted spelling is the token.
    for (long expires = NOW + 1; expires < NOW + 41; expires++) {
      String text = ack(expires).mint(KEY);
      int mac = text.lastIndexOf('.') + 1;
      assertNotNull(AckToken.verify(KEY, AckToken.Action.ACKNOWLEDGE, text, NOW));
      for (int at = mac; at < text.length(); at++) {
        for (char c : "AQgwBRhx_-09".toCharArray()) {
          if (c != text.charAt(at)) {
            String variant = text.substring(0, at) + c + text.substring(at + 1);
            assertNull(AckToken.verify(KEY, AckToken.Action.ACKNOWLEDGE, variant, NOW),
                variant);
          }
        }
      }
    }
  }

  @Test
  void theRateLimitRefusesABurstThenRefillsOneEveryThreeSeconds() {
    ManualTicker ticker = new ManualTicker();
    AckRateLimit limit = new AckRateLimit(ticker, 3);
    assertTrue(limit.tryAcquire());
    assertTrue(limit.tryAcquire());
    assertTrue(limit.tryAcquire());
    assertFalse(limit.tryAcquire());
    ticker.sleep(Duration.ofMillis(2_900));
    assertFalse(limit.tryAcquire());
    ticker.sleep(Duration.ofMillis(200));
    assertTrue(limit.tryAcquire());
    assertFalse(limit.tryAcquire());
    ticker.sleep(Duration.ofHours(1));
    for (int i = 0; i < 3; i++) {
      assertTrue(limit.tryAcquire());
    }
    assertFalse(limit.tryAcquire(), "the bucket holds its burst, no more");
  }

  static Map<String, String> env(String... pairs) {
    Map<String, String> env = new HashMap<>();
    env.put("ALERT_SECRET", "a-shared-secret-of-32-characters");
    env.put("ALERT_ROUTES", "critical:console=5;warning:console=3;info:");
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }

  static String problems(Map<String, String> env) {
    ConfigException e = assertThrows(ConfigException.class,
        () -> SinkSetup.forLambda(env));
    return e.getMessage();
  }

  @Test
  void settingsThatCannotWorkAreProblemsNamingTheirKeysNeverTheirValues() {
    String shared = problems(env("ALERT_ACK_KEY", "a-shared-secret-of-32-characters"));
    assertTrue(shared.contains("ALERT_ACK_KEY must not be the shared secret"), shared);
    assertFalse(shared.contains("a-shared-secret-of-32"), shared);
    assertTrue(problems(env("ALERT_ACK_KEY", "short-key")).contains(
        "ALERT_ACK_KEY is shorter than 16 bytes"));
    assertTrue(problems(env("ALERT_ACK_KEY", "an-ack-key-of-its-own-32-chars!!",
        "ALERT_LEDGER", "none")).contains("ALERT_LEDGER=none"));
    assertTrue(problems(env("ALERTMANAGER_URL", "http://127.0.0.1:9093")).contains(
        "ALERTMANAGER_URL is set but ALERT_ACK_KEY is not"));
    String auth = problems(env("ALERT_ACK_KEY", "an-ack-key-of-its-own-32-chars!!",
        "ALERTMANAGER_URL", "http://alertmanager.example:9093",
        "ALERTMANAGER_BASIC_AUTH", "admin:s3cret-password"));
    assertTrue(auth.contains("ALERTMANAGER_URL"), auth);
    assertFalse(auth.contains("s3cret"), auth);
    assertTrue(problems(env("ALERT_PUBLIC_URL", "https://sink.example/?x=1")).contains(
        "ALERT_PUBLIC_URL"));
    assertTrue(problems(env("ALERT_PUBLIC_URL", "http://sink.example")).contains(
        "ALERT_PUBLIC_URL"));

    Sink sink = SinkSetup.forLambda(env("ALERT_ACK_KEY", "an-ack-key-of-its-own-32-chars!!",
        "ALERT_PUBLIC_URL", "https://alerts.example/", "ALERTMANAGER_URL",
        "https://alertmanager.example", "ALERTMANAGER_BASIC_AUTH", "admin:s3cret-password"));
    assertEquals("https://alerts.example", sink.acknowledgements().publicUrl().orElseThrow());
    sink.acknowledgements().learnDomain("abc.lambda-url.eu-west-1.on.aws");
    assertEquals("https://alerts.example", sink.acknowledgements().publicUrl().orElseThrow(),
        "the configured URL wins over the event's domain");
    assertTrue(Secret.of("admin:s3cret-password").scrub(sink.acknowledgements().toString())
        .equals(sink.acknowledgements().toString()));
  }
}
