package com.cabalmail.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class RedactionTest {

  static final String TOKEN = "azGDORePK8gMaC0QOYAMyEEuzJnyUi";

  @Test
  void everyWholeOccurrenceIsBlanked() {
    Redaction r = Redaction.of(Secret.of(TOKEN));
    assertEquals("token=<redacted>&again=<redacted>", r.scrub("token=" + TOKEN + "&again=" + TOKEN));
  }

  @Test
  void theUrlEncodedFormIsBlankedToo() {
    Redaction r = Redaction.of(Secret.of("p@ss w/rd+1"));
    assertEquals("form: pw=<redacted>", r.scrub("form: pw=p%40ss+w%2Frd%2B1"));
  }

  @Test
  void aSecretContainingAnotherIsBlankedWhole() {
    Redaction r = Redaction.of(Secret.of("abcd"), Secret.of("xxabcdyy"));
    assertEquals("<redacted> and <redacted>", r.scrub("xxabcdyy and abcd"));
  }

  @Test
  void whatAnEarlierCutLeftAtEitherEndIsBlanked() {
    Redaction r = Redaction.of(Secret.of(TOKEN));
    for (int cut = Redaction.MIN_EDGE_FRAGMENT; cut < TOKEN.length(); cut++) {
      String scrubbed = r.scrub("error: token=" + TOKEN.substring(0, cut));
      assertEquals("error: token=<redacted>", scrubbed, "cut after " + cut);
      String end = TOKEN.substring(TOKEN.length() - cut);
      assertEquals("<redacted>&user=x", r.scrub(end + "&user=x"), "last " + cut);
    }
    assertEquals("ends with azG", r.scrub("ends with azG"), "3 characters are left alone");
  }

  @Test
  void patternsBlankCredentialsNoConfigurationNames() {
    Redaction r = Redaction.none().withPatterns();
    String text = "aws AKIAIOSFODNN7EXAMPLE and ASIAY34FZKBOKMUTVV7A; Authorization: Bearer"
        + " eyJhbGciOi.J9x-y_z; see https://ops:hunter22@db.example/x; password=hunter2 token: tk_abc";
    String scrubbed = r.scrub(text);
    for (String leak : List.of("AKIAIOSFODNN7EXAMPLE", "ASIAY34FZKBOKMUTVV7A", "eyJhbGciOi",
        "hunter22", "hunter2", "tk_abc")) {
      assertFalse(scrubbed.contains(leak), leak + " in " + scrubbed);
    }
    assertEquals("https://<redacted>@db.example/x", r.scrub("https://ops:hunter22@db.example/x"));
  }

  @Test
  void noneScrubsNothingAndNullStaysNull() {
    assertEquals("text", Redaction.none().scrub("text"));
    assertNull(Redaction.of(Secret.of(TOKEN)).scrub(null));
  }

  @Test
  void combinedRedactionsScrubEverySecret() {
    Redaction r = Redaction.of(Secret.of("first-secret")).and(Redaction.of(Secret.of("second-one")))
        .and(List.of(Secret.of("third-one")));
    assertEquals("<redacted> <redacted> <redacted>", r.scrub("first-secret second-one third-one"));
    assertFalse(r.toString().contains("secret"));
  }

  @Test
  void whatTheProcessLearnsReplacesWhatTheSameSourceTaughtBefore() {
    try {
      Redaction.learned("test source a", List.of(Secret.of("old-credential-1")));
      Redaction.learned("test source b", List.of(Secret.of("other-credential-2")));
      Redaction.learned("test source a", List.of(Secret.of("new-credential-3")));

      assertEquals("old-credential-1 <redacted> <redacted>",
          Redaction.process().scrub("old-credential-1 other-credential-2 new-credential-3"));
    } finally {
      Redaction.learned("test source a", List.of());
      Redaction.learned("test source b", List.of());
    }
    assertEquals("new-credential-3", Redaction.process().scrub("new-credential-3"));
  }
}
