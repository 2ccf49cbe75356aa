package com.cabalmail.alert.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 16, point 5: URL settings that cannot leak a credential by accident. */
class SettingsUrlTest {

  @Test
  void aUrlWithCredentialsIsRefusedWithoutRepeatingThem() {
    for (String url : List.of("https://ops:hunter22@ntfy.example", "http://ops:hunter22@127.0.0.1:8/",
        "https://hunter22@api.example/x", "https://ops:hun ter22@bad uri/")) {
      Settings settings = Settings.of(Map.of("X_URL", url));
      assertNull(settings.httpUrl("X_URL", null), url);
      assertEquals(1, settings.problems().size(), settings.problems().toString());
      String problem = settings.problems().get(0);
      assertTrue(problem.startsWith("X_URL must not contain credentials"), problem);
      assertFalse(problem.contains("hunter") || problem.contains("ops"), problem);
    }
  }

  @Test
  void aBadUrlIsQuotedButNeverItsCredentials() {
    Settings settings = Settings.of(Map.of("X_URL", "ftp://host/x?token=hunter22secret"));
    assertNull(settings.httpUrl("X_URL", null));
    String problem = settings.problems().get(0);
    assertTrue(problem.contains("must be an absolute http(s) URL"), problem);
    assertFalse(problem.contains("hunter22"), problem);
  }

  @Test
  void plainHttpCarriesATokenOnlyToLoopbackUnlessAllowed() {
    Settings settings = Settings.of(Map.of());
    for (String loopback : List.of("http://localhost:8080/", "http://127.0.0.1:9/",
        "http://[::1]:80/", "https://ntfy.example/", "http://api.localhost/")) {
      URI uri = URI.create(loopback);
      assertEquals(uri, settings.credentialUrl("X_URL", uri), loopback);
    }
    assertTrue(settings.problems().isEmpty(), settings.problems().toString());

    URI remote = URI.create("http://ntfy.internal.example/");
    assertNull(settings.credentialUrl("X_URL", remote));
    assertTrue(settings.problems().get(0).startsWith("X_URL is plain http:// to"
        + " ntfy.internal.example"), settings.problems().toString());
    assertTrue(settings.problems().get(0).contains("ALERT_ALLOW_PLAIN_HTTP=true"));

    Settings allowed = Settings.of(Map.of(Settings.ALLOW_PLAIN_HTTP, "TRUE"));
    assertEquals(remote, allowed.credentialUrl("X_URL", remote));
    assertTrue(allowed.problems().isEmpty());

    Settings typo = Settings.of(Map.of(Settings.ALLOW_PLAIN_HTTP, "yes"));
    assertNull(typo.credentialUrl("X_URL", remote));
    assertTrue(typo.problems().contains("ALERT_ALLOW_PLAIN_HTTP='yes' must be true or false"),
        typo.problems().toString());
  }

  @Test
  void aPlainSecretReadOnceIsScrubbedFromEveryLaterProblem() {
    Settings settings = Settings.of(Map.of("X_TOKEN", "tok-1234567890"));
    settings.optionalSecret("X_TOKEN");
    settings.problem("X_OTHER echoed tok-1234567890");
    assertEquals(List.of("X_OTHER echoed <redacted>"), settings.problems());
    assertEquals("<redacted>", settings.redaction().scrub("tok-1234567890"));
  }
}
