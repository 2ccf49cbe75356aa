package com.cabalmail.sink;

import com.cabalmail.alert.Delivery;
import com.cabalmail.alert.DeliveryReport;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Where the sink reports each request it served, once, after answering it: CloudWatch Embedded
 * Metric Format lines ({@link EmfMetrics}) or nothing ({@link #NONE}). Implementations are
 * thread-safe and never throw into the request.
 */
interface SinkMetrics {

  /** Records nothing. */
  SinkMetrics NONE = new SinkMetrics() {
    @Override
    public void record(Served served) {}
  };

  /** Records one served request. */
  void record(Served served);

  /** What kind of request was served: a low-cardinality name, fit for a dimension. */
  enum Kind {
    /** Alerts routed to transports (some may also have been watchdogs). */
    ALERTS,
    /** Watchdog alerts only: a heartbeat ping, nothing routed. */
    WATCHDOG,
    /** {@code POST /test}. */
    TEST,
    /** {@code GET /health}. */
    HEALTH,
    /** Refused before any alert was read: auth, method, path, size, body. */
    REFUSED,
    /** An acknowledgement path: Pushover's callback, an ntfy button, or a GET of one. */
    ACK;

    /** The lower-case name used as a dimension value. */
    String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * One served request.
   *
   * @param requestId the request's id, a plain property (never a dimension)
   * @param kind what was asked
   * @param status the HTTP status answered
   * @param deliveries every delivery made for it, dropped ones included
   */
  record Served(String requestId, Kind kind, int status, List<Delivery> deliveries,
      List<Incident> incidents) {
    public Served {
      Objects.requireNonNull(requestId, "requestId");
      Objects.requireNonNull(kind, "kind");
      deliveries = List.copyOf(deliveries);
      incidents = List.copyOf(incidents);
    }

    /** A request that changed no incident. */
    Served(String requestId, Kind kind, int status, List<Delivery> deliveries) {
      this(requestId, kind, status, deliveries, List.of());
    }
  }

  /**
   * A change of an incident's state the request made: an acknowledgement (with the time from
   * the page to it), a silence, or an escalation.
   *
   * @param what {@value #ACKNOWLEDGED}, {@value #SILENCED} or {@value #ESCALATED}
   * @param via the channel: {@code pushover}, {@code ntfy}
   * @param sincePage for an acknowledgement, the time since the page was sent; else null
   */
  record Incident(String what, String via, java.time.Duration sincePage) {
    static final String ACKNOWLEDGED = "acknowledged";
    static final String SILENCED = "silenced";
    static final String ESCALATED = "escalated";
    /** Not an incident's change: the ntfy server is too old to make one (before 2.16). */
    static final String OUTDATED = "outdated";

    public Incident {
      Objects.requireNonNull(what, "what");
      Objects.requireNonNull(via, "via");
    }
  }

  /**
   * Collects what one request did while it is handled; not shared between requests.
   */
  final class Tally {
    private Kind kind = Kind.REFUSED;
    private DeliveryReport report;
    private List<Incident> incidents;

    void kind(Kind what) {
      this.kind = what;
    }

    void report(DeliveryReport delivered) {
      this.report = delivered;
    }

    void incident(Incident change) {
      if (incidents == null) {
        incidents = new java.util.ArrayList<>();
      }
      incidents.add(change);
    }

    Kind kind() {
      return kind;
    }

    Served served(String requestId, int status) {
      return new Served(requestId, kind, status,
          report == null ? List.of() : report.deliveries(),
          incidents == null ? List.of() : incidents);
    }
  }
}
