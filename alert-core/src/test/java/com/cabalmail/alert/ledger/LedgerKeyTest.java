package com.cabalmail.alert.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.cabalmail.alert.AlertStatus;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LedgerKeyTest {

  @Test
  void keysWithTheSameFieldsAreEqualAndHashAlike() {
    LedgerKey a = new LedgerKey("3f2a9c1d7b4e6a05", AlertStatus.FIRING, "pushover");
    LedgerKey b = LedgerKey.parse("3f2a9c1d7b4e6a05/firing/pushover");
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    assertEquals(Set.of(a), new HashSet<>(Set.of(b)));
  }

  @Test
  void eachFieldTellsKeysApart() {
    LedgerKey key = new LedgerKey("3f2a9c1d7b4e6a05", AlertStatus.FIRING, "pushover");
    assertNotEquals(key, key.withStatus(AlertStatus.RESOLVED));
    assertNotEquals(key, new LedgerKey("3f2a9c1d7b4e6a06", AlertStatus.FIRING, "pushover"));
    assertNotEquals(key, new LedgerKey("3f2a9c1d7b4e6a05", AlertStatus.FIRING, "ntfy"));
    assertNotEquals(key, "3f2a9c1d7b4e6a05/firing/pushover");
  }

  @Test
  void idRoundTripsAndRejectsWhatIsNotAKey() {
    LedgerKey key = new LedgerKey("abc123", AlertStatus.RESOLVED, "ntfy");
    assertEquals("abc123/resolved/ntfy", key.id());
    assertEquals(key, LedgerKey.parse(key.id()));
    assertThrows(IllegalArgumentException.class, () -> LedgerKey.parse("abc123/resolved"));
    assertThrows(IllegalArgumentException.class,
        () -> new LedgerKey("abc-123", AlertStatus.FIRING, "ntfy"));
    assertThrows(IllegalArgumentException.class,
        () -> new LedgerKey("", AlertStatus.FIRING, "ntfy"));
    assertThrows(IllegalArgumentException.class,
        () -> new LedgerKey("a".repeat(65), AlertStatus.FIRING, "ntfy"));
    assertEquals(64,
        new LedgerKey("a".repeat(64), AlertStatus.FIRING, "ntfy").fingerprint().length());
  }
}
