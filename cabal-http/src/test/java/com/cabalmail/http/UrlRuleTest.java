package com.cabalmail.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The one base-URL rule, as alert-core's Settings and the heartbeat client apply it. */
class UrlRuleTest {

  @Test
  void anAbsoluteHttpUrlWithoutCredentialsPasses() {
    assertEquals(Optional.empty(), UrlRule.httpUrlProblem("K", "https://ntfy.sh"));
    assertEquals(Optional.empty(), UrlRule.httpUrlProblem("K", "HTTP://127.0.0.1:8080/x"));
  }

  @Test
  void credentialsAreRefusedWithoutRepeatingThem() {
    for (String url : new String[] {"https://u:hunter2@ntfy.sh", "https://u:hunter2@ntfy .sh"}) {
      String problem = UrlRule.httpUrlProblem("NTFY_BASE_URL", url).orElseThrow();
      assertTrue(problem.startsWith("NTFY_BASE_URL must not contain credentials"), problem);
      assertFalse(problem.contains("hunter2"), problem);
    }
  }

  @Test
  void otherValuesAreQuotedScrubbedAndNullIsRequired() {
    assertEquals("K='ftp://x' must be an absolute http(s) URL",
        UrlRule.httpUrlProblem("K", "ftp://x").orElseThrow());
    assertEquals("K is required: an http(s) URL", UrlRule.httpUrlProblem("K", null).orElseThrow());
    String problem = UrlRule.httpUrlProblem("K", "token=abcdefgh").orElseThrow();
    assertFalse(problem.contains("abcdefgh"), problem);
  }

  @Test
  void plainHttpNeedsPermissionUnlessLoopback() {
    URI remote = URI.create("http://hc.example.net/ping/x");
    assertEquals("K is plain http:// to hc.example.net, and a token would travel unencrypted:"
        + " use https://, or set ALERT_ALLOW_PLAIN_HTTP=true to allow it",
        UrlRule.plainHttpProblem("K", remote, false).orElseThrow());
    assertEquals(Optional.empty(), UrlRule.plainHttpProblem("K", remote, true));
    for (String url : new String[] {"https://hc.example.net", "http://localhost:8000",
        "http://a.localhost", "http://127.0.0.1", "http://[::1]:80"}) {
      assertFalse(UrlRule.needsPlainHttpPermission(URI.create(url)), url);
      assertEquals(Optional.empty(), UrlRule.plainHttpProblem("K", URI.create(url), false));
    }
    assertFalse(UrlRule.needsPlainHttpPermission(null));
    assertFalse(UrlRule.isLoopback("127.example.com"));
  }
}
