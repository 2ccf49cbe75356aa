package com.cabalmail.alert.ledger.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.cabalmail.alert.Severity;
import com.cabalmail.alert.ledger.Claim;
import com.cabalmail.alert.ledger.DeliveryLedger;
import com.cabalmail.alert.ledger.LedgerEntry;
import com.cabalmail.alert.ledger.LedgerException;
import com.cabalmail.alert.ledger.LedgerKey;
import com.cabalmail.http.Deadline;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * "Exactly one concurrent claim of a key wins", on a store that is atomic per item as DynamoDB
 * is: dynalite (moto races, so it proves nothing here; {@link DynamoDbLedgerIT} keeps moto for
 * the wire format). Exactly one wins; every loser is {@link Claim.Held}: dynalite returns no old
 * item on a failed condition, and the ledger reads the holder with a consistent GetItem.
 */
class DynamoDbLedgerConcurrencyIT {

  @RegisterExtension
  static final DynaliteLedgers DYNALITE = new DynaliteLedgers();

  static final Instant T0 = Instant.parse("2026-08-21T10:00:00Z");
  static final int CLAIMS = 32;

  @Test
  void concurrentClaimsOfOneKeyGrantExactlyOne() throws Exception {
    LedgerKey key = LedgerKey.firing("3f2a9c1d7b4e6a05", Severity.CRITICAL, "pushover");
    try (DeliveryLedger ledger = DYNALITE.newLedger()) {
      List<Object> outcomes = claimAtOnce(ledger, key, T0);

      assertEquals(1, outcomes.stream().filter(Claim.Granted.class::isInstance).count(),
          "granted: " + outcomes);
      for (Object outcome : outcomes) {
        // dynalite returns no old item on a failed condition: the ledger reads the holder.
        if (!(outcome instanceof Claim.Granted)) {
          assertInstanceOf(Claim.Held.class, outcome, "a loser is held: " + outcome);
        }
      }
    }
  }

  @Test
  void concurrentClaimsOfAnExpiredLeaseGrantExactlyOne() throws Exception {
    LedgerKey key = LedgerKey.firing("9b1c0d2e3f4a5b6c", Severity.CRITICAL, "ntfy");
    try (DeliveryLedger ledger = DYNALITE.newLedger()) {
      assertInstanceOf(Claim.Granted.class, ledger.claim(
          LedgerEntry.claim(key, "crashed", T0, T0.plusSeconds(15)), T0, soon()));
      Instant later = T0.plusSeconds(16);

      List<Object> outcomes = claimAtOnce(ledger, key, later);

      assertEquals(1, outcomes.stream().filter(Claim.Granted.class::isInstance).count(),
          "granted: " + outcomes);
    }
  }

  /** {@value #CLAIMS} claims of {@code key} released at once: each one's claim or exception. */
  static List<Object> claimAtOnce(DeliveryLedger ledger, LedgerKey key, Instant at)
      throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Claim>> claims = new ArrayList<>();
      for (int i = 0; i < CLAIMS; i++) {
        LedgerEntry claim = LedgerEntry.claim(key, "c" + i, at, at.plusSeconds(15));
        claims.add(pool.submit(() -> {
          start.await();
          return ledger.claim(claim, at, soon());
        }));
      }
      start.countDown();
      List<Object> outcomes = new ArrayList<>();
      for (Future<Claim> claim : claims) {
        try {
          outcomes.add(claim.get());
        } catch (ExecutionException e) {
          outcomes.add(e.getCause());
        }
      }
      return outcomes;
    } finally {
      pool.shutdownNow();
    }
  }

  static Deadline soon() {
    return Deadline.after(Duration.ofSeconds(10));
  }
}
