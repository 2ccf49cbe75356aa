package com.cabalmail.alert;

import com.cabalmail.alert.spi.PriorDelivery;
import com.cabalmail.alert.spi.Transport;
import com.cabalmail.http.Deadline;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call of {@link AlertRouter#route(List)}, a pipeline of four stages: the ledger session
 * claims every leg ({@link LedgerSession}); the storm plan folds a burst of pages into one
 * ({@link StormPlan}); the dispatcher sends what is still to send, each transport in its own
 * lane ({@link Lanes}), recording each end; and the session clears what the changes of state
 * ended. A ledger that fails or is slow never stops a delivery: the alert goes out and the
 * delivery is marked {@link Delivery.Ledger#UNAVAILABLE}.
 */
final class DeliveryRun {

  private static final Logger log = LoggerFactory.getLogger(AlertRouter.class);
  static final String SATURATED = "router saturated: " + AlertRouter.MAX_QUEUED
      + " deliveries already wait in this transport's lane";

  private final AlertRouter router;
  private final LedgerSession session;
  private final Deadline overall;
  private final List<Leg> legs = new ArrayList<>();

  DeliveryRun(AlertRouter router, List<Alert> alerts, Duration atMost) {
    this.router = router;
    this.session = router.ledger == null ? null : new LedgerSession(router);
    this.overall = Deadline.after(router.deadline, router.ticker).atMost(atMost);
    for (Alert alert : alerts) {
      // What identifies the alert is hashed once here, not once per use.
      boolean identified = alert.isIdentified();
      String scope = alert.scopeToken();
      List<Route> planned = router.routes.routesFor(alert);
      if (planned.isEmpty()) {
        legs.add(new Leg(alert, null, identified, scope));
      }
      for (Route route : planned) {
        legs.add(new Leg(alert, route, identified, scope));
      }
    }
  }

  DeliveryReport run() {
    if (session != null) {
      session.claim(legs);
    }
    deliver(StormPlan.fold(legs, router.pageStorm));
    if (session != null) {
      session.clearAfterSending(legs);
    }
    List<Delivery> deliveries = new ArrayList<>(legs.size());
    for (Leg leg : legs) {
      Delivery delivery = leg.delivery();
      AlertRouter.logDelivery(delivery);
      deliveries.add(delivery);
    }
    return new DeliveryReport(deliveries);
  }

  private void deliver(List<Leg> folded) {
    Map<Leg, Future<Boolean>> running = new IdentityHashMap<>();
    Set<Leg> foldSet = Collections.newSetFromMap(new IdentityHashMap<>());
    foldSet.addAll(folded);
    Deadline own = overall.atMost(router.transportTimeout);
    long queued = router.ticker.nanoTime();
    List<Future<Boolean>> clears = session == null ? List.of()
        : session.clearWhileSending(legs);
    Future<Boolean> storm = null;
    if (!folded.isEmpty()) { // first: the storm page goes ahead of everything in its lane
      for (Leg leg : folded) {
        leg.folded = true;
      }
      storm = router.lanes.submit(router.pageStorm.transport(), Lanes.FIRST,
          new Callable<Boolean>() {
            @Override
            public Boolean call() {
              sendStorm(folded, own);
              return Boolean.TRUE;
            }
          }, Boolean.FALSE);
    }
    for (Leg leg : legs) {
      if (leg.route == null) {
        String why = leg.alert.isTest() ? "no route for test notifications"
            : "no route for " + (leg.alert.isResolved() ? "resolved " : "")
                + leg.alert.severity().wireName() + " alerts";
        leg.end(Outcome.dropped(why), Duration.ZERO);
      } else if (!leg.toSend()) {
        leg.end(LedgerSession.heldOutcome(leg), Duration.ZERO);
      } else if (!foldSet.contains(leg)) {
        running.put(leg, router.lanes.submit(leg.route.transport(), leg.route.priority(),
            new Callable<Boolean>() {
              @Override
              public Boolean call() {
                Finished done = send(router.transports.get(leg.route.transport()),
                    handedTo(leg.alert, leg.route), leg.route.priority(), leg.prior, own,
                    leg.route.transport());
                leg.sentNow = done.outcome.kind() == Outcome.Kind.SENT;
                record(leg, done.outcome);
                leg.end(done.outcome, done.elapsed);
                return Boolean.TRUE;
              }
            }, Boolean.FALSE));
      }
    }
    Duration extra = session == null ? Duration.ZERO : router.ledgerPolicy.callTimeout();
    if (storm != null) {
      String failure = Waiting.await(storm, own.remaining().plus(extra));
      failure = failure == null && !Waiting.ran(storm) ? SATURATED : failure;
      if (failure != null) {
        for (Leg leg : folded) {
          leg.end(Outcome.failed(failure, 0), since(queued));
        }
        storm.cancel(true);
      }
    }
    for (Map.Entry<Leg, Future<Boolean>> entry : running.entrySet()) {
      Leg leg = entry.getKey();
      String failure = Waiting.await(entry.getValue(), own.remaining().plus(extra));
      if (failure == null && !Waiting.ran(entry.getValue())) {
        record(leg, Outcome.failed(SATURATED, 0)); // releases its claim for the retry
        leg.end(Outcome.failed(SATURATED, 0), Duration.ZERO);
      } else if (failure != null) {
        leg.end(Outcome.failed(failure, 0), since(queued));
        entry.getValue().cancel(true);
      }
    }
    if (session != null) {
      session.awaitClears(clears, session.callDeadline());
    }
  }

  private void record(Leg leg, Outcome outcome) {
    if (session != null) {
      session.record(leg, outcome);
    }
  }

  private void sendStorm(List<Leg> folded, Deadline own) {
    String transportName = router.pageStorm.transport();
    Finished done = send(router.transports.get(transportName), StormPlan.page(folded),
        StormPlan.priority(folded), PriorDelivery.unknown(), own, transportName);
    Outcome o = done.outcome;
    // The summary's handle (an emergency receipt) is not given to the folded alerts: one
    // recovering must not cancel the page that stands for all of them.
    Outcome each = new Outcome(o.kind(), o.messageId(), "folded with " + (folded.size() - 1)
        + " other alerts into one page (the storm guard's limit is " + router.pageStorm.limit()
        + "): " + o.detail(), o.attempts());
    log.warn("page storm: {} alerts folded into one {} page: {}", folded.size(), transportName,
        o.kind().wireName());
    for (Leg leg : folded) {
      leg.sentNow = each.kind() == Outcome.Kind.SENT;
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
    return alert.withLabel(Labels.FIRING_PRIORITY, firing == null ? "none" : firing.toString());
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

  /** The real time since {@code start}: what an abandoned delivery took, not its budget. */
  private Duration since(long start) {
    return Duration.ofNanos(router.ticker.nanoTime() - start);
  }

  private record Finished(Outcome outcome, Duration elapsed) {}
}
