package com.cabalmail.alert.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cabalmail.alert.Severity;
import com.cabalmail.alert.ledger.Acknowledgement;
import com.cabalmail.alert.ledger.Claim;
import com.cabalmail.alert.ledger.DeliveryLedger;
import com.cabalmail.alert.ledger.LedgerEntry;
import com.cabalmail.alert.ledger.LedgerKey;
import com.cabalmail.http.Deadline;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link DeliveryLedger} must do, run against each implementation: the in-memory
 * one here, DynamoDB (against moto) in its module. A ledger module extends this class and says
 * how to make a fresh, empty ledger. Time is given, never read: no test sleeps.
 */
public abstract class LedgerTestKit {

  /** A key every test uses; each test gets a fresh ledger. */
  protected static final LedgerKey KEY =
      LedgerKey.firing("3f2a9c1d7b4e6a05", Severity.CRITICAL, "pushover");
  /** The start of every test's time line. */
  protected static final Instant T0 = Instant.parse("2026-08-21T10:00:00Z");

  /** The ledger under test, empty. */
  protected DeliveryLedger ledger;

  /** A fresh, empty ledger for one test. */
  protected abstract DeliveryLedger newLedger();

  @BeforeEach
  void freshLedger() {
    ledger = newLedger();
  }

  @AfterEach
  void closeLedger() {
    ledger.close();
  }

  static Deadline any() {
    return Deadline.after(Duration.ofSeconds(5));
  }

  /** A claim by {@code id} at {@code at}, with a 15 s lease. */
  protected static LedgerEntry claim(String id, Instant at) {
    return LedgerEntry.claim(KEY, id, at, at.plusSeconds(15));
  }

  @Test
  public void aFreeKeyIsGrantedAndThenHeldByTheClaim() {
    Claim first = ledger.claim(claim("a", T0), T0, any());
    Claim second = ledger.claim(claim("b", T0.plusSeconds(1)), T0.plusSeconds(1), any());

    assertInstanceOf(Claim.Granted.class, first);
    Claim.Held held = assertInstanceOf(Claim.Held.class, second);
    assertEquals("a", held.holder().claimId());
  }

  @Test
  public void aClaimLapsesWhenItsLeaseEnds() {
    ledger.claim(claim("crashed", T0), T0, any());
    Instant justBefore = T0.plusSeconds(15).minusMillis(1);
    Instant leaseEnd = T0.plusSeconds(15);

    assertInstanceOf(Claim.Held.class, ledger.claim(claim("b", justBefore), justBefore, any()));
    assertInstanceOf(Claim.Granted.class, ledger.claim(claim("c", leaseEnd), leaseEnd, any()));
  }

  @Test
  public void aDeliveryHoldsItsKeyForTheWindowThenARepeatGoesThrough() {
    LedgerEntry claim = claim("a", T0);
    ledger.claim(claim, T0, any());
    ledger.settle(claim.settled(LedgerEntry.State.DELIVERED, T0, T0.plus(Duration.ofHours(4)),
        Optional.of("req-1"), Optional.of("receipt-1"), "queued"), any());

    Instant inWindow = T0.plus(Duration.ofHours(4)).minusSeconds(1);
    Claim.Held held = assertInstanceOf(Claim.Held.class,
        ledger.claim(claim("b", inWindow), inWindow, any()));
    assertEquals(LedgerEntry.State.DELIVERED, held.holder().state());
    assertEquals(Optional.of("receipt-1"), held.holder().handle());
    Instant after = T0.plus(Duration.ofHours(4));
    assertInstanceOf(Claim.Granted.class, ledger.claim(claim("c", after), after, any()));
  }

  @Test
  public void releaseFreesOnlyTheClaimantsOwnClaim() {
    ledger.claim(claim("a", T0), T0, any());
    ledger.release(KEY, "someone-else", any());
    assertInstanceOf(Claim.Held.class, ledger.claim(claim("b", T0), T0, any()));

    ledger.release(KEY, "a", any());
    assertInstanceOf(Claim.Granted.class, ledger.claim(claim("b", T0), T0, any()));
  }

