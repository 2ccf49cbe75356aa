package com.cabalmail.alert;

import com.cabalmail.alert.ledger.Claim;
import com.cabalmail.alert.ledger.DeliveryLedger;
import com.cabalmail.alert.ledger.LedgerEntry;
import com.cabalmail.alert.ledger.LedgerKey;
import com.cabalmail.alert.ledger.LedgerPolicy;
import com.cabalmail.alert.spi.PriorDelivery;
import com.cabalmail.alert.spi.Transport;
import com.cabalmail.http.Deadline;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call of {@link AlertRouter#route(List)}, in four steps: with a ledger, claim every
 * (alert, route) and read what a recovery needs to know of its page, all in parallel and each
 * bounded by the ledger's call timeout; fold a page storm into one page; deliver everything
 * still to send, in parallel, recording each end in the ledger; and let every recovery (or
 * new firing) clear the entries of the opposite state, so the next incident notifies again.
 * A ledger that fails or is slow never stops a delivery: the alert goes out and the delivery
 * is marked {@link Delivery.Ledger#UNAVAILABLE}.
 */
final class DeliveryRun {

  private static final Logger log = LoggerFactory.getLogger(AlertRouter.class);
  /** How long past its deadline a task that ignores it is waited for. */
  static final Duration GRACE = Duration.ofMillis(50);
  static final String SATURATED = "router saturated: " + AlertRouter.MAX_QUEUED
      + " deliveries already wait for a thread";
  /** Most summaries a storm page lists one by one. */
  static final int STORM_LINES = 10;

  private final AlertRouter router;
  private final DeliveryLedger ledger;
  private final LedgerPolicy policy;
  private final Deadline overall;
  private final List<Leg> legs = new ArrayList<>();
  /** Ledger keys cleared (or being cleared) in this call. */
  private final Set<String> cleared = java.util.concurrent.ConcurrentHashMap.newKeySet();

  DeliveryRun(AlertRouter router, List<Alert> alerts, Duration atMost) {
    this.router = router;
    this.ledger = router.ledger;
    this.policy = router.ledgerPolicy;
    this.overall = Deadline.after(router.deadline, router.ticker).atMost(atMost);
    for (Alert alert : alerts) {
      List<Route> planned = router.routes.routesFor(alert);
      if (planned.isEmpty()) {
        legs.add(new Leg(alert, null));
      }
      for (Route route : planned) {
        legs.add(new Leg(alert, route));
      }
    }
  }

  DeliveryReport run() {
    if (ledger != null) {
      prepare();
    }
    List<Leg> folded = foldStorm();
    deliver(folded);
    if (ledger != null) {
      clearOppositeStates();
    }
    List<Delivery> deliveries = new ArrayList<>(legs.size());
    for (Leg leg : legs) {
      Delivery delivery = leg.delivery();
      AlertRouter.logDelivery(delivery);
      deliveries.add(delivery);
    }
    return new DeliveryReport(deliveries);
  }

  // ---- step 1: claims -------------------------------------------------------------------

  private void prepare() {
    // One deadline for every claim of the call: the ledger delays the deliveries by at most
    // one call timeout, however many alerts and routes there are.
    Deadline claimsBy = callDeadline();
    Map<Leg, Future<Boolean>> claims = new IdentityHashMap<>();
    for (Leg leg : legs) {
      if (leg.route != null) {
        leg.key = LedgerKey.of(leg.alert, leg.route.transport());
        leg.claimId = newClaimId();
        if (ledger.answersAtOnce()) {
          claim(leg, claimsBy);
        } else {
          claims.put(leg, router.submit(() -> claim(leg, claimsBy), Boolean.FALSE));
        }
      }
    }
    for (Map.Entry<Leg, Future<Boolean>> entry : claims.entrySet()) {
      String failure = await(entry.getValue(), claimsBy.remaining());
      if (failure == null && !done(entry.getValue())) {
        entry.getKey().unavailable(SATURATED);
      } else if (failure != null) {
        entry.getKey().unavailable("no answer within " + policy.callTimeout().toMillis()
            + " ms");
        abandon(entry.getValue());
      }
    }
  }

  private Boolean claim(Leg leg, Deadline deadline) {
    Instant now = router.clock.instant();
    try {
      if (leg.alert.isResolved()) {
        leg.prior = prior(ledger.find(leg.key.withStatus(AlertStatus.FIRING), deadline), now);
      }
      LedgerEntry claim = LedgerEntry.claim(leg.key, leg.claimId, now, now.plus(policy.lease()));
      Claim answer = ledger.claim(claim, now, deadline);
      if (answer instanceof Claim.Granted) {
        leg.granted(((Claim.Granted) answer).entry());
      } else {
        leg.held(((Claim.Held) answer).holder());
      }
    } catch (RuntimeException e) {
      leg.unavailable(describe(e));
      log.warn("ledger '{}' unavailable for {}: {}; delivering without it", ledger.name(),
          leg.key, describe(e));
    }
    return Boolean.TRUE;
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

  // ---- step 2: the storm guard -----------------------------------------------------------

  /** The legs folded into one page, or an empty list. */
  private List<Leg> foldStorm() {
    PageStormGuard guard = router.pageStorm;
    if (!guard.isOn()) {
      return List.of();
    }
    List<Leg> pages = new ArrayList<>();
    for (Leg leg : legs) {
      if (leg.route != null && leg.toSend() && !leg.alert.isResolved()
          && leg.route.transport().equals(guard.transport())) {
        pages.add(leg);
      }
    }
    if (pages.size() <= guard.limit()) {
      return List.of();
    }
    pages.forEach(leg -> leg.folded = true);
    return pages;
  }

  /** The one page that stands for {@code folded}: counts, sources, the first summaries. */
  static Alert stormPage(List<Leg> folded) {
    Severity worst = Severity.INFO;
    Map<String, Integer> bySource = new LinkedHashMap<>();
    Map<Severity, Integer> bySeverity = new LinkedHashMap<>();
    Map<String, String> fingerprints = new java.util.TreeMap<>();
    Instant first = null;
    for (Leg leg : folded) {
      Alert a = leg.alert;
      worst = a.severity().compareTo(worst) < 0 ? a.severity() : worst;
      bySource.merge(a.source(), 1, Integer::sum);
      bySeverity.merge(a.severity(), 1, Integer::sum);
      fingerprints.put(a.fingerprint(), "");
      if (a.startsAt().isPresent() && (first == null || a.startsAt().get().isBefore(first))) {
        first = a.startsAt().get();
      }
    }
    StringBuilder text = new StringBuilder();
    text.append(folded.size()).append(" alerts at once (");
    List<String> counts = new ArrayList<>();
    for (Severity s : Severity.values()) {
      if (bySeverity.containsKey(s)) {
        counts.add(bySeverity.get(s) + " " + s.wireName());
      }
    }
    text.append(String.join(", ", counts)).append("); each also goes on its own to the other"
        + " channels.\nSources: ");
    List<String> sources = new ArrayList<>();
    bySource.forEach((source, n) -> sources.add(n == 1 ? source : source + " \u00d7" + n));
    text.append(String.join(", ", sources));
    int listed = 0;
    for (Leg leg : folded) {
      if (listed == STORM_LINES) {
        text.append("\n+").append(folded.size() - listed).append(" more");
        break;
      }
      text.append("\n\u2022 ").append(leg.alert.summary());
      listed++;
    }
    return new Alert(worst, "page storm: " + folded.size() + " alerts", text.toString(),
        Optional.empty(), Map.of(), AlertStatus.FIRING, Optional.ofNullable(first),
        Alert.derivedFingerprint("page storm", fingerprints));
  }

  // ---- step 3: deliveries ----------------------------------------------------------------

  private void deliver(List<Leg> folded) {
    Map<Leg, Future<Boolean>> running = new IdentityHashMap<>();
    Set<Leg> foldSet = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    foldSet.addAll(folded);
    Deadline own = overall.atMost(router.transportTimeout);
    long queued = router.ticker.nanoTime();
    List<Future<Boolean>> clears = clearWhileSending();
    for (Leg leg : legs) {
      if (leg.route == null) {
        String why = leg.alert.isTest() ? "no route for test notifications"
            : "no route for " + (leg.alert.isResolved() ? "resolved " : "")
                + leg.alert.severity().wireName() + " alerts";
        leg.end(Outcome.dropped(why), Duration.ZERO);
      } else if (!leg.toSend()) {
        leg.end(heldOutcome(leg), Duration.ZERO);
      } else if (!foldSet.contains(leg)) {
        Transport transport = router.transports.get(leg.route.transport());
        running.put(leg, router.submit(() -> {
          Finished done = send(transport, handedTo(leg.alert, leg.route), leg.route.priority(),
              leg.prior, own, leg.route.transport());
          record(leg, done.outcome);
          leg.end(done.outcome, done.elapsed);
          return Boolean.TRUE;
        }, Boolean.FALSE));
      }
    }
    Future<Boolean> storm = null;
    if (!folded.isEmpty()) {
      storm = router.submit(() -> {
        sendStorm(folded, own);
        return Boolean.TRUE;
      }, Boolean.FALSE);
    }
    Duration extra = ledger == null ? Duration.ZERO : policy.callTimeout();
    for (Map.Entry<Leg, Future<Boolean>> entry : running.entrySet()) {
      String failure = await(entry.getValue(), own.remaining().plus(extra));
      if (failure == null && !done(entry.getValue())) {
        Leg leg = entry.getKey();
        record(leg, Outcome.failed(SATURATED, 0)); // releases its claim for the retry
        leg.end(Outcome.failed(SATURATED, 0), Duration.ZERO);
      } else if (failure != null) {
        entry.getKey().endIfOpen(Outcome.failed(failure, 0), since(queued));
        abandon(entry.getValue());
      }
    }
    if (storm != null) {
      String failure = await(storm, own.remaining().plus(extra));
      failure = failure == null && !done(storm) ? SATURATED : failure;
      if (failure != null) {
        for (Leg leg : folded) {
          leg.endIfOpen(Outcome.failed(failure, 0), since(queued));
        }
        abandon(storm);
      }
    }
    for (Future<Boolean> clear : clears) {
      if (await(clear, policy.callTimeout()) != null) {
        abandon(clear);
      }
    }
  }

  /**
   * A claim granted is a change of state being delivered: the opposite state's entry of the
   * same alert and transport is cleared now, in parallel with the send rather than after it,
   * so that the ledger adds no round trip to the delivery. (Should the send fail, the retry
   * finds no entry for the old state: a recovery then cancels by tag, as without a ledger.)
   */
  private List<Future<Boolean>> clearWhileSending() {
    List<Future<Boolean>> clears = new ArrayList<>();
    if (ledger == null) {
      return clears;
    }
    Deadline by = Deadline.after(policy.callTimeout(), router.ticker);
    for (Leg leg : legs) {
      if (leg.route == null || !leg.isGranted()) {
        continue;
      }
      LedgerKey opposite = leg.key.withStatus(leg.alert.isResolved() ? AlertStatus.FIRING
          : AlertStatus.RESOLVED);
      if (cleared.add(opposite.id())) {
        Callable<Boolean> clear = clearTask(opposite, by);
        if (ledger.answersAtOnce()) {
          run(clear);
        } else {
          clears.add(router.submit(clear, Boolean.FALSE));
        }
      }
    }
    return clears;
  }

  private Callable<Boolean> clearTask(LedgerKey key, Deadline by) {
    return () -> {
      try {
        ledger.forget(key, by);
      } catch (RuntimeException e) {
        log.warn("ledger '{}' could not clear {}: {}", ledger.name(), key, describe(e));
      }
      return Boolean.TRUE;
    };
  }

  private void sendStorm(List<Leg> folded, Deadline own) {
    String transportName = router.pageStorm.transport();
    Alert page = stormPage(folded);
    int priority = folded.stream().mapToInt(leg -> leg.route.priority()).max().orElseThrow();
    Finished done = send(router.transports.get(transportName), page, priority,
        PriorDelivery.unknown(), own, transportName);
    Outcome o = done.outcome;
    // The summary's handle (an emergency receipt) is not given to the folded alerts: one
    // recovering must not cancel the page that stands for all of them.
    Outcome each = new Outcome(o.kind(), o.messageId(), "folded with " + (folded.size() - 1)
        + " other alerts into one page (the storm guard's limit is " + router.pageStorm.limit()
        + "): " + o.detail(), o.attempts());
    log.warn("page storm: {} alerts folded into one {} page: {}", folded.size(), transportName,
        o.kind().wireName());
    for (Leg leg : folded) {
      record(leg, each);
      leg.end(each, done.elapsed);
    }
  }

  /**
   * The alert as {@code route}'s transport gets it: a resolved one carries
   * {@link Labels#FIRING_PRIORITY}, so the transport knows what the firing alert could have
   * started there (the fingerprint is kept as it was).
   */
  private Alert handedTo(Alert alert, Route route) {
    if (!alert.isResolved()) {
      return alert;
    }
    Integer firing = router.routes.firingPriority(alert.severity(), route.transport());
    return alert.withLabel(Labels.FIRING_PRIORITY, firing == null ? "none" : firing.toString())
        .withFingerprint(alert.fingerprint());
  }

  private Finished send(Transport transport, Alert alert, int priority, PriorDelivery prior,
      Deadline own, String name) {
    long started = router.ticker.nanoTime();
    Outcome outcome;
    try {
      outcome = Objects.requireNonNull(transport.deliver(alert, priority, own, prior),
          "transport returned no outcome");
    } catch (Throwable t) { // contained: one broken transport never breaks the others
      outcome = Outcome.failed("transport threw " + t.getClass().getName()
          + (t.getMessage() == null ? "" : ": " + t.getMessage()), 0);
      log.warn("transport '{}' threw while delivering alert {}", name, alert.fingerprint(), t);
    }
    return new Finished(outcome, Duration.ofNanos(router.ticker.nanoTime() - started));
  }

  /** Records how a claimed delivery ended: delivered, rejected for a while, or released. */
  private void record(Leg leg, Outcome outcome) {
    if (ledger == null || leg.key == null) {
      return;
    }
    Instant now = router.clock.instant();
    LedgerEntry granted = leg.claimEntry();
    Instant claimed = granted == null ? now : granted.recorded();
    LedgerEntry base = granted != null ? granted
        : LedgerEntry.claim(leg.key, leg.claimId, claimed, claimed.plus(policy.lease()));
    try {
      switch (outcome.kind()) {
        case SENT:
          ledger.settle(base.settled(LedgerEntry.State.DELIVERED, now,
              claimed.plus(policy.repeatWindow()), outcome.messageId(), outcome.handle(),
              outcome.detail()), callDeadline());
          leg.sentNow = true;
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
      if (outcome.kind() == Outcome.Kind.SENT) {
        leg.sentNow = true;
      }
      leg.unavailable("could not record the " + outcome.kind().wireName() + " delivery: "
          + describe(e));
      log.warn("ledger '{}' could not record {} as {}: {}", ledger.name(), leg.key,
          outcome.kind().wireName(), describe(e));
    }
  }

  private Outcome heldOutcome(Leg leg) {
    LedgerEntry holder = leg.holderEntry();
    switch (holder.state()) {
      case DELIVERED:
        return Outcome.alreadyDelivered(holder.messageId().orElse(null),
            "already delivered at " + holder.recorded() + "; repeats are held back until "
                + holder.expires());
      case REJECTED:
        return Outcome.rejected("rejected at " + holder.recorded() + " and not resent before "
            + holder.expires() + ": " + holder.detail(), 0);
      default:
        return Outcome.failed("another request is delivering this alert through '"
            + leg.route.transport() + "' right now (claimed at " + holder.recorded()
            + ", lease until " + holder.expires() + "); a retry learns the result", 0);
    }
  }

  // ---- step 4: a change of state clears the opposite state's entries --------------------

  /**
   * What {@link #clearWhileSending} could not: the entries of an alert no route took (a
   * recovery routed nowhere still ends its incident), of transports only the opposite state's
   * routes name, and of deliveries made while the ledger did not answer the claim.
   */
  private void clearOppositeStates() {
    Map<Alert, Boolean> changed = new IdentityHashMap<>();
    for (Leg leg : legs) {
      boolean change = leg.route == null || leg.sentNow || leg.isGranted();
      // Not merge(.., Boolean::logicalOr): that lambda would be spun on every cold start.
      Boolean before = changed.get(leg.alert);
      changed.put(leg.alert, change || Boolean.TRUE.equals(before));
    }
    List<Future<Boolean>> clears = new ArrayList<>();
    Deadline clearBy = callDeadline();
    for (Map.Entry<Alert, Boolean> entry : changed.entrySet()) {
      if (!entry.getValue()) {
        continue;
      }
      Alert alert = entry.getKey();
      AlertStatus opposite = alert.isResolved() ? AlertStatus.FIRING : AlertStatus.RESOLVED;
      for (Route route : router.routes.routesFor(alert.withStatus(opposite))) {
        LedgerKey key = new LedgerKey(alert.fingerprintToken(), opposite, route.transport());
        if (cleared.add(key.id())) {
          Callable<Boolean> clear = clearTask(key, clearBy);
          if (ledger.answersAtOnce()) {
            run(clear);
          } else {
            clears.add(router.submit(clear, Boolean.FALSE));
          }
        }
      }
    }
    for (Future<Boolean> clear : clears) {
      if (await(clear, clearBy.remaining()) != null) {
        abandon(clear);
      }
    }
  }

  // ---- plumbing --------------------------------------------------------------------------

  /** The real time since {@code start}: what an abandoned delivery took, not its budget. */
  private Duration since(long start) {
    return Duration.ofNanos(router.ticker.nanoTime() - start);
  }

  private Deadline callDeadline() {
    return Deadline.after(policy.callTimeout(), router.ticker);
  }

  /**
   * Waits for {@code task}; null when it finished, else why not. A task not finished is left
   * running: the caller records its end first, then {@link #abandon}s it, so that a result
   * arriving late cannot overwrite the failure reported.
   */
  private static String await(Future<?> task, Duration limit) {
    try {
      task.get(limit.plus(GRACE).toNanos(), TimeUnit.NANOSECONDS);
      return null;
    } catch (TimeoutException e) {
      return "no outcome within the deadline; delivery abandoned";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted while waiting for the delivery";
    } catch (ExecutionException e) {
      return "delivery failed: " + e.getCause();
    }
  }

  /** Whether a finished task ran (false: the router was saturated and it never did). */
  private static boolean done(Future<Boolean> task) {
    try {
      return Boolean.TRUE.equals(task.get(0, TimeUnit.NANOSECONDS));
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }

  private static void run(Callable<Boolean> task) {
    try {
      task.call();
    } catch (Exception e) {
      throw new IllegalStateException(e); // the tasks run here catch their own failures
    }
  }

  private static void abandon(Future<?> task) {
    task.cancel(true);
  }

  private static String describe(RuntimeException e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private static String newClaimId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return Long.toHexString(random.nextLong() | Long.MIN_VALUE)
        + Long.toHexString(random.nextLong() | Long.MIN_VALUE);
  }

  private record Finished(Outcome outcome, Duration elapsed) {}

  private enum LegState { GRANTED, HELD, UNAVAILABLE }

  /** One (alert, route) of the call, or one alert no route took. */
  static final class Leg {
    final Alert alert;
    final Route route;
    LedgerKey key;
    String claimId;
    private LegState state;
    private LedgerEntry claim;
    private LedgerEntry holder;
    private String unavailableWhy;
    volatile PriorDelivery prior = PriorDelivery.unknown();
    volatile boolean folded;
    volatile boolean sentNow;
    private Delivery delivery;

    Leg(Alert alert, Route route) {
      this.alert = alert;
      this.route = route;
    }

    /** The claim was granted, unless the leg was already given up on. */
    synchronized void granted(LedgerEntry entry) {
      if (state == null) {
        claim = entry;
        state = LegState.GRANTED;
      }
    }

    /** Someone holds the key, unless the leg was already given up on. */
    synchronized void held(LedgerEntry entry) {
      if (state == null) {
        holder = entry;
        state = LegState.HELD;
      }
    }

    /** The ledger failed this leg: before sending (if undecided) or while recording. */
    synchronized void unavailable(String why) {
      if (state == null || state == LegState.GRANTED) {
        unavailableWhy = why;
        state = LegState.UNAVAILABLE;
      }
    }

    synchronized Delivery delivery() {
      return delivery;
    }

    synchronized LedgerEntry claimEntry() {
      return claim;
    }

    synchronized LedgerEntry holderEntry() {
      return holder;
    }

    synchronized boolean isGranted() {
      return state == LegState.GRANTED;
    }

    /** Whether this leg is sent now: no ledger, a granted claim, or an unavailable ledger. */
    synchronized boolean toSend() {
      return state != LegState.HELD;
    }

    synchronized void end(Outcome outcome, Duration elapsed) {
      if (delivery != null) {
        return;
      }
      Delivery.Ledger use = state == null ? Delivery.Ledger.OFF
          : state == LegState.UNAVAILABLE ? Delivery.Ledger.UNAVAILABLE
          : Delivery.Ledger.RECORDED;
      Outcome reported = outcome;
      if (use == Delivery.Ledger.UNAVAILABLE) {
        reported = outcome.withDetail(outcome.detail() + (outcome.detail().isEmpty() ? "" : "; ")
            + "ledger unavailable (" + unavailableWhy + "): not protected against repeats");
      }
      delivery = new Delivery(alert, Optional.ofNullable(route), reported, elapsed, use,
          folded);
    }

    void endIfOpen(Outcome outcome, Duration elapsed) {
      end(outcome, elapsed);
    }
  }
}
