package com.cabalmail.alert;

import com.cabalmail.alert.ledger.Claim;
import com.cabalmail.alert.ledger.DeliveryLedger;
import com.cabalmail.alert.ledger.LedgerEntry;
import com.cabalmail.alert.ledger.LedgerKey;
import com.cabalmail.alert.ledger.LedgerPolicy;
import com.cabalmail.alert.spi.PriorDelivery;
import com.cabalmail.http.Deadline;
import com.cabalmail.http.Ticker;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one routing call asks of the delivery ledger, with its rules stated once:
 *
 * <ul>
 *   <li><b>Keys.</b> A firing alert is keyed by its identity and severity, a recovery by what
 *       it ends ({@link Alert#scopeToken()}). An alert without an identity of its own is keyed
 *       within its source's current generation, which the source's recovery advances.
 *       Test notifications never touch the ledger: every press delivers.
 *   <li><b>Claim</b> before sending: granted, the leg is sent; held by a live delivery, it is
 *       not sent again; held by a rejection, not resent; held by another claim, failed for a
 *       retry. A ledger that fails or is slow never stops a delivery: it goes out unprotected.
 *   <li><b>Settle</b> after sending, only while the key still holds this claim: a recovery that
 *       ended the incident meanwhile wins. <b>Release</b> a failed delivery's claim for the
 *       retry.
 *   <li><b>Clear</b> the opposite state when the state changes (a claim granted, a delivery
 *       made unprotected, an alert no route took): a recovery forgets its alert's firing
 *       entries of every severity (or advances its source's generation), a firing forgets the
 *       recovery's, so the next incident notifies again. A recovery clears whatever became of
 *       its notification (a retry completes what a failed clear left).
 *   <li><b>Doubt resolves toward sending.</b> A clear that fails is kept and replayed before
 *       the next call's claims; until it succeeds, the alerts it concerns are sent without the
 *       ledger, and the delivery that changed the state is reported failed, so the caller
 *       retries.
 * </ul>
 */
final class LedgerSession {

  private static final Logger log = LoggerFactory.getLogger(AlertRouter.class);
  /**
   * How long a scope's generation is kept: at least two repeat windows, so that it outlives
   * every entry keyed within the generation before it (a forgotten generation reads as "0"
   * again), and at least 30 days, so that the alerts keyed within it while it lasts are not
   * re-keyed early: when it ends, a source still firing gets its reminder before the window
   * is over, once a month at most. Nothing is ever held back by it ending.
   */
  private static final java.time.Duration GENERATION_LIFE = java.time.Duration.ofDays(30);
  /** Most failed clears kept for replay; beyond it the oldest is dropped, and logged. */
  static final int MAX_UNFINISHED = 10_000;

  /**
   * A clear that failed: forget {@code key}, or advance {@code scope} to {@code generation}
   * until {@code expires}, as of {@code at} (what was recorded later is left alone);
   * {@code concerns} is the scope token of the alerts it protects.
   */
  static final class Unfinished {
    // A class, not a record: the map removes it by identity, and a record's generated equals
    // is linked by an invokedynamic bootstrap on first use, on every cold start's first clear.
    private final String concerns;
    private final LedgerKey key;
    private final String scope;
    private final String generation;
    private final Instant at;
    private final Instant expires;

    Unfinished(String concerns, LedgerKey key, String scope, String generation, Instant at,
        Instant expires) {
      this.concerns = concerns;
      this.key = key;
      this.scope = scope;
      this.generation = generation;
      this.at = at;
      this.expires = expires;
    }

    String concerns() {
      return concerns;
    }

    LedgerKey key() {
      return key;
    }

    String scope() {
      return scope;
    }

    String generation() {
      return generation;
    }

    Instant at() {
      return at;
    }

    Instant expires() {
      return expires;
    }

    String id() {
      return key != null ? key.id() : "generation:" + scope;
    }
  }

  private final AlertRouter router;
  private final DeliveryLedger ledger;
  private final LedgerPolicy policy;
  private final Clock clock;
  private final Ticker ticker;
  /** Keys cleared (or being cleared), and scopes advanced, in this call. */
  private final Set<String> cleared = ConcurrentHashMap.newKeySet();
  /** Scope tokens whose clear failed in this call. */
  private final Set<String> failedClears = ConcurrentHashMap.newKeySet();
  /** Each scope's generation as read in this call: one read however many legs it has. */
  private final Map<String, GenerationRead> generations = new HashMap<>();
  private final Map<String, Unfinished> unfinished;

  LedgerSession(AlertRouter router) {
    this.router = router;
    this.ledger = router.ledger;
    this.policy = router.ledgerPolicy;
    this.clock = router.clock;
    this.ticker = router.ticker;
    this.unfinished = router.unfinished;
  }

  // ---- claims -----------------------------------------------------------------------------

  /**
   * Replays the clears that failed in earlier calls, in parallel within one call timeout.
   *
   * @return the scope tokens whose clears are still unfinished
   */
  private Set<String> replayUnfinished() {
    if (unfinished.isEmpty()) {
      return Set.of();
    }
    Deadline by = callDeadline();
    List<Future<Boolean>> replays = new ArrayList<>();
    for (Unfinished clear : new ArrayList<>(unfinished.values())) {
      run(clearTask(clear, by), replays);
    }
    awaitClears(replays, by);
    Set<String> doubtful = new java.util.HashSet<>();
    for (Unfinished clear : unfinished.values()) {
      doubtful.add(clear.concerns());
    }
    return doubtful;
  }

  private void apply(Unfinished clear, Deadline by) {
    if (clear.key() != null) {
      ledger.forget(clear.key(), clear.at(), by);
    } else {
      ledger.advance(clear.scope(), clear.generation(), clear.at(), clear.expires(), by);
    }
  }

  /**
   * Claims every leg that has a route, all in parallel within one call timeout (the ledger
   * delays the deliveries by at most that, however many legs there are).
   */
  void claim(List<Leg> legs) {
    Set<String> doubtful = replayUnfinished();
    Deadline claimsBy = callDeadline();
    Map<Leg, Future<Boolean>> claims = new IdentityHashMap<>();
    for (Leg leg : legs) {
      if (leg.route == null || leg.alert.isTest()) {
        continue;
      }
      leg.claimId = newClaimId();
      if (doubtful.contains(leg.scope)) {
        leg.unavailable("the ledger has not yet recorded the end of an earlier state of this"
            + " alert");
      } else if (ledger.answersAtOnce()) {
        claim(leg, claimsBy);
      } else {
        claims.put(leg, router.lanes.submit(Lanes.LEDGER, 0, new Callable<Boolean>() {
          @Override
          public Boolean call() {
            return claim(leg, claimsBy);
          }
        }, Boolean.FALSE));
      }
    }
    for (Map.Entry<Leg, Future<Boolean>> entry : claims.entrySet()) {
      String failure = Waiting.await(entry.getValue(), claimsBy.remaining());
      if (failure == null && !Waiting.ran(entry.getValue())) {
        entry.getKey().unavailable(DeliveryRun.SATURATED);
      } else if (failure != null) {
        entry.getKey().unavailable("no answer within " + policy.callTimeout().toMillis()
            + " ms");
        entry.getValue().cancel(true);
      }
    }
  }

  private Boolean claim(Leg leg, Deadline deadline) {
    Instant now = clock.instant();
    Alert alert = leg.alert;
    String transport = leg.route.transport();
    try {
      boolean generational = !alert.isResolved() && !leg.identified;
      leg.key = generational
          ? firingKey(alert, generation(leg.scope, now, deadline), transport)
          : alert.isResolved() ? LedgerKey.resolved(leg.scope, transport)
          : LedgerKey.firing(alert.fingerprintToken(), alert.severity(), transport);
      if (alert.isResolved() && leg.identified) {
        leg.prior = prior(ledger.find(
            LedgerKey.firing(alert.fingerprintToken(), alert.severity(), transport), deadline),
            now);
      }
      Claim answer = ledger.claim(claimOf(leg, now), now, deadline);
      if (answer instanceof Claim.Held && generational) {
        // Read the generation again: a recovery of the source may have advanced it since the
        // first read, and then this is a new incident, not a repeat.
        LedgerKey current = firingKey(alert,
            ledger.generation(leg.scope, now, deadline), transport);
        if (!current.equals(leg.key)) {
          leg.key = current;
          answer = ledger.claim(claimOf(leg, now), now, deadline);
        }
      }
      if (answer instanceof Claim.Granted) {
        leg.granted(((Claim.Granted) answer).entry());
      } else {
        leg.held(((Claim.Held) answer).holder());
      }
    } catch (RuntimeException e) {
      leg.unavailable(describe(e));
      log.warn("ledger '{}' unavailable for {} through {}: {}; delivering without it",
          ledger.name(), alert.fingerprint(), transport, describe(e));
    }
    return Boolean.TRUE;
  }

  /**
   * The scope's generation, read once in this call: the legs of one alert (a transport each)
   * wait for the first leg's read instead of sending their own. A failed read is not kept.
   */
  private String generation(String scope, Instant now, Deadline deadline) {
    GenerationRead read;
    synchronized (generations) {
      read = generations.get(scope);
      if (read == null) {
        read = new GenerationRead();
        generations.put(scope, read);
      }
    }
    synchronized (read) {
      if (read.value == null) {
        read.value = ledger.generation(scope, now, deadline);
      }
      return read.value;
    }
  }

  /** One scope's generation read in this call (a class: compared by identity, no record). */
  private static final class GenerationRead {
    String value;
  }

  private LedgerEntry claimOf(Leg leg, Instant now) {
    return LedgerEntry.claim(leg.key, leg.claimId, now, now.plus(policy.lease()));
  }

  private static LedgerKey firingKey(Alert alert, String generation, String transport) {
    return LedgerKey.firing(Alert.digest(alert.fingerprintToken() + "@" + generation),
        alert.severity(), transport);
  }

  /**
   * What the firing entry says of the page: a delivery stays a fact after its window (while the
   * store still holds it), a rejection only while it is live (a later page may have gone out).
   */
  private static PriorDelivery prior(Optional<LedgerEntry> entry, Instant now) {
    if (entry.isEmpty()) {
      return PriorDelivery.unknown();
    }
    switch (entry.get().state()) {
      case DELIVERED:
        return PriorDelivery.delivered(entry.get().handle().orElse(null));
      case REJECTED:
        return entry.get().isLive(now) ? PriorDelivery.notDelivered() : PriorDelivery.unknown();
      default:
        return PriorDelivery.unknown(); // a page still being sent: it may go out
    }
  }

  /** The outcome of a leg the ledger held back, naming the earlier delivery. */
  static Outcome heldOutcome(Leg leg) {
    LedgerEntry holder = leg.holderEntry();
    switch (holder.state()) {
      case DELIVERED:
        return Outcome.alreadyDelivered(holder.messageId().orElse(null),
            "not sent again: already delivered at " + holder.recorded()
                + (holder.messageId().isPresent() ? " as " + holder.messageId().get() : "")
                + " (ledger key " + holder.key() + "); repeats are held back until "
                + holder.expires());
      case REJECTED:
        return Outcome.rejected("rejected at " + holder.recorded() + " and not resent before "
            + holder.expires() + " (ledger key " + holder.key() + "): " + holder.detail(), 0);
      default:
        return Outcome.failed("another request is delivering this alert through '"
            + leg.route.transport() + "' right now (claimed at " + holder.recorded()
            + ", lease until " + holder.expires() + "); a retry learns the result", 0);
    }
  }

  // ---- settling ---------------------------------------------------------------------------

  /**
   * Records how a delivery ended: delivered, rejected for a while, or its claim released. A
   * settle writes only over this leg's own claim, so a delivery made while the ledger did not
   * answer is recorded only if its claim did land.
   */
  void record(Leg leg, Outcome outcome) {
    if (leg.key == null || leg.claimId == null) {
      return; // a test, or a key the ledger could not tell
    }
    Instant now = clock.instant();
    LedgerEntry granted = leg.claimEntry();
    Instant claimed = granted == null ? now : granted.recorded();
    LedgerEntry base = granted != null ? granted
        : LedgerEntry.claim(leg.key, leg.claimId, claimed, claimed.plus(policy.lease()));
    try {
      switch (outcome.kind()) {
        case SENT:
          boolean kept = ledger.settle(base.settled(LedgerEntry.State.DELIVERED, now,
              claimed.plus(policy.repeatWindow()), outcome.messageId(), outcome.handle(),
              outcome.detail()), callDeadline());
          if (!kept && granted != null) {
            leg.note("not recorded as delivered: a recovery ended the incident (or the claim"
                + " lapsed) while it was being sent, so a repeat is sent again");
          }
          break;
        case REJECTED:
          ledger.settle(base.settled(LedgerEntry.State.REJECTED, now,
              now.plus(policy.rejectionHold()), Optional.empty(), Optional.empty(),
              outcome.detail()), callDeadline());
          break;
        default:
          ledger.release(leg.key, leg.claimId, callDeadline());
      }
    } catch (RuntimeException e) {
      leg.unavailable("could not record the " + outcome.kind().wireName() + " delivery: "
          + describe(e));
      log.warn("ledger '{}' could not record {} as {}: {}", ledger.name(), leg.key,
          outcome.kind().wireName(), describe(e));
    }
  }

  // ---- clearing the opposite state --------------------------------------------------------

  /**
   * Clears, for every leg whose claim was granted, the opposite state's entries now, in
   * parallel with the send rather than after it, so the ledger adds no round trip to the
   * delivery. (Should the send fail, the retry finds no entry for the old state: a recovery
   * then cancels by tag, as without a ledger.)
   */
  List<Future<Boolean>> clearWhileSending(List<Leg> legs) {
    List<Future<Boolean>> clears = new ArrayList<>();
    Deadline by = callDeadline();
    for (Leg leg : legs) {
      if (leg.route != null && leg.isGranted()) {
        clearOpposite(leg, by, clears);
      }
    }
    return clears;
  }

  /**
   * What {@link #clearWhileSending} could not: the entries of an alert no route took (a
   * recovery routed nowhere still ends its incident) and of deliveries made while the ledger
   * did not answer the claim.
   */
  void clearAfterSending(List<Leg> legs) {
    Set<Alert> changed = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    List<Future<Boolean>> clears = new ArrayList<>();
    Deadline by = callDeadline();
    for (Leg leg : legs) {
      // A recovery ends its incident whatever became of its notification (sent, held back as
      // a repeat, failed): the tool says the condition is over, so the next firing pages.
      if (!leg.alert.isTest() && (leg.route == null || leg.sentNow || leg.isGranted()
          || leg.alert.isResolved()) && changed.add(leg.alert)) {
        clearOpposite(leg, by, clears);
      }
    }
    awaitClears(clears, by);
    for (Leg leg : legs) {
      if (failedClears.contains(leg.scope) && changed.contains(leg.alert)) {
        leg.failRecording("delivered, but the ledger could not record that this "
            + (leg.alert.isResolved() ? "recovery ended the incident" : "alert fired again")
            + "; a retry records it (meanwhile this alert is sent without the ledger)");
      }
    }
  }

  /**
   * Waits for {@code clears} until {@code by}, giving up on those still running then (they stay
   * unfinished, to be replayed).
   */
  void awaitClears(List<Future<Boolean>> clears, Deadline by) {
    for (Future<Boolean> clear : clears) {
      if (Waiting.await(clear, by.remaining()) != null) {
        clear.cancel(true);
      }
    }
    for (Unfinished clear : unfinished.values()) {
      if (cleared.contains(clear.id())) { // one of this call's, abandoned
        failedClears.add(clear.concerns());
      }
    }
    if (unfinished.size() > MAX_UNFINISHED) {
      for (String id : new ArrayList<>(unfinished.keySet())) {
        if (unfinished.size() <= MAX_UNFINISHED) {
          break;
        }
        unfinished.remove(id);
        log.error("ledger '{}': more than {} clears unfinished; dropping {}", ledger.name(),
            MAX_UNFINISHED, id);
      }
    }
  }

  private void clearOpposite(Leg leg, Deadline by, List<Future<Boolean>> clears) {
    Alert alert = leg.alert;
    String concerns = leg.scope;
    if (!alert.isResolved()) {
      for (String transport : recoveryTransports()) {
        forget(concerns, LedgerKey.resolved(concerns, transport), by, clears);
      }
    } else if (leg.identified) {
      for (Severity severity : Severity.values()) {
        for (Route route : router.routes.firing(severity)) {
          forget(concerns, LedgerKey.firing(alert.fingerprintToken(), severity,
              route.transport()), by, clears);
        }
      }
    } else if (cleared.add("generation:" + concerns)) {
      String scope = leg.scope;
      Instant now = clock.instant();
      java.time.Duration twoWindows = policy.repeatWindow().multipliedBy(2);
      Instant until = now.plus(twoWindows.compareTo(GENERATION_LIFE) > 0 ? twoWindows
          : GENERATION_LIFE).plus(policy.lease());
      String next = Long.toString(now.toEpochMilli(), 36) + newClaimId().substring(0, 8);
      attempt(new Unfinished(scope, null, scope, next, now, until), by, clears);
    }
  }

  /** Every transport a recovery may be delivered through. */
  private Set<String> recoveryTransports() {
    Set<String> names = new LinkedHashSet<>();
    for (Severity severity : Severity.values()) {
      for (Route route : router.routes.resolved(severity)) {
        names.add(route.transport());
      }
    }
    return names;
  }

  private void forget(String concerns, LedgerKey key, Deadline by,
      List<Future<Boolean>> clears) {
    if (cleared.add(key.id())) {
      attempt(new Unfinished(concerns, key, null, null, clock.instant(), null), by, clears);
    }
  }

  /**
   * Runs {@code clear}; one that fails, or is not done by {@code by}, is kept for replay and
   * marks its alerts' deliveries as not recorded.
   */
  private void attempt(Unfinished clear, Deadline by, List<Future<Boolean>> clears) {
    unfinished.put(clear.id(), clear); // removed once done: a clear abandoned stays here
    run(clearTask(clear, by), clears);
  }

  /** Applies {@code clear}: done, it is no longer unfinished; failed, it stays to retry. */
  private Callable<Boolean> clearTask(Unfinished clear, Deadline by) {
    return new Callable<Boolean>() {
      @Override
      public Boolean call() {
        try {
          apply(clear, by);
          unfinished.remove(clear.id(), clear);
        } catch (RuntimeException e) {
          failedClears.add(clear.concerns());
          log.warn("ledger '{}' could not clear {}: {}; kept to retry", ledger.name(),
              clear.id(), describe(e));
        }
        return Boolean.TRUE;
      }
    };
  }

  private void run(Callable<Boolean> task, List<Future<Boolean>> clears) {
    if (ledger.answersAtOnce()) {
      try {
        task.call();
      } catch (Exception e) {
        throw new IllegalStateException(e); // the tasks run here catch their own failures
      }
    } else {
      clears.add(router.lanes.submit(Lanes.LEDGER, 0, task, Boolean.FALSE));
    }
  }

  // ---- plumbing ---------------------------------------------------------------------------

  Deadline callDeadline() {
    return Deadline.after(policy.callTimeout(), ticker);
  }

  static String describe(RuntimeException e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private static String newClaimId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return Long.toHexString(random.nextLong() | Long.MIN_VALUE)
        + Long.toHexString(random.nextLong() | Long.MIN_VALUE);
  }
}
