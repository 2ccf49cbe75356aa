package com.cabalmail.alert.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.cabalmail.alert.Severity;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LedgerKeyTest {

  @Test
  void keysWithTheSameFieldsAreEqualAndHashAlike() {
    LedgerKey a = LedgerKey.firing("3f2a9c1d7b4e6a05", Severity.CRITICAL, "pushover");
    LedgerKey b = LedgerKey.parse("3f2a9c1d7b4e6a05/firing/critical/pushover");
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    assertEquals(Set.of(a), new HashSet<>(Set.of(b)));
  }

  @Test
  void eachFieldTellsKeysApart() {
    LedgerKey key = LedgerKey.firing("3f2a9c1d7b4e6a05", Severity.CRITICAL, "pushover");
    assertNotEquals(key, LedgerKey.resolved("3f2a9c1d7b4e6a05", "pushover"));
    assertNotEquals(key, LedgerKey.firing("3f2a9c1d7b4e6a05", Severity.WARNING, "pushover"));
    assertNotEquals(key, LedgerKey.firing("3f2a9c1d7b4e6a06", Severity.CRITICAL, "pushover"));
    assertNotEquals(key, LedgerKey.firing("3f2a9c1d7b4e6a05", Severity.CRITICAL, "ntfy"));
    assertNotEquals(key, "3f2a9c1d7b4e6a05/firing/critical/pushover");
  }

  @Test
  void idRoundTripsAndRejectsWhatIsNotAKey() {
    LedgerKey key = LedgerKey.resolved("abc123", "ntfy");
    assertEquals("abc123/resolved/ntfy", key.id());
    assertEquals(key, LedgerKey.parse(key.id()));
    assertThrows(IllegalArgumentException.class, () -> LedgerKey.parse("abc123/resolved"));
    assertThrows(IllegalArgumentException.class, () -> LedgerKey.parse("abc123/firing/ntfy"));
    assertThrows(IllegalArgumentException.class,
        () -> LedgerKey.parse("abc123/firing/urgent/ntfy"));
    assertEquals(LedgerKey.firing("abc123", Severity.WARNING, "ntfy"),
        LedgerKey.parse("abc123/firing/warning/ntfy"));
    assertThrows(IllegalArgumentException.class,
        () -> LedgerKey.firing("abc-123", Severity.CRITICAL, "ntfy"));
    assertThrows(IllegalArgumentException.class,
        () -> LedgerKey.firing("", Severity.CRITICAL, "ntfy"));
    assertThrows(IllegalArgumentException.class,
        () -> LedgerKey.firing("a".repeat(65), Severity.CRITICAL, "ntfy"));
    assertEquals(64,
        LedgerKey.firing("a".repeat(64), Severity.CRITICAL, "ntfy").fingerprint().length());
  }
}
