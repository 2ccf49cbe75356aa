package com.cabalmail.heartbeat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cabalmail.alert.testkit.CapturedLogs;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Ping URLs follow the transports' base-URL rule (cabal-http's UrlRule), quoting no secret. */
class HeartbeatUrlRulesTest {

  static final String CHECK = "5f1c2b3a-8d4e-4f60-9a7b-0c1d2e3f4a5b";

  @BeforeEach
  void reset() {
    CapturedLogs.clear();
  }

  static Heartbeat fromVariable(String url, Map<String, String> more) {
    Map<String, String> environment = new java.util.HashMap<>(more);
    environment.put("PING_URL", url);
    return Heartbeat.builder().environment(environment).fromEnvironment("PING_URL");
  }

  @Test
  void userInfoIsRefusedWithoutQuotingIt() {
    Heartbeat heartbeat = fromVariable("https://ops:hunter22@hc-ping.com/" + CHECK, Map.of());

    assertFalse(heartbeat.isEnabled());
    String logs = CapturedLogs.text();
    assertTrue(logs.startsWith("WARN") && logs.contains("environment variable PING_URL"), logs);
    assertTrue(logs.contains("user:password@"), logs);
    for (String leak : List.of("hunter22", "ops:", CHECK)) {
      assertFalse(logs.contains(leak), leak + " in " + logs);
    }
  }

  @Test
  void plainHttpToAHostThatIsNotLoopbackIsRefusedUnlessAllowed() {
    String url = "http://hc.example.net/ping/" + CHECK;

    Heartbeat refused = fromVariable(url, Map.of());

    assertFalse(refused.isEnabled());
    String logs = CapturedLogs.text();
    assertTrue(logs.contains("environment variable PING_URL is plain http:// to hc.example.net"),
        logs);
    assertTrue(logs.contains("ALERT_ALLOW_PLAIN_HTTP=true"), logs);
    assertFalse(logs.contains(CHECK), logs);
    assertTrue(refused.label().contains("plain http://"), refused.label());

    assertTrue(fromVariable(url, Map.of("ALERT_ALLOW_PLAIN_HTTP", "true")).isEnabled());
    assertFalse(fromVariable(url, Map.of("ALERT_ALLOW_PLAIN_HTTP", "false")).isEnabled());
  }

  @Test
  void httpsAndLoopbackAreAccepted() {
    for (String url : List.of("https://hc-ping.com/" + CHECK,
        "http://localhost:8000/ping/" + CHECK, "http://127.0.0.1:8000/ping/" + CHECK,
        "http://[::1]:8000/ping/" + CHECK)) {
      assertTrue(fromVariable(url, Map.of()).isEnabled(), url + ": " + CapturedLogs.text());
    }
  }

  @Test
  void aValueThatIsNoUrlStillMeansDoNotPing() {
    Heartbeat paused = fromVariable("paused", Map.of());

    assertFalse(paused.isEnabled());
    assertEquals(List.of("INFO com.cabalmail.heartbeat.Heartbeat - heartbeat off: environment"
        + " variable PING_URL is 'paused'"), CapturedLogs.lines());
  }
}