  @Test
  public void releaseNeverRemovesADelivery() {
    LedgerEntry claim = claim("a", T0);
    ledger.claim(claim, T0, any());
    ledger.settle(claim.settled(LedgerEntry.State.DELIVERED, T0, T0.plusSeconds(60),
        Optional.empty(), Optional.empty(), ""), any());
    ledger.release(KEY, "a", any());

    assertEquals(LedgerEntry.State.DELIVERED, ledger.find(KEY, any()).orElseThrow().state());
  }

  @Test
  public void forgetRemovesSettledEntries() {
    LedgerEntry claim = claim("a", T0);
    ledger.claim(claim, T0, any());
    assertTrue(ledger.settle(claim.settled(LedgerEntry.State.DELIVERED, T0, T0.plusSeconds(60),
        Optional.empty(), Optional.empty(), ""), any()));
    ledger.forget(KEY, T0, any());
    assertEquals(Optional.empty(), ledger.find(KEY, any()));
  }

  /** A recovery while the page is in flight ends the incident: the page's settle is void. */
  @Test
  public void forgetEndsAClaimInProgressAndItsLateSettleWritesNothing() {
    LedgerEntry claim = claim("a", T0);
    ledger.claim(claim, T0, any());
    ledger.forget(KEY, T0, any());
    assertEquals(Optional.empty(), ledger.find(KEY, any()));

    assertFalse(ledger.settle(claim.settled(LedgerEntry.State.DELIVERED, T0,
        T0.plus(Duration.ofHours(4)), Optional.empty(), Optional.empty(), ""), any()));
    assertEquals(Optional.empty(), ledger.find(KEY, any()));
    assertInstanceOf(Claim.Granted.class, ledger.claim(claim("next", T0), T0, any()));
  }

  /** A failed clear replayed later leaves alone what was recorded after it. */
  @Test
  public void forgetLeavesAnEntryRecordedAfterIt() {
    Instant later = T0.plusSeconds(30);
    ledger.claim(claim("new", later), later, any());
    ledger.forget(KEY, T0, any());
    assertEquals("new", ledger.find(KEY, any()).orElseThrow().claimId());
  }

  @Test
  public void settleWritesOnlyOverItsOwnClaim() {
    ledger.claim(claim("a", T0), T0, any());
    LedgerEntry other = claim("b", T0);
    assertFalse(ledger.settle(other.settled(LedgerEntry.State.DELIVERED, T0,
        T0.plusSeconds(60), Optional.empty(), Optional.empty(), ""), any()));
    assertEquals("a", ledger.find(KEY, any()).orElseThrow().claimId());
    assertEquals(LedgerEntry.State.CLAIMED, ledger.find(KEY, any()).orElseThrow().state());
  }

  /** A claim whose write was applied but whose answer was lost, asked again, is granted. */
  @Test
  public void aRetriedClaimIsTheCallersOwn() {
    assertInstanceOf(Claim.Granted.class, ledger.claim(claim("a", T0), T0, any()));
    Instant retry = T0.plusMillis(300);
    Claim again = ledger.claim(claim("a", T0), retry, any());

    assertEquals("a", assertInstanceOf(Claim.Granted.class, again).entry().claimId());
    assertInstanceOf(Claim.Held.class, ledger.claim(claim("b", retry), retry, any()));
  }

