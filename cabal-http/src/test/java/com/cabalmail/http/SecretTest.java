package com.cabalmail.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SecretTest {

  @Test
  void neverPrintsItsValue() {
    Secret secret = Secret.of("tk_abcdef");
    assertEquals("<redacted>", secret.toString());
    assertEquals("<redacted>", String.valueOf(secret));
    assertEquals("token <redacted> here", secret.scrub("token tk_abcdef here"));
  }

  @Test
  void matchesExactBytesOnly() {
    Secret secret = Secret.of("s3cr3t-ü");
    assertTrue(secret.matches("s3cr3t-ü".getBytes(StandardCharsets.UTF_8)));
    assertFalse(secret.matches("s3cr3t-u".getBytes(StandardCharsets.UTF_8)));
    assertFalse(secret.matches("s3cr3t".getBytes(StandardCharsets.UTF_8)));
    assertFalse(secret.matches(null));
  }

  @Test
  void blankIsRefusedWithoutEchoingIt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Secret.of("  "));
    assertEquals("secret value is blank", e.getMessage());
  }
}
