package com.cabalmail.sink;

import com.cabalmail.alert.AlertRouter;
import com.cabalmail.alert.DeliveryReport;
import com.cabalmail.alert.RoutingTable;
import com.cabalmail.alert.decode.AlertBatch;
import com.cabalmail.alert.decode.DecodeException;
import com.cabalmail.alert.decode.WebhookFormat;
import com.cabalmail.http.Json;
import com.cabalmail.http.Secret;
import com.cabalmail.http.Ticker;
import java.time.Duration;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink's request handling, independent of how the request arrived: health probe, method
 * (POST or PUT), path, shared secret, body form ({@link BodyForms}: gzip or deflate, Kuma's
 * multipart form), body decoding, routing, and the answer (204, 207, 502, or a 4xx naming
 * what the caller got wrong). Anything that escapes anyway becomes a 500 carrying a request id
 * whose stack trace is logged. Thread-safe.
 */
final class Sink {

  private static final Logger log = LoggerFactory.getLogger(Sink.class);

  static final String PATHS = "/, /alertmanager, /grafana, /kuma, /healthchecks";

  /** Turns a body into alerts: the webhook decoder in production. */
  @FunctionalInterface
  interface BodyDecoder {
    AlertBatch decode(byte[] body, String contentType, WebhookFormat format)
        throws DecodeException;
  }

  private final SecretCheck secrets;
  private final BodyDecoder decoder;
  private final AlertRouter router;
  private final int maxBodyBytes;
  private final UnauthorizedLog unauthorized;
  private final SelfWatch watch;
  private final Acknowledgements acks;

  Sink(SecretCheck secrets, BodyDecoder decoder, AlertRouter router, int maxBodyBytes) {
    this(secrets, decoder, router, maxBodyBytes, SelfWatch.off());
  }

  Sink(SecretCheck secrets, BodyDecoder decoder, AlertRouter router, int maxBodyBytes,
      UnauthorizedLog unauthorized) {
    this(secrets, decoder, router, maxBodyBytes, SelfWatch.off(), unauthorized);
  }

  Sink(SecretCheck secrets, BodyDecoder decoder, AlertRouter router, int maxBodyBytes,
      SelfWatch watch) {
    this(secrets, decoder, router, maxBodyBytes, watch, new UnauthorizedLog(Ticker.system()));
  }

  Sink(SecretCheck secrets, BodyDecoder decoder, AlertRouter router, int maxBodyBytes,
      SelfWatch watch, UnauthorizedLog unauthorized) {
    this(secrets, decoder, router, maxBodyBytes, watch, unauthorized, Acknowledgements.off());
  }

  Sink(SecretCheck secrets, BodyDecoder decoder, AlertRouter router, int maxBodyBytes,
      SelfWatch watch, UnauthorizedLog unauthorized, Acknowledgements acks) {
    this.acks = acks;
    this.unauthorized = unauthorized;
    this.secrets = secrets;
    this.decoder = decoder;
    this.router = router;
    this.maxBodyBytes = maxBodyBytes;
    this.watch = watch;
  }

  /** Whether {@code request} carries an accepted shared secret. */
  boolean authenticated(SinkRequest request) {
    return secrets.accepts(request);
  }

  /** Whether {@code request} is signed by Grafana: its body is needed to authenticate it. */
  boolean signed(SinkRequest request) {
    return secrets.signed(request);
  }

  /** Acknowledgements and silences from the phone. */
  Acknowledgements acknowledgements() {
    return acks;
  }

  /** The routing table followed. */
  RoutingTable routes() {
    return router.routes();
  }

  /** The largest body accepted, in bytes; transports of the request cap their reads here. */
  int maxBodyBytes() {
    return maxBodyBytes;
  }

  /** Answers {@code request}, then records it in the metrics; never throws. */
  SinkResponse handle(SinkRequest request) {
    return handle(request, null);
  }

  /**
   * Answers {@code request} with its deliveries bounded by {@code budget} as well as by the
   * router's own deadline (null: the router's alone); never throws.
   */
  SinkResponse handle(SinkRequest request, Duration budget) {
    SinkMetrics.Tally tally = new SinkMetrics.Tally();
    SinkResponse response = answer(request, budget, tally);
    watch.metrics().record(tally.served(request.requestId(), response.status()));
    return response;
  }

  private SinkResponse answer(SinkRequest request, Duration budget, SinkMetrics.Tally tally) {
    try {
      SinkResponse response = dispatch(request, budget, tally);
      if (response.status() == 401) {
        unauthorized.record(request.requestId()); // bounded: a flood cannot fill the logs
      } else if (response.status() >= 400 && tally.kind() != SinkMetrics.Kind.ACK) {
        // (acknowledgement refusals are logged at debug: a guesser's flood fills no log)
        // The caller's mistake, logged so a misconfigured tool shows up; deliveries log alone.
        log.warn("request {} answered {}: {}", request.requestId(), response.status(),
            new String(response.body(), java.nio.charset.StandardCharsets.UTF_8));
      }
      return response;
    } catch (RuntimeException | StackOverflowError e) {
      log.error("request {} failed unexpectedly; answering 500", request.requestId(), e);
      return SinkResponse.error(500, request.requestId(),
          "internal error; quote request id " + request.requestId() + " when reporting it");
    }
  }

