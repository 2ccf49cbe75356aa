package com.cabalmail.alert.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.cabalmail.alert.AlertStatus;
import com.cabalmail.alert.Severity;
import com.cabalmail.alert.testkit.LedgerTestKit;
import com.cabalmail.http.Deadline;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InMemoryLedgerTest extends LedgerTestKit {

  @Override
  protected DeliveryLedger newLedger() {
    return DeliveryLedger.inMemory();
  }

  @Test
  void overCapacityExpiredEntriesGoFirst() {
    InMemoryLedger small = new InMemoryLedger(2);
    LedgerEntry old = LedgerEntry.claim(LedgerKey.firing("aa", Severity.CRITICAL, "ntfy"), "x",
        T0, T0.plusSeconds(1));
    small.claim(old, T0, Deadline.after(Duration.ofSeconds(1)));
    LedgerEntry live = LedgerEntry.claim(LedgerKey.firing("bb", Severity.CRITICAL, "ntfy"), "y",
        T0, T0.plusSeconds(100));
    small.claim(live, T0, Deadline.after(Duration.ofSeconds(1)));
    Instant later = T0.plusSeconds(10);
    small.claim(LedgerEntry.claim(LedgerKey.firing("cc", Severity.CRITICAL, "ntfy"), "z", later,
        later.plusSeconds(100)), later, Deadline.after(Duration.ofSeconds(1)));

    assertEquals(2, small.size());
    assertEquals(Optional.empty(), small.find(old.key(), Deadline.after(Duration.ofSeconds(1))));
    assertSame(live, small.find(live.key(), Deadline.after(Duration.ofSeconds(1))).orElseThrow());
  }

  @Test
  void aFullLedgerOfLiveEntriesTrimsToNinetyPercentDroppingThoseExpiringFirst() {
    InMemoryLedger ledger = new InMemoryLedger(10);
    for (int i = 0; i < 11; i++) {
      ledger.claim(LedgerEntry.claim(LedgerKey.firing("k" + i, Severity.CRITICAL, "ntfy"), "c",
          T0, T0.plusSeconds(100 + i)), T0, Deadline.after(Duration.ofSeconds(1)));
    }

    assertEquals(9, ledger.size());
    for (int i = 0; i < 2; i++) {
      assertEquals(Optional.empty(), ledger.find(LedgerKey.firing("k" + i, Severity.CRITICAL, "ntfy"), Deadline.after(Duration.ofSeconds(1))));
    }
  }

  @Test
  void keysRoundTripThroughTheirIdAndRejectUnsafeFingerprints() {
    assertEquals(KEY, LedgerKey.parse(KEY.id()));
    assertEquals("3f2a9c1d7b4e6a05/firing/critical/pushover", KEY.id());
    assertThrows(IllegalArgumentException.class,
        () -> LedgerKey.firing("a/b", Severity.CRITICAL, "ntfy"));
    assertThrows(IllegalArgumentException.class, () -> LedgerKey.parse("only/two"));
  }
}
