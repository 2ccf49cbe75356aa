package com.cabalmail.sink;

import com.cabalmail.alert.Alert;
import com.cabalmail.alert.AlertConfig;
import com.cabalmail.alert.Labels;
import com.cabalmail.alert.Outcome;
import com.cabalmail.alert.Route;
import com.cabalmail.alert.RoutingTable;
import com.cabalmail.alert.Severity;
import com.cabalmail.alert.ledger.Acknowledgement;
import com.cabalmail.alert.ledger.DeliveryLedger;
import com.cabalmail.alert.ledger.LedgerEntry;
import com.cabalmail.alert.ledger.LedgerException;
import com.cabalmail.alert.ledger.LedgerKey;
import com.cabalmail.alert.spi.Settings;
import com.cabalmail.alert.spi.Transport;
import com.cabalmail.http.Deadline;
import com.cabalmail.http.HttpDelivery;
import com.cabalmail.http.Json;
import com.cabalmail.http.Secret;
import com.cabalmail.http.Ticker;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The incident on the phone: acknowledgements from Pushover (its callback) and from ntfy (the
 * <b>Acknowledge</b> button), and silences from the phone (the <b>Silence 4h</b> button), kept
 * in the delivery ledger on the alert's firing entries.
 *
 * <ul>
 *   <li>On the way out ({@link #withLinks}), each firing alert gets the URLs its notifications
 *       carry, as reserved labels: {@link Labels#ACK_CALLBACK} ({@code <public URL>/ack/pushover/
 *       <identity>/<severity>}), and, with {@value #ACK_KEY}, {@link Labels#ACK_URL} on a
 *       critical alert and {@link Labels#SILENCE_ACTION} on an Alertmanager alert when
 *       {@value AlertmanagerSilences#URL} is set: {@link AckToken} capabilities expiring with
 *       the repeat window. Without a public URL, none is added (logged once).
 *   <li>{@code POST /ack/pushover/<identity>/<severity>}, Pushover's callback, is not signed: the
 *       receipt it names is trusted only when the ledger holds it for that alert and Pushover's
 *       receipts API says it was acknowledged.
 *   <li>{@code POST /ack/<token>} acknowledges: the Pushover emergency is cancelled by its
 *       receipt, who and when is recorded, and the ntfy notification is replaced.
 *       {@code POST /silence/<token>} silences in Alertmanager. {@code GET} of either describes
 *       the token and the alert's state, changing nothing.
 * </ul>
 *
 * Answers are 200 (done, or done before: a second acknowledgement changes nothing), 403 (a
 * token forged, expired, made for another action or an earlier incident; a callback Pushover
 * does not confirm; the rate limit) or 404 (nothing firing to act on), with fixed bodies that
 * tell a guesser nothing. Nothing from a request body is ever called.
 */
final class Acknowledgements {

  private static final Logger log = LoggerFactory.getLogger(Acknowledgements.class);

  static final String PUBLIC_URL = "ALERT_PUBLIC_URL";
  static final String ACK_KEY = "ALERT_ACK_KEY";
  static final int MIN_KEY_BYTES = 16;
  static final String CALLBACK_PATH = "/ack/pushover/";
  /**
   * How far a token may have been made before the delivery it acts on was claimed: a token is
   * made in its alert's request just before the claims, and DynamoDB keeps expiries in whole
   * seconds. A token made earlier belongs to an earlier incident of the same alert.
   */
  static final Duration MINTED_BEFORE_CLAIM = Duration.ofSeconds(2);
  /** The largest callback body read. */
  static final int MAX_CALLBACK_BYTES = 4096;
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

  /** The settings read at cold start, before the router exists. */
  record Spec(Optional<URI> publicUrl, Optional<Secret> key, Optional<URI> alertmanager,
      Optional<Secret> alertmanagerAuth) {}

  private final Spec spec;
  private final byte[] key;
  private final AtomicReference<String> publicUrl = new AtomicReference<>();
  private final DeliveryLedger ledger;
  private final RoutingTable routes;
  private final Map<String, Transport> transports;
  private final Duration repeatWindow;
  private final Duration budget;
  private final AlertmanagerSilences alertmanager;
  /** Pushover's callbacks: each costs a ledger read, and a receipt found a Pushover poll. */
  private final AckRateLimit callbacks;
  /**
   * Capabilities whose MAC holds: a guesser's forged tokens are refused by the MAC alone and
   * take nothing from this bucket, so they cannot starve a real button.
   */
  private final AckRateLimit capabilities;
  private final Clock clock;
  private final AtomicBoolean toldNoUrl = new AtomicBoolean();

  private Acknowledgements(Spec spec, DeliveryLedger ledger, RoutingTable routes,
      Map<String, Transport> transports, Duration repeatWindow, Duration budget,
      AlertmanagerSilences alertmanager, Ticker ticker, Clock clock) {
    this.spec = spec;
    this.key = spec.key().isPresent()
        ? spec.key().get().reveal().getBytes(StandardCharsets.UTF_8) : null;
    if (spec.publicUrl().isPresent()) {
      publicUrl.set(spec.publicUrl().get().toString());
    }
    this.ledger = ledger;
    this.routes = routes;
    this.transports = Map.copyOf(transports);
    this.repeatWindow = repeatWindow;
    this.budget = budget;
    this.alertmanager = alertmanager;
    this.callbacks = new AckRateLimit(ticker);
    this.capabilities = new AckRateLimit(ticker);
    this.clock = clock;
  }

  /** Nothing: no links, every acknowledgement path answered 404. */
  static Acknowledgements off() {
    return new Acknowledgements(new Spec(Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty()), null, null, Map.of(), Duration.ofHours(4), Duration.ofSeconds(8), null,
        Ticker.system(), Clock.systemUTC());
  }

  /**
   * Reads {@value #PUBLIC_URL}, {@value #ACK_KEY}, {@value AlertmanagerSilences#URL} and
   * {@value AlertmanagerSilences#BASIC_AUTH}, each problem recorded in {@code settings} naming
   * its key.
   *
   * @param lambda whether this is the Lambda (a short key is a problem there, a warning locally)
   * @param sharedSecret the shared secret, which the key must not be
   */
  static Spec spec(Settings settings, boolean lambda, Optional<Secret> sharedSecret) {
    Optional<URI> url = url(settings, PUBLIC_URL, true);
    if (url.isPresent()) {
      String text = url.get().toString();
      while (text.endsWith("/")) {
        text = text.substring(0, text.length() - 1);
      }
      url = Optional.of(URI.create(text));
    }
    Optional<Secret> key = settings.optionalSecret(ACK_KEY);
    if (key.isPresent()) {
      int bytes = key.get().reveal().getBytes(StandardCharsets.UTF_8).length;
      if (sharedSecret.isPresent() && sharedSecret.get().equals(key.get())) {
        settings.problem(ACK_KEY + " must not be the shared secret: action URLs are seen by every"
            + " reader of the ntfy topic; use a key of its own (e.g. openssl rand -hex 32)");
      } else if (bytes < MIN_KEY_BYTES && lambda) {
        settings.problem(ACK_KEY + " is shorter than " + MIN_KEY_BYTES + " bytes: use a long"
            + " random key (e.g. openssl rand -hex 32)");
      } else if (bytes < MIN_KEY_BYTES) {
        log.warn("{} is shorter than {} bytes: fine for a local try-out, refused in Lambda",
            ACK_KEY, MIN_KEY_BYTES);
      }
      if (settings.string(AlertConfig.LEDGER, "memory").equals("none")) {
        settings.problem(ACK_KEY + " is set but " + AlertConfig.LEDGER + "=none: acknowledgements"
            + " live in the delivery ledger (use memory or dynamodb)");
      }
    }
    Optional<Secret> auth = settings.optionalSecret(AlertmanagerSilences.BASIC_AUTH);
    Optional<URI> alertmanager = url(settings, AlertmanagerSilences.URL, auth.isPresent());
    if (alertmanager.isPresent() && key.isEmpty()) {
      settings.problem(AlertmanagerSilences.URL + " is set but " + ACK_KEY + " is not: the"
          + " Silence 4h button is a capability made with that key");
    }
    if (auth.isPresent() && alertmanager.isEmpty()) {
      settings.problem(AlertmanagerSilences.BASIC_AUTH + " is set but "
          + AlertmanagerSilences.URL + " is not");
    }
    if (auth.isPresent() && auth.get().reveal().indexOf(':') < 1) {
      settings.problem(AlertmanagerSilences.BASIC_AUTH + " must be user:password");
    }
    return new Spec(url, key, alertmanager, auth);
  }

  private static Optional<URI> url(Settings settings, String key, boolean carriesSecrets) {
    Optional<String> text = settings.optional(key);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    URI url = settings.httpUrl(key, null);
    if (url != null && carriesSecrets) {
      url = settings.credentialUrl(key, url);
    }
    if (url != null && (url.getRawQuery() != null || url.getRawFragment() != null)) {
      settings.problem(key + "='" + text.get() + "' must not have a query or fragment");
      return Optional.empty();
    }
    return Optional.ofNullable(url);
  }

  /** Builds what {@code spec} asks for once the configuration is read. */
  static Acknowledgements create(Spec spec, AlertConfig config, HttpDelivery delivery,
      Clock clock, Ticker ticker) {
    AlertmanagerSilences alertmanager = spec.alertmanager().isEmpty() ? null
        : new AlertmanagerSilences(spec.alertmanager().get(), spec.alertmanagerAuth(), delivery);
    return new Acknowledgements(spec, config.ledger().orElse(null), config.routes(),
        config.transports(), config.ledgerPolicy().repeatWindow(), config.deadline(),
        alertmanager, ticker, clock);
  }

  /** Whether anything is on: a ledger to keep acknowledgements in. */
  boolean isOn() {
    return ledger != null;
  }

  /** The public URL this process uses, if known yet. */
  Optional<String> publicUrl() {
    return Optional.ofNullable(publicUrl.get());
  }

  /**
   * The Function URL's own domain ({@code requestContext.domainName}): the public URL,
   * {@code https://<domain>}, unless {@value #PUBLIC_URL} says otherwise. The first one wins.
   */
  void learnDomain(String domain) {
    if (domain != null && publicUrl.get() == null && isDomain(domain)) {
      publicUrl.compareAndSet(null, "https://" + domain);
    }
  }

  /** The local server's own address, used unless {@value #PUBLIC_URL} says otherwise. */
  void useLocalAddress(String address) {
    publicUrl.compareAndSet(null, address);
  }

  private static boolean isDomain(String domain) {
    if (domain.isEmpty() || domain.length() > 253) {
      return false;
    }
    for (int i = 0; i < domain.length(); i++) {
      char c = domain.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.'
          || c == '-')) {
        return false;
      }
    }
    return true;
  }

  /**
   * {@code alerts} with each firing alert carrying the URLs its notifications offer; the same
   * list when there is nothing to add. On every request's path: plain loops, no lambda.
   */
  List<Alert> withLinks(List<Alert> alerts) {
    if (ledger == null) {
      return alerts;
    }
    String base = publicUrl.get();
    if (base == null) {
      if (!toldNoUrl.getAndSet(true)) {
        log.info("no public URL ({} unset, and no Function URL domain seen yet): notifications"
            + " carry no acknowledgement callback or action", PUBLIC_URL);
      }
      return alerts;
    }
    List<Alert> linked = null;
    long expires = clock.instant().plus(repeatWindow).getEpochSecond();
    for (int i = 0; i < alerts.size(); i++) {
      Alert alert = alerts.get(i);
      if (alert.isResolved() || alert.isTest() || routes.firing(alert.severity()).isEmpty()) {
        continue; // nothing to acknowledge: a recovery, a test, or an alert routed nowhere
      }
      if (linked == null) {
        linked = new ArrayList<>(alerts);
      }
      linked.set(i, link(alert, base, expires));
    }
    return linked == null ? alerts : linked;
  }

  private Alert link(Alert alert, String base, long expires) {
    String identity = alert.fingerprintToken();
    Severity severity = alert.severity();
    Map<String, String> labels = new LinkedHashMap<>(alert.labels());
    labels.put(Labels.ACK_CALLBACK, base + CALLBACK_PATH + identity + '/' + severity.wireName());
    if (key != null && severity == Severity.CRITICAL) {
      labels.put(Labels.ACK_URL, base + "/ack/"
          + new AckToken(AckToken.Action.ACKNOWLEDGE, identity, severity, expires, "").mint(key));
    }
    String fingerprint = alert.fingerprint();
    if (key != null && alertmanager != null && fingerprint.startsWith("alertmanager:")
        && Alert.isFingerprintToken(fingerprint.substring(13))) {
      labels.put(Labels.SILENCE_ACTION, base + "/silence/" + new AckToken(AckToken.Action.SILENCE,
          identity, severity, expires, fingerprint.substring(13)).mint(key));
    }
    return alert.withLabels(labels);
  }

  /** Whether {@code path} (normalised) is one of the acknowledgement paths. */
  static boolean handles(String path) {
    return path.startsWith("/ack/") || path.startsWith("/silence/");
  }

  /** Whether {@code request} is Pushover's callback, whose form body must be read. */
  static boolean isCallback(SinkRequest request) {
    return request.path().startsWith(CALLBACK_PATH);
  }

  /** Answers a request to an acknowledgement path; never throws. */
  SinkResponse answer(SinkRequest request, SinkMetrics.Tally tally) {
    String id = request.requestId();
    String method = request.method().toUpperCase(Locale.ROOT);
    String path = request.path();
    while (path.length() > 1 && path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    try {
      if (path.startsWith(CALLBACK_PATH)) {
        return method.equals("POST") ? callback(request, path.substring(CALLBACK_PATH.length()),
            tally) : notFound(id);
      }
      if (path.startsWith("/ack/")) {
        return action(AckToken.Action.ACKNOWLEDGE, path.substring(5), method, id, tally);
      }
      if (path.startsWith("/silence/")) {
        return action(AckToken.Action.SILENCE, path.substring(9), method, id, tally);
      }
    } catch (LedgerException e) {
      log.warn("request {}: the ledger could not answer an acknowledgement: {}", id,
          e.getMessage());
    }
    return notFound(id);
  }

  /** Pushover's callback: the receipt named, found in the ledger, confirmed by Pushover. */
  private SinkResponse callback(SinkRequest request, String rest, SinkMetrics.Tally tally) {
    String id = request.requestId();
    if (!callbacks.tryAcquire()) {
      log.debug("request {}: callback rate limit reached", id);
      return forbidden(id);
    }
    int slash = rest.indexOf('/');
    if (ledger == null || slash < 1 || !Alert.isFingerprintToken(rest.substring(0, slash))) {
      return notFound(id);
    }
    Severity severity;
    try {
      severity = Severity.parse(rest.substring(slash + 1));
    } catch (IllegalArgumentException e) {
      return notFound(id);
    }
    if (request.body().length > MAX_CALLBACK_BYTES) {
      return forbidden(id);
    }
    Map<String, String> form = form(request.body());
    String receipt = form.get("receipt");
    if (receipt == null || !"1".equals(form.get("acknowledged"))
        || !Alert.isFingerprintToken(receipt)) {
      return forbidden(id);
    }
    Deadline deadline = Deadline.after(budget);
    List<Held> held = live(rest.substring(0, slash), severity, deadline);
    Held paged = null;
    for (Held h : held) {
      if (h.entry.handle().isPresent() && MessageDigest.isEqual(
          h.entry.handle().get().getBytes(StandardCharsets.UTF_8),
          receipt.getBytes(StandardCharsets.UTF_8))) {
        paged = h;
      }
    }
    if (paged == null) {
      log.debug("request {}: a callback for a receipt the ledger does not hold", id);
      return notFound(id);
    }
    if (acknowledged(held) != null) {
      return done(id, "already acknowledged");
    }
    Optional<Acknowledgement> confirmed = paged.transport.acknowledgement(receipt, deadline);
    if (confirmed.isEmpty()) {
      log.info("request {}: Pushover did not confirm the acknowledgement of receipt {}", id,
          receipt);
      return forbidden(id);
    }
    if (!record(held, confirmed.get(), null, deadline)) {
      return notFound(id);
    }
    after(held, confirmed.get(), severity, false, deadline, tally);
    return done(id, "acknowledged");
  }

  /** A capability: its action on its alert, or, for GET, a description. */
  private SinkResponse action(AckToken.Action action, String text, String method, String id,
      SinkMetrics.Tally tally) {
    if (key == null || ledger == null) {
      return notFound(id);
    }
    Instant now = clock.instant();
    AckToken token = AckToken.verify(key, action, text, now.getEpochSecond());
    if (token == null) {
      log.debug("request {}: a {} token that is forged, expired or not one", id, action.path);
      return forbidden(id);
    }
    if (!capabilities.tryAcquire()) {
      log.debug("request {}: acknowledgement rate limit reached", id);
      return forbidden(id);
    }
    boolean describe = method.equals("GET") || method.equals("HEAD");
    if (!describe && !method.equals("POST")) {
      return notFound(id);
    }
    Deadline deadline = Deadline.after(budget);
    List<Held> held = live(token.identity(), token.severity(), deadline);
    if (!held.isEmpty() && mintedBeforeIncident(token, held)) {
      log.debug("request {}: a token of an earlier incident of alert {}", id, token.identity());
      return forbidden(id);
    }
    if (describe) {
      return describe(id, token, held);
    }
    if (held.isEmpty()) {
      return notFound(id);
    }
    if (action == AckToken.Action.ACKNOWLEDGE) {
      if (acknowledged(held) != null) {
        return done(id, "already acknowledged");
      }
      Acknowledgement ack = new Acknowledgement("ntfy action", "ntfy", now, "ntfy");
      if (!record(held, ack, null, deadline)) {
        return notFound(id);
      }
      after(held, ack, token.severity(), true, deadline, tally);
      return done(id, "acknowledged");
    }
    return silence(id, token, held, now, deadline, tally);
  }

  private SinkResponse silence(String id, AckToken token, List<Held> held, Instant now,
      Deadline deadline, SinkMetrics.Tally tally) {
    if (alertmanager == null) {
      return notFound(id);
    }
    for (Held h : held) {
      if (h.entry.silence().isPresent()) {
        return done(id, "already silenced");
      }
    }
    String silenceId;
    try {
      Optional<Map<String, String>> labels = alertmanager.labels(token.extra(), deadline);
      if (labels.isEmpty()) {
        log.info("request {}: Alertmanager holds no alert {} to silence", id, token.extra());
        return notFound(id);
      }
      silenceId = alertmanager.silence(labels.get(), now, "silenced for 4h from the phone"
          + " (cabal-alerting, alert " + token.identity() + ")", deadline);
    } catch (AlertmanagerSilences.Failed e) {
      log.warn("request {}: no silence made: {}", id, e.getMessage());
      return notFound(id);
    }
    if (!record(held, null, silenceId, deadline)) {
      log.warn("request {}: silence {} made, but the incident ended before it was recorded", id,
          silenceId);
    }
    log.info("request {}: alert {} silenced in Alertmanager until {} (silence {})", id,
        token.identity(), TIME.format(now.plus(AlertmanagerSilences.LENGTH)), silenceId);
    tally.incident(new SinkMetrics.Incident(SinkMetrics.Incident.SILENCED, "ntfy", null));
    if (acknowledged(held) == null) {
      // Whoever silenced it has seen it, and no recovery will come to end the repeats.
      cancelRepeats(held, deadline);
    }
    String note = "Silenced in Alertmanager until "
        + TIME.format(now.plus(AlertmanagerSilences.LENGTH)) + " (silence " + silenceId + ")."
        + " No recovery will be sent while it lasts.";
    replaceAll(held, "[SILENCED] " + token.severity().name(), note, token.severity(), deadline);
    return done(id, "silenced");
  }

  /** A firing entry of the alert, with its transport. */
  private static final class Held {
    final String transportName;
    final Transport transport;
    final LedgerEntry entry;

    Held(String transportName, Transport transport, LedgerEntry entry) {
      this.transportName = transportName;
      this.transport = transport;
      this.entry = entry;
    }
  }

  /** The delivered, live firing entries of the alert on its route's transports. */
  private List<Held> live(String identity, Severity severity, Deadline deadline) {
    List<Held> held = new ArrayList<>();
    Instant now = clock.instant();
    for (Route route : routes.firing(severity)) {
      Transport transport = transports.get(route.transport());
      if (transport == null) {
        continue;
      }
      Optional<LedgerEntry> entry =
          ledger.find(LedgerKey.firing(identity, severity, route.transport()), deadline);
      if (entry.isPresent() && entry.get().state() == LedgerEntry.State.DELIVERED
          && entry.get().isLive(now)) {
        held.add(new Held(route.transport(), transport, entry.get()));
      }
    }
    return held;
  }

  /**
   * Whether {@code token} was made before the deliveries it names were claimed (beyond
   * {@link #MINTED_BEFORE_CLAIM}): a token of an earlier incident of the same alert, one that
   * recovered and fired again.
   */
  private boolean mintedBeforeIncident(AckToken token, List<Held> held) {
    long minted = token.expires() - repeatWindow.getSeconds();
    for (Held h : held) {
      long claimed = h.entry.expires().minus(repeatWindow).getEpochSecond();
      if (minted + MINTED_BEFORE_CLAIM.getSeconds() >= claimed) {
        return false;
      }
    }
    return true;
  }

  private static Acknowledgement acknowledged(List<Held> held) {
    for (Held h : held) {
      if (h.entry.acknowledged().isPresent()) {
        return h.entry.acknowledged().get();
      }
    }
    return null;
  }

  /** Writes the acknowledgement or silence on every entry; whether any was still there. */
  private boolean record(List<Held> held, Acknowledgement ack, String silenceId,
      Deadline deadline) {
    boolean any = false;
    for (Held h : held) {
      LedgerEntry amended = ack != null ? h.entry.withAcknowledgement(ack)
          : h.entry.withSilence(silenceId);
      any |= ledger.settle(amended, deadline);
    }
    return any;
  }

  /** After an acknowledgement: cancel what still repeats (from ntfy), replace, count. */
  private void after(List<Held> held, Acknowledgement ack, Severity severity, boolean cancel,
      Deadline deadline, SinkMetrics.Tally tally) {
    Instant claimed = held.get(0).entry.expires().minus(repeatWindow);
    log.info("alert acknowledged by {} on {} via {} at {}", ack.by(), ack.device(), ack.via(),
        ack.at());
    tally.incident(new SinkMetrics.Incident(SinkMetrics.Incident.ACKNOWLEDGED, ack.via(),
        Duration.between(claimed, ack.at()).isNegative() ? Duration.ZERO
            : Duration.between(claimed, ack.at())));
    if (cancel) {
      cancelRepeats(held, deadline);
    }
    replaceAll(held, "[ACKNOWLEDGED] " + severity.name(),
        "Acknowledged by " + ack.device() + " at " + TIME.format(ack.at()), severity, deadline);
  }

  /** Stops what still repeats: Pushover's emergency, by its receipt. */
  private static void cancelRepeats(List<Held> held, Deadline deadline) {
    for (Held h : held) {
      // A transport with nothing to cancel (ntfy) rejects it and nothing happens.
      if (h.entry.handle().isPresent()) {
        Outcome cancelled = h.transport.cancel(h.entry.handle().get(), deadline);
        if (cancelled.kind() == Outcome.Kind.SENT) {
          log.info("{}: {}", h.transportName, cancelled.detail());
        }
      }
    }
  }

  private void replaceAll(List<Held> held, String title, String message, Severity severity,
      Deadline deadline) {
    for (Held h : held) {
      if (h.entry.handle().isPresent()) {
        Outcome replaced = replace(h, title, message, severity, deadline);
        log.debug("{}: notification replaced: {} {}", h.transportName,
            replaced.kind().wireName(), replaced.detail());
      }
    }
  }

  /**
   * Replaces the notification {@code held} stands for: ntfy republishes under its sequence ID
   * (the delivery's handle); a transport that cannot says so and nothing happens.
   */
  private static Outcome replace(Held held, String title, String message, Severity severity,
      Deadline deadline) {
    return held.transport.replace(held.entry.handle().get(), severity, title, message, deadline);
  }

  private SinkResponse describe(String id, AckToken token, List<Held> held) {
    String state = "ended";
    if (!held.isEmpty()) {
      state = "firing";
      for (Held h : held) {
        if (h.entry.silence().isPresent()) {
          state = "silenced";
        }
      }
      if (acknowledged(held) != null) {
        state = "acknowledged";
      }
    }
    String what = token.action() == AckToken.Action.ACKNOWLEDGE ? "acknowledge" : "silence 4h";
    String current = state;
    return SinkResponse.json(200, id, Json.write(g -> {
      g.writeStartObject();
      g.writeStringField("action", what);
      g.writeStringField("alert", token.identity());
      g.writeStringField("severity", token.severity().wireName());
      g.writeStringField("state", current);
      g.writeStringField("expires", Instant.ofEpochSecond(token.expires()).toString());
      g.writeStringField("how", "POST to this URL to " + what);
      g.writeEndObject();
    }));
  }

  static Map<String, String> form(byte[] body) {
    Map<String, String> fields = new LinkedHashMap<>();
    String text = new String(body, StandardCharsets.UTF_8);
    for (String pair : text.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        try {
          fields.putIfAbsent(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
              URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
          // a malformed escape: the field is left out
        }
      }
    }
    return fields;
  }

  private static SinkResponse done(String id, String status) {
    return SinkResponse.json(200, id, Json.write(g -> {
      g.writeStartObject();
      g.writeStringField("status", status);
      g.writeEndObject();
    }));
  }

  private static SinkResponse forbidden(String id) {
    return SinkResponse.error(403, id, "forbidden");
  }

  private static SinkResponse notFound(String id) {
    return SinkResponse.error(404, id, "not found");
  }

  @Override
  public String toString() {
    if (ledger == null) {
      return "acknowledgements off (no ledger)";
    }
    return "acknowledgements: public URL " + (spec.publicUrl().isPresent()
        ? spec.publicUrl().get().toString() : "from the first request") + ", ntfy actions "
        + (key == null ? "off (no " + ACK_KEY + ")" : "on") + ", silences "
        + (alertmanager == null ? "off" : "on, " + alertmanager);
  }
}
