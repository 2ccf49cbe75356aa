package com.cabalmail.alert;

import com.cabalmail.alert.ledger.LedgerEntry;
import com.cabalmail.alert.ledger.LedgerKey;
import com.cabalmail.alert.spi.PriorDelivery;
import java.time.Duration;
import java.util.Optional;

/**
 * One (alert, route) of a routing call, or one alert no route took: what the ledger said of
 * it, and how it ended. The first end recorded wins, so a result arriving after the leg was
 * given up on cannot overwrite the failure reported.
 */
final class Leg {

  private enum State { GRANTED, HELD, UNAVAILABLE }

  final Alert alert;
  final Route route;
  /** {@link Alert#isIdentified()} and {@link Alert#scopeToken()}, computed once per alert. */
  final boolean identified;
  final String scope;
  LedgerKey key;
  String claimId;
  private State state;
  private LedgerEntry claim;
  private LedgerEntry holder;
  private String unavailableWhy;
  volatile PriorDelivery prior = PriorDelivery.unknown();
  volatile boolean folded;
  volatile boolean sentNow;
  private String note = "";
  private Delivery delivery;

  Leg(Alert alert, Route route) {
    this(alert, route, alert.isIdentified(), alert.scopeToken());
  }

  Leg(Alert alert, Route route, boolean identified, String scope) {
    this.alert = alert;
    this.route = route;
    this.identified = identified;
    this.scope = scope;
  }

  /** The transport's name, or {@link Delivery#ROUTING} for an alert no route took. */
  String transport() {
    return route == null ? Delivery.ROUTING : route.transport();
  }

  /** The claim was granted, unless the leg was already given up on. */
  synchronized void granted(LedgerEntry entry) {
    if (state == null) {
      claim = entry;
      state = State.GRANTED;
    }
  }

  /** Someone holds the key, unless the leg was already given up on. */
  synchronized void held(LedgerEntry entry) {
    if (state == null) {
      holder = entry;
      state = State.HELD;
    }
  }

  /** The ledger failed this leg: before sending (if undecided) or while recording. */
  synchronized void unavailable(String why) {
    if (state == null || state == State.GRANTED) {
      unavailableWhy = why;
      state = State.UNAVAILABLE;
    }
  }

  /** A remark added to the outcome's detail, e.g. why the delivery was not recorded. */
  synchronized void note(String remark) {
    note = remark;
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
    return state == State.GRANTED;
  }

  /** Whether this leg is sent now: no ledger, a granted claim, or an unavailable ledger. */
  synchronized boolean toSend() {
    return state != State.HELD;
  }

  synchronized void end(Outcome outcome, Duration elapsed) {
    if (delivery != null) {
      return;
    }
    Delivery.Ledger use = state == null ? Delivery.Ledger.OFF
        : state == State.UNAVAILABLE ? Delivery.Ledger.UNAVAILABLE
        : Delivery.Ledger.RECORDED;
    String detail = outcome.detail();
    if (use == Delivery.Ledger.UNAVAILABLE) {
      detail = join(detail, "ledger unavailable (" + unavailableWhy
          + "): not protected against repeats");
    }
    if (!note.isEmpty()) {
      detail = join(detail, note);
    }
    Outcome reported = detail.equals(outcome.detail()) ? outcome : outcome.withDetail(detail);
    delivery = new Delivery(alert, Optional.ofNullable(route), reported, elapsed, use, folded);
  }

  /**
   * A delivery made whose change of state the ledger could not record: reported failed, so
   * that the caller retries and the retry records it (the phone already has the message).
   */
  synchronized void failRecording(String why) {
    // Only where the ledger answered the claim: a retry is then held back (no repeat on the
    // phone) and records what failed. Where it did not, a retry would only send again.
    if (delivery != null && delivery.outcome().isSent()
        && (state == State.GRANTED || state == State.HELD)) {
      Outcome o = delivery.outcome();
      delivery = new Delivery(alert, delivery.route(), new Outcome(Outcome.Kind.FAILED,
          o.messageId(), join(o.detail(), why), o.attempts(), o.handle()), delivery.elapsed(),
          delivery.ledger(), delivery.folded());
    }
  }

  private static String join(String detail, String more) {
    return detail.isEmpty() ? more : detail + "; " + more;
  }
}