  @Test
  public void aScopeStartsAtGenerationZeroAndAdvancesUntilItExpires() {
    assertEquals("0", ledger.generation("5c0f3e2a1b4d6e7f", T0, any()));
    ledger.advance("5c0f3e2a1b4d6e7f", "g1xyz", T0, T0.plus(Duration.ofHours(8)), any());
    assertEquals("g1xyz", ledger.generation("5c0f3e2a1b4d6e7f", T0.plusSeconds(1), any()));
    assertEquals("0", ledger.generation("0000000000000000", T0, any()), "scopes are separate");
    ledger.advance("5c0f3e2a1b4d6e7f", "g2abc", T0.plusSeconds(1), T0.plus(Duration.ofHours(9)),
        any());
    assertEquals("g2abc", ledger.generation("5c0f3e2a1b4d6e7f", T0.plusSeconds(2), any()));
    ledger.advance("5c0f3e2a1b4d6e7f", "g0old", T0.minusSeconds(5),
        T0.plus(Duration.ofHours(10)), any());
    assertEquals("g2abc", ledger.generation("5c0f3e2a1b4d6e7f", T0.plusSeconds(2), any()),
        "a replayed, older recovery never brings back an older generation");
    assertEquals("0", ledger.generation("5c0f3e2a1b4d6e7f", T0.plus(Duration.ofHours(9)),
        any()));
  }

  @Test
  public void concurrentClaimsOfOneKeyGrantExactlyOne() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Claim>> claims = new ArrayList<>();
      for (int i = 0; i < 32; i++) {
        String id = "c" + i;
        Callable<Claim> attempt = () -> {
          start.await();
          return ledger.claim(claim(id, T0), T0, any());
        };
        claims.add(pool.submit(attempt));
      }
      start.countDown();
      int granted = 0;
      for (Future<Claim> claim : claims) {
        granted += claim.get() instanceof Claim.Granted ? 1 : 0;
      }
      assertEquals(1, granted);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  public void settledEntriesKeepWhatTheRecoveryNeeds() {
    LedgerEntry claim = claim("a", T0);
    ledger.claim(claim, T0, any());
    ledger.settle(claim.settled(LedgerEntry.State.DELIVERED, T0, T0.plusSeconds(600),
        Optional.of("5042853c-402d"), Optional.of("rLqVuqTRh62UzxtmqiaLzQmVcPgiCy"),
        "queued; emergency"), any());

    LedgerEntry found = ledger.find(KEY, any()).orElseThrow();
    assertEquals(LedgerEntry.State.DELIVERED, found.state());
    assertEquals(Optional.of("5042853c-402d"), found.messageId());
    assertEquals(Optional.of("rLqVuqTRh62UzxtmqiaLzQmVcPgiCy"), found.handle());
    assertEquals("queued; emergency", found.detail());
    assertEquals(T0.plusSeconds(600), found.expires());
    assertEquals(Optional.empty(),
        ledger.find(LedgerKey.resolved(KEY.fingerprint(), KEY.transport()), any()));
  }

  @Test
  public void anAcknowledgementAndASilenceAmendTheDeliveryWhileItIsStillThisClaims() {
    LedgerEntry claim = claim("a", T0);
    ledger.claim(claim, T0, any());
    LedgerEntry delivered = claim.settled(LedgerEntry.State.DELIVERED, T0, T0.plusSeconds(600),
        Optional.of("5042853c-402d"), Optional.of("rLqVuqTRh62UzxtmqiaLzQmVcPgiCy"), "queued");
    ledger.settle(delivered, any());
    Acknowledgement ack = new Acknowledgement("user 1a2b3c4d", "phone", T0.plusSeconds(42),
        "pushover");

    assertTrue(ledger.settle(delivered.withAcknowledgement(ack).withSilence("0b1c2d3e"), any()));
    LedgerEntry found = ledger.find(KEY, any()).orElseThrow();
    assertEquals(Optional.of(ack), found.acknowledged());
    assertEquals(Optional.of("0b1c2d3e"), found.silence());
    assertEquals(Optional.of("rLqVuqTRh62UzxtmqiaLzQmVcPgiCy"), found.handle());
    assertEquals(T0.plusSeconds(600), found.expires());

    // A recovery ended the incident: a late acknowledgement brings nothing back.
    ledger.forget(KEY, T0.plusSeconds(50), any());
    assertFalse(ledger.settle(delivered.withAcknowledgement(ack), any()));
    assertEquals(Optional.empty(), ledger.find(KEY, any()));
  }
}
