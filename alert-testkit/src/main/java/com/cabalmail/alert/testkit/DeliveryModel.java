package com.cabalmail.alert.testkit;

import com.cabalmail.alert.Alert;
import com.cabalmail.alert.AlertRouter;
import com.cabalmail.alert.AlertStatus;
import com.cabalmail.alert.Delivery;
import com.cabalmail.alert.DeliveryReport;
import com.cabalmail.alert.Labels;
import com.cabalmail.alert.Outcome;
import com.cabalmail.alert.RoutingTable;
import com.cabalmail.alert.Severity;
import com.cabalmail.alert.ledger.Claim;
import com.cabalmail.alert.ledger.DeliveryLedger;
import com.cabalmail.alert.ledger.LedgerEntry;
import com.cabalmail.alert.ledger.LedgerException;
import com.cabalmail.alert.ledger.LedgerKey;
import com.cabalmail.alert.ledger.LedgerPolicy;
import com.cabalmail.alert.spi.PriorDelivery;
import com.cabalmail.alert.spi.Transport;
import com.cabalmail.http.Deadline;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A model-based check of the router and a delivery ledger: seeded random sequences of firing
 * and resolved alerts (with and without identities of their own, rising in severity), re-sends,
 * caller retries, duplicate requests sent at once, tests, transport failures, rejections and
 * hangs, ledger errors before and after a write was applied, and clock jumps. After every
 * request, what the transports received is checked against a small reference model of
 * incidents:
 *
 * <ol>
 *   <li>a delivery reported "already delivered" repeats what this channel already showed the
 *       operator in the same incident and repeat window (nothing is suppressed that was not
 *       seen); a recovery reported so follows the last page of its scope on that channel;
 *   <li>within its repeat window an incident is paged once per channel and severity, unless the
 *       ledger failed or a transport hung since (a duplicate is then allowed, a loss never);
 *   <li>a transport receives only alerts of the request being routed (nothing late, nothing
 *       after its recovery but a new incident);
 *   <li>at the end, once the failures heal and each open alert is sent again, every open
 *       incident has been paged on every channel of its route.
 * </ol>
 *
 * A failure names the seed and the step, so that {@link #sequence} replays it.
 */
public final class DeliveryModel {

  private static final Duration WINDOW = Duration.ofHours(4);
  /** The coarsest expiry a store keeps: whole seconds. */
  private static final Duration EXPIRY_GRANULARITY = Duration.ofSeconds(1);
  /** Sequences run at once. */
  private static final int PARALLEL = 8;
  private static final String[] IDENTIFIED = {"kuma:1", "kuma:2", "alertmanager:3f2a9c1d"};
  private static final String[] IDENTIFIED_SOURCES = {"kuma/IMAP", "kuma/SMTP",
      "alertmanager/HighLoad/mail-1"};
  private static final String[] DERIVED_SOURCES = {"backup/vol", "backup/db"};
  private static final String[] SUMMARIES = {"vol-1 failed: disk full", "vol-2 failed: denied"};

  private final Random random;
  private final long seed;
  private final Duration callTimeout;
  private final TestClock clock = TestClock.atTen();
  private final FaultyLedger ledger;
  private final ModelTransport pushover = new ModelTransport("pushover");
  private final ModelTransport ntfy = new ModelTransport("ntfy");
  private final AlertRouter router;
  private final RoutingTable routes = RoutingTable.defaults();
  private int step;
  /** Steps at which doubt arose: a ledger fault or a hung transport. */
  private final List<Integer> doubts = new ArrayList<>();
  /** Open incidents by identity: its number and, for an identified alert, its severity. */
  private final Map<String, Incident> open = new LinkedHashMap<>();
  private int incidents;
  private final List<Receipt> receipts = new ArrayList<>();
  private volatile List<Alert> routing = List.of();
  /** What happened, step by step: the last lines go with a failure. */
  private final List<String> trace = new CopyOnWriteArrayList<>();
  /** Violations seen on delivery threads, thrown on the sequence's thread. */
  private final List<String> violations = new CopyOnWriteArrayList<>();

  private DeliveryModel(long seed, DeliveryLedger store, Duration callTimeout) {
    this.seed = seed;
    this.callTimeout = callTimeout;
    this.random = new Random(seed);
    this.ledger = new FaultyLedger(store);
    this.router = AlertRouter.builder()
        .routes(routes)
        .transport("pushover", pushover)
        .transport("ntfy", ntfy)
        .ledger(ledger)
        .ledgerPolicy(LedgerPolicy.defaults().withCallTimeout(callTimeout)
            .withLease(Duration.ofSeconds(15)))
        .transportTimeout(Duration.ofMillis(60))
        .deadline(Duration.ofMillis(120))
        .clock(clock)
        .build();
  }

  /**
   * Runs {@code sequences} sequences of {@code steps} steps each, seeds {@code firstSeed},
   * {@code firstSeed + 1}, …, each on a fresh ledger from {@code ledgers}.
   *
   * @return how many requests were routed in all
   * @throws AssertionError naming the seed and step of the first violation
   */
  public static int check(int sequences, int steps, long firstSeed,
      Supplier<DeliveryLedger> ledgers, Duration callTimeout) {
    // Every delivery logs a line: muted, or the build's output would hold hundreds of
    // thousands of them. A failure carries its own trace of the last requests.
    return CapturedLogs.quietly(() -> checkAll(sequences, steps, firstSeed, ledgers,
        callTimeout));
  }

  private static int checkAll(int sequences, int steps, long firstSeed,
      Supplier<DeliveryLedger> ledgers, Duration callTimeout) {
    // Sequences are independent (each its own router, ledger, clock and transports): they run
    // side by side, since most of their time is spent waiting on hangs and slow answers.
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(PARALLEL);
    try {
      List<java.util.concurrent.Future<Integer>> runs = new ArrayList<>();
      for (int i = 0; i < sequences; i++) {
        long seed = firstSeed + i;
        DeliveryLedger store = ledgers.get();
        runs.add(pool.submit(() -> sequence(seed, steps, store, callTimeout)));
      }
      int routed = 0;
      for (java.util.concurrent.Future<Integer> run : runs) {
        try {
          routed += run.get();
        } catch (java.util.concurrent.ExecutionException e) {
          if (e.getCause() instanceof AssertionError) {
            throw (AssertionError) e.getCause();
          }
          throw new IllegalStateException(e.getCause());
        }
      }
      return routed;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      pool.shutdownNow();
    }
  }

  /** Runs one sequence; returns how many requests it routed. */
  public static int sequence(long seed, int steps, DeliveryLedger store, Duration callTimeout) {
    DeliveryModel model = new DeliveryModel(seed, store, callTimeout);
    try {
      return model.run(steps);
    } finally {
      model.router.close();
    }
  }

  // ---- the sequence -----------------------------------------------------------------------

  private int run(int steps) {
    int routed = 0;
    List<Alert> last = List.of();
    for (step = 0; step < steps; step++) {
      clock.advance(Duration.ofMillis(1)); // a real clock moves between two requests
      int pick = random.nextInt(100);
      if (pick < 22) {
        last = List.of(fireIdentified());
      } else if (pick < 30) {
        last = List.of(resolveIdentified());
      } else if (pick < 50) {
        last = List.of(fireDerived());
      } else if (pick < 56) {
        last = List.of(resolveDerived());
      } else if (pick < 62) {
        last = List.of(fireIdentified(), fireDerived(), fireDerived());
      } else if (pick < 68 && !last.isEmpty()) {
        // a re-send of the last request, as Alertmanager sends a group again
      } else if (pick < 72 && !last.isEmpty()) {
        routed += concurrently(last);
        continue;
      } else if (pick < 74) {
        last = List.of(Alert.firing(Severity.INFO, "kuma", "Uptime Kuma Testing")
            .withLabel(Labels.TEST, "true").withFingerprint("kuma:test"));
      } else if (pick < 82) {
        int mode = random.nextInt(20);
        (random.nextBoolean() ? pushover : ntfy).mode = mode < 8 ? Mode.UP
            : mode < 13 ? Mode.FAILING : mode < 18 ? Mode.REJECTING : Mode.HANGING;
        continue;
      } else if (pick < 88) {
        int mode = random.nextInt(20);
        ledger.mode = mode < 7 ? LedgerMode.HEALTHY : mode < 13 ? LedgerMode.FAIL_BEFORE
            : mode < 19 ? LedgerMode.FAIL_AFTER : LedgerMode.SLOW;
        continue;
      } else {
        clock.advance(jump());
        continue;
      }
      routed += routeAsACaller(last);
    }
    routed += healAndSendAgain();
    return routed;
  }

  private Duration jump() {
    switch (random.nextInt(3)) {
      case 0:
        return Duration.ofSeconds(1 + random.nextInt(60));
      case 1:
        return Duration.ofMinutes(5 + random.nextInt(55));
      default:
        return WINDOW.plusMinutes(random.nextInt(60));
    }
  }

  private Alert fireIdentified() {
    int i = random.nextInt(IDENTIFIED.length);
    Severity severity = random.nextInt(3) == 0 ? Severity.WARNING : Severity.CRITICAL;
    return Alert.firing(severity, IDENTIFIED_SOURCES[i], IDENTIFIED_SOURCES[i] + " is down")
        .withFingerprint(IDENTIFIED[i]);
  }

  private Alert resolveIdentified() {
    int i = random.nextInt(IDENTIFIED.length);
    return Alert.resolved(Severity.CRITICAL, IDENTIFIED_SOURCES[i], IDENTIFIED_SOURCES[i]
        + " is up").withFingerprint(IDENTIFIED[i]);
  }

  private Alert fireDerived() {
    Severity severity = random.nextInt(3) == 0 ? Severity.WARNING : Severity.CRITICAL;
    return Alert.firing(severity, DERIVED_SOURCES[random.nextInt(DERIVED_SOURCES.length)],
        SUMMARIES[random.nextInt(SUMMARIES.length)]);
  }

  private Alert resolveDerived() {
    return Alert.resolved(Severity.CRITICAL,
        DERIVED_SOURCES[random.nextInt(DERIVED_SOURCES.length)], "backups ok");
  }

  /** Routes {@code batch} and retries while the answer invites it, as Alertmanager does. */
  private int routeAsACaller(List<Alert> batch) {
    int routed = 0;
    for (int attempt = 0; attempt < 3; attempt++) {
      DeliveryReport report = route(batch);
      routed++;
      if (!report.retryHelps()) {
        break;
      }
    }
    return routed;
  }

  private DeliveryReport route(List<Alert> batch) {
    return request(batch, 1)[0];
  }

  /** The same request twice at once (a caller's duplicate POST): one claim wins each key. */
  private int concurrently(List<Alert> batch) {
    return request(batch, 2).length;
  }

  /**
   * Routes {@code batch} {@code copies} times at once (1 or 2), then checks what the transports
   * received against the model.
   */
  private DeliveryReport[] request(List<Alert> batch, int copies) {
    Instant now = clock.instant();
    openAndClose(batch, now);
    routing = batch;
    int faults = ledger.faults;
    int hangs = pushover.hangs + ntfy.hangs;
    int from = receipts.size();
    DeliveryReport[] reports = new DeliveryReport[copies];
    Thread other = null;
    CountDownLatch start = new CountDownLatch(1);
    if (copies == 2) {
      other = new Thread(() -> {
        await(start);
        reports[1] = router.route(batch);
      });
      other.start();
    }
    start.countDown();
    reports[0] = router.route(batch);
    if (other != null) {
      try {
        other.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (DeliveryReport report : reports) {
      note(batch, report);
    }
    noteDoubt(faults, hangs, reports);
    routing = List.of();
    throwViolations();
    checkRepeats(from);
    // What each channel showed by the end of the request: a duplicate sent at once may have
    // delivered what its twin then held back.
    Map<String, Receipt> shown = latestReceipts();
    for (DeliveryReport report : reports) {
      checkHeldBack(report, shown, now);
    }
    return reports;
  }

  private int healAndSendAgain() {
    pushover.mode = Mode.UP;
    ntfy.mode = Mode.UP;
    ledger.mode = LedgerMode.HEALTHY;
    // Past every lease and rejection hold: a provider's refusal is not asked again before it.
    clock.advance(LedgerPolicy.DEFAULT_REJECTION_HOLD.plusSeconds(20));
    step = Integer.MAX_VALUE - 1;
    int routed = 0;
    List<Alert> again = new ArrayList<>();
    for (Incident incident : open.values()) {
      again.add(incident.alert);
    }
    for (Alert alert : again) {
      routed += routeAsACaller(List.of(alert));
    }
    for (Incident incident : open.values()) {
      for (com.cabalmail.alert.Route route : routes.firing(incident.alert.severity())) {
        if (!received(incident, route.transport())) {
          fail("open incident " + incident + " was never delivered through "
              + route.transport() + " although every channel healed and it was sent again");
        }
      }
    }
    return routed;
  }

  // ---- the reference model ----------------------------------------------------------------

  private static final class Incident {
    final String identity;
    final int number;
    final String scope;
    Alert alert;

    Incident(String identity, int number, String scope, Alert alert) {
      this.identity = identity;
      this.number = number;
      this.scope = scope;
      this.alert = alert;
    }

    @Override
    public String toString() {
      return identity + "#" + number + " (" + alert.severity().wireName() + ")";
    }
  }

  private record Receipt(String identity, int incident, String scope, AlertStatus status,
      Severity severity, String transport, Instant at, int step) {}

  private static String identity(Alert alert) {
    return alert.isIdentified() ? "id:" + alert.fingerprint()
        : "d:" + alert.severity().wireName() + "|" + alert.source() + "|" + alert.summary();
  }

  private static String scope(Alert alert) {
    return alert.isIdentified() ? "id:" + alert.fingerprint() : "src:" + alert.source();
  }

  private void openAndClose(List<Alert> batch, Instant now) {
    for (Alert alert : batch) {
      if (alert.isTest()) {
        continue;
      }
      if (!alert.isResolved()) {
        Incident incident = open.get(identity(alert));
        if (incident == null) {
          open.put(identity(alert), new Incident(identity(alert), ++incidents, scope(alert),
              alert));
        } else {
          incident.alert = alert; // a rise (or fall) of an identified alert
        }
      } else {
        open.values().removeIf(incident -> incident.scope.equals(scope(alert)));
      }
    }
  }

  private void receive(Alert alert, String transport) {
    if (alert.isTest()) {
      return;
    }
    boolean routed = false;
    for (Alert a : routing) {
      routed |= a.fingerprint().equals(alert.fingerprint()) && a.status() == alert.status();
    }
    if (!routed) {
      violations.add(transport + " received " + alert.status().wireName() + " "
          + identity(alert) + " while routing " + routing
          + ": nothing but the request's alerts may arrive");
    }
    Incident incident = open.get(identity(alert));
    int number = incident == null ? -1 : incident.number;
    synchronized (receipts) {
      receipts.add(new Receipt(identity(alert), number, scope(alert), alert.status(),
          alert.severity(), transport, clock.instant(), step));
    }
  }

  /**
   * Check 2, once the request is answered (its own doubt counts): no page of this step
   * repeats one of the same incident, severity and channel within the window.
   */
  private void checkRepeats(int from) {
    List<Receipt> all;
    synchronized (receipts) {
      all = new ArrayList<>(receipts);
    }
    for (int i = from; i < all.size(); i++) {
      Receipt now = all.get(i);
      if (now.status != AlertStatus.FIRING) {
        continue;
      }
      for (int j = 0; j < i; j++) {
        Receipt r = all.get(j);
        if (r.status == AlertStatus.FIRING && r.identity.equals(now.identity)
            && r.incident == now.incident && r.severity == now.severity
            && r.transport.equals(now.transport) && r.at.plus(WINDOW).isAfter(now.at)
            && !doubtSince(r.step)) {
          fail(now.transport + " paged " + now.identity + " #" + now.incident + " twice within"
              + " its repeat window (first at step " + r.step + ", " + r.at + ") with no"
              + " ledger failure or hang in between");
        }
      }
    }
  }

  private boolean doubtSince(int since) {
    for (int at : doubts) {
      if (at >= since) {
        return true;
      }
    }
    return false;
  }

  /** Doubt arose in this request: a fault, a hang, or a delivery the ledger did not cover. */
  private void noteDoubt(int faults, int hangs, DeliveryReport... reports) {
    boolean doubt = ledger.faults != faults || pushover.hangs + ntfy.hangs != hangs;
    for (DeliveryReport report : reports) {
      doubt |= report != null && !report.ledgerUnavailable().isEmpty();
    }
    if (doubt) {
      doubts.add(step);
    }
  }

  /** The latest receipt of each scope, state and transport so far. */
  private Map<String, Receipt> latestReceipts() {
    Map<String, Receipt> latest = new HashMap<>();
    synchronized (receipts) {
      for (Receipt r : receipts) {
        latest.put(r.scope + "/" + r.status.wireName() + "/" + r.transport, r);
      }
    }
    return latest;
  }

  /** Check 1: what was held back had been seen on that channel, in that incident. */
  private void checkHeldBack(DeliveryReport report, Map<String, Receipt> shown, Instant now) {
    for (Delivery d : report.deliveries()) {
      if (d.outcome().kind() != Outcome.Kind.ALREADY_DELIVERED) {
        continue;
      }
      Alert alert = d.alert();
      String transport = d.transport();
      if (!alert.isResolved()) {
        Incident incident = open.get(identity(alert));
        if (!seen(incident, alert.severity(), transport, now)) {
          fail(transport + " held back " + identity(alert) + " as already delivered, but the"
              + " operator never saw incident " + incident + " there within the window");
        }
      } else {
        Receipt recovery = shown.get(scope(alert) + "/resolved/" + transport);
        Receipt page = shown.get(scope(alert) + "/firing/" + transport);
        if (recovery == null || (page != null && page.at.isAfter(recovery.at))
            || (page != null && page.step > recovery.step)) {
          fail(transport + " held back the recovery of " + scope(alert) + " as already"
              + " delivered, but the last thing it showed of that scope was "
              + (page == null ? "nothing" : "a page at step " + page.step));
        }
      }
    }
  }

  private boolean seen(Incident incident, Severity severity, String transport, Instant now) {
    if (incident == null) {
      return false;
    }
    synchronized (receipts) {
      for (Receipt r : receipts) {
        // A store may keep expiries in whole seconds, rounded up (DynamoDB's TTL attribute):
        // a repeat is then held back up to a second past the window, never more.
        if (r.status == AlertStatus.FIRING && r.identity.equals(incident.identity)
            && r.incident == incident.number && r.severity == severity
            && r.transport.equals(transport)
            && r.at.plus(WINDOW).plus(EXPIRY_GRANULARITY).isAfter(now)) {
          return true;
        }
      }
    }
    return false;
  }

  private boolean received(Incident incident, String transport) {
    synchronized (receipts) {
      for (Receipt r : receipts) {
        if (r.status == AlertStatus.FIRING && r.identity.equals(incident.identity)
            && r.incident == incident.number && r.severity == incident.alert.severity()
            && r.transport.equals(transport)) {
          return true;
        }
      }
    }
    return false;
  }

  private void note(List<Alert> batch, DeliveryReport report) {
    StringBuilder line = new StringBuilder("step " + step + " " + clock.instant()
        + " ledger=" + ledger.mode + " pushover=" + pushover.mode + " ntfy=" + ntfy.mode + ":");
    for (Delivery d : report.deliveries()) {
      line.append("\n    ").append(d.alert().status().wireName()).append(' ')
          .append(identity(d.alert())).append(" -> ").append(d.transport()).append(' ')
          .append(d.outcome().kind().wireName()).append(" [").append(d.ledger().wireName())
          .append("] ").append(d.outcome().detail());
    }
    trace.add(line.toString());
  }

  private void throwViolations() {
    if (!violations.isEmpty()) {
      fail(violations.get(0));
    }
  }

  private void fail(String what) {
    List<String> last = trace.subList(Math.max(0, trace.size() - 25), trace.size());
    throw new AssertionError("delivery model, seed " + seed + ", step "
        + (step >= Integer.MAX_VALUE - 1 ? "final (healed, sent again)" : step) + ": " + what
        + " (replay: DeliveryModel.sequence(" + seed + "L, …)); the last requests:\n"
        + String.join("\n", last));
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---- transports and ledger with faults --------------------------------------------------

  private enum Mode { UP, FAILING, REJECTING, HANGING }

  private final class ModelTransport implements Transport {
    final String name;
    volatile Mode mode = Mode.UP;
    volatile int hangs;

    ModelTransport(String name) {
      this.name = name;
    }

    @Override
    public Outcome deliver(Alert alert, int priority, Deadline deadline) {
      return deliver(alert, priority, deadline, PriorDelivery.unknown());
    }

    @Override
    public Outcome deliver(Alert alert, int priority, Deadline deadline, PriorDelivery prior) {
      switch (mode) {
        case FAILING:
          return Outcome.failed("503 from the model", 1);
        case REJECTING:
          return Outcome.rejected("400 from the model", 1);
        case HANGING:
          hangs++;
          mode = Mode.UP; // one hung call, then the provider answers again
          try {
            Thread.sleep(deadline.remaining().toMillis() + 200);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return Outcome.failed("no answer", 1); // nothing arrived
        default:
          receive(alert, name);
          return Outcome.sent(name + "-" + alert.fingerprintToken(), "queued", 1);
      }
    }
  }

  private enum LedgerMode { HEALTHY, FAIL_BEFORE, FAIL_AFTER, SLOW }

  /** A ledger that fails some calls, before or after applying them, or answers late. */
  private final class FaultyLedger implements DeliveryLedger {
    final DeliveryLedger store;
    volatile LedgerMode mode = LedgerMode.HEALTHY;
    volatile int faults;

    FaultyLedger(DeliveryLedger store) {
      this.store = store;
    }

    private boolean faulty() {
      synchronized (random) {
        return mode != LedgerMode.HEALTHY && random.nextInt(3) != 0;
      }
    }

    private <T> T call(Supplier<T> operation) {
      if (!faulty()) {
        return operation.get();
      }
      faults++;
      switch (mode) {
        case FAIL_BEFORE:
          throw new LedgerException("model: store unreachable");
        case FAIL_AFTER:
          operation.get();
          throw new LedgerException("model: answer lost after the write");
        default:
          mode = LedgerMode.HEALTHY; // one late answer, then the store answers in time again
          try {
            Thread.sleep(callTimeout.toMillis() + 10); // answers after the router gave up
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return operation.get();
      }
    }

    private void run(Runnable operation) {
      call(() -> {
        operation.run();
        return null;
      });
    }

    @Override
    public String name() {
      return "model(" + store.name() + ")";
    }

    /** At once but when slow: then the router must bound each call on its ledger lane. */
    @Override
    public boolean answersAtOnce() {
      return mode != LedgerMode.SLOW && store.answersAtOnce();
    }

    @Override
    public Claim claim(LedgerEntry claim, Instant now, Deadline deadline) {
      return call(() -> store.claim(claim, now, deadline));
    }

    @Override
    public boolean settle(LedgerEntry entry, Deadline deadline) {
      return call(() -> store.settle(entry, deadline));
    }

    @Override
    public void release(LedgerKey key, String claimId, Deadline deadline) {
      run(() -> store.release(key, claimId, deadline));
    }

    @Override
    public Optional<LedgerEntry> find(LedgerKey key, Deadline deadline) {
      return call(() -> store.find(key, deadline));
    }

    @Override
    public void forget(LedgerKey key, Instant recordedBy, Deadline deadline) {
      run(() -> store.forget(key, recordedBy, deadline));
    }

    @Override
    public String generation(String scope, Instant now, Deadline deadline) {
      return call(() -> store.generation(scope, now, deadline));
    }

    @Override
    public void advance(String scope, String generation, Instant since, Instant expires,
        Deadline deadline) {
      run(() -> store.advance(scope, generation, since, expires, deadline));
    }

    @Override
    public void close() {
      store.close();
    }
  }

}