  private SinkResponse dispatch(SinkRequest request, Duration budget, SinkMetrics.Tally tally) {
    String id = request.requestId();
    String method = request.method().toUpperCase(Locale.ROOT);
    String path = normalise(request.path());
    acks.learnDomain(request.domain());
    if (path.equals("/health")) {
      tally.kind(SinkMetrics.Kind.HEALTH);
      if (method.equals("GET") || method.equals("HEAD")) {
        return SinkResponse.json(200, id, Health.BODY);
      }
      return SinkResponse.error(405, id, "method " + method + " not allowed on /health; use GET")
          .withHeader("allow", "GET, HEAD");
    }
    if (Acknowledgements.handles(path)) {
      // Capabilities and Pushover's callback, not the shared secret; the raw path (tokens are
      // case-sensitive).
      tally.kind(SinkMetrics.Kind.ACK);
      return acks.answer(request, tally);
    }
    if (!method.equals("POST") && !method.equals("PUT")) {
      return SinkResponse.error(405, id, "method " + method + " not allowed; alerts are POSTed"
          + " (or PUT)").withHeader("allow", "POST, PUT");
    }
    boolean selfTest = path.equals(SelfTest.PATH) && watch.selfTest().isPresent();
    WebhookFormat format = formatFor(path);
    if (format == null && !selfTest) {
      return SinkResponse.error(404, id, "no such path; alerts are POSTed to one of " + PATHS);
    }
    SecretCheck.Verdict verdict = secrets.check(request);
    if (!verdict.accepted()) {
      SinkResponse refused = SinkResponse.error(verdict.status(), id, verdict.message());
      return verdict.status() == 401 ? refused.withHeader("www-authenticate", "Bearer") : refused;
    }
    if (selfTest) {
      tally.kind(SinkMetrics.Kind.TEST);
      SelfTest.Result result = watch.selfTest().get().run(id, secrets.redaction());
      tally.report(result.report());
      return result.response();
    }
    if (request.body().length > maxBodyBytes) {
      return tooLarge(id, request.body().length);
    }
    SinkRequest unwrapped;
    try {
      unwrapped = BodyForms.unwrap(request, maxBodyBytes);
    } catch (BodyForms.Refused e) {
      SinkResponse refused = SinkResponse.error(e.status(), id, e.getMessage());
      return e.status() == 415 ? refused.withHeader("accept-encoding", "gzip, deflate")
          : refused;
    }
    AlertBatch batch;
    try {
      batch = decoder.decode(unwrapped.body(), unwrapped.header("content-type").orElse(null),
          format);
    } catch (DecodeException e) {
      return SinkResponse.error(e.isTooLarge() ? 413 : 400, id, scrub(e.getMessage()));
    }
    Watchdog.Split split = watch.watchdog().split(batch);
    Watchdog.Ping ping = null;
    if (!split.watchdogs().isEmpty()) {
      // The ping goes out now, within the deadline and the budget, while the rest is routed.
      ping = watch.watchdog().ping(split.watchdogs(), id, budget);
      if (split.others().isEmpty()) {
        tally.kind(SinkMetrics.Kind.WATCHDOG);
        return ping.answer();
      }
    }
    tally.kind(SinkMetrics.Kind.ALERTS);
    java.util.List<com.cabalmail.alert.Alert> routed = acks.withLinks(split.others());
    DeliveryReport report = budget == null ? router.route(routed)
        : router.route(routed, budget);
    if (ping != null) {
      // Mixed in with real alerts (a group_by joining them): the routing answers, since a
      // retry for the ping would send the real alerts again; the ping's outcome is logged.
      ping.settle();
    }
    tally.report(report);
    int status = status(report);
    if (status == 204) {
      return SinkResponse.noContent(id);
    }
    return SinkResponse.json(status, id, ReportBody.write(report, batch, id, secrets.redaction()));
  }

  /**
   * The answer to a routed request. Without a ledger, the Python sink's: 204 all sent, 207
   * some failed, 502 none sent. With one, a retry is invited exactly when it helps: 503 when a
   * delivery failed in a way a retry can fix (the retry sends only what is missing); 200 with
   * the report when everything that could be delivered was, but something was rejected for
   * good, folded into a storm page, held back as a repeat of an earlier delivery (which the
   * report names), or delivered while the ledger was unavailable; else 204.
   */
  static int status(DeliveryReport report) {
    if (!report.ledgerUsed()) {
      return report.allSent() ? 204 : report.noneSent() ? 502 : 207;
    }
    if (report.retryHelps()) {
      return 503;
    }
    boolean worthTelling = !report.failures().isEmpty() || !report.folded().isEmpty()
        || !report.ledgerUnavailable().isEmpty() || !report.suppressed().isEmpty();
    return worthTelling ? 200 : 204;
  }

  SinkResponse tooLarge(String id, long bytes) {
    return SinkResponse.error(413, id, "body of " + bytes + " bytes is over the limit of "
        + maxBodyBytes + " bytes");
  }

  private String scrub(String message) {
    return secrets.redaction().scrub(message == null ? "body could not be decoded" : message);
  }

  static String normalise(String path) {
    String p = path.isEmpty() ? "/" : path;
    while (p.length() > 1 && p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p.toLowerCase(Locale.ROOT);
  }

  static WebhookFormat formatFor(String path) {
    switch (path) {
      case "/":
        return WebhookFormat.AUTO;
      case "/alertmanager":
        return WebhookFormat.ALERTMANAGER;
      case "/grafana":
        return WebhookFormat.GRAFANA;
      case "/kuma":
        return WebhookFormat.KUMA;
      case "/healthchecks":
        return WebhookFormat.HEALTHCHECKS;
      default:
        return null;
    }
  }

  /** The health answer: fixed, no configuration or secret in it. */
  static final class Health {
    static final byte[] BODY = Json.write(g -> {
      g.writeStartObject();
      g.writeStringField("status", "ok");
      g.writeEndObject();
    });

    private Health() {}
  }
}
