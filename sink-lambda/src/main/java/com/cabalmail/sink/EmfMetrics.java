package com.cabalmail.sink;

import com.cabalmail.alert.Delivery;
import com.cabalmail.alert.Outcome;
import com.cabalmail.alert.spi.Settings;
import com.cabalmail.alert.spi.Transport;
import com.cabalmail.http.Json;
import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Metrics without an SDK: each served request becomes CloudWatch Embedded Metric Format lines
 * on standard output, which CloudWatch Logs turns into metrics in {@value #NAMESPACE_KEY}
 * (default {@value #DEFAULT_NAMESPACE}). Written with jackson's {@link JsonGenerator}, one
 * object per line, each line in one write.
 *
 * <table>
 * <caption>Metrics and their dimension sets</caption>
 * <tr><th>Metric</th><th>Unit</th><th>Dimension sets</th></tr>
 * <tr><td>Requests</td><td>Count</td><td>[Answer], [Request, AnswerClass]</td></tr>
 * <tr><td>Deliveries</td><td>Count</td><td>[Transport, Outcome], [Outcome]</td></tr>
 * <tr><td>DeliveryLatency</td><td>Milliseconds</td><td>[Transport] (deliveries that asked the
 *     provider: sent, rejected, failed)</td></tr>
 * <tr><td>QuotaRemaining</td><td>Count</td><td>[Transport] (Pushover's
 *     {@code X-Limit-App-Remaining}, when a delivery through it got an answer stating it)</td></tr>
 * <tr><td>LedgerHits</td><td>Count</td><td>[Transport] (deliveries the delivery ledger skipped
 *     as already delivered; only when there were some)</td></tr>
 * <tr><td>Acks, TimeToAck</td><td>Count, Milliseconds</td><td>[Via], [] (an acknowledgement,
 *     from Pushover or ntfy, and the time from the page to it)</td></tr>
 * <tr><td>Silences</td><td>Count</td><td>[Via], [] (a silence made from the phone)</td></tr>
 * <tr><td>Escalations</td><td>Count</td><td>[Via], [] (an escalation scheduled with a page: the
 *     ntfy server holds it and delivers it unless an acknowledgement or the recovery withdraws
 *     it first)</td></tr>
 * <tr><td>OutdatedNtfy</td><td>Count</td><td>[Via], [] (a delivery that could not replace,
 *     clear or withdraw because the ntfy server is older than 2.16)</td></tr>
 * </table>
 *
 * {@code Answer} is the status code ({@code 204}), {@code AnswerClass} its class ({@code 2xx}),
 * {@code Request} one of {@code alerts watchdog test health refused ack}, {@code Outcome} one of
 * {@code sent rejected failed dropped} (and {@code already_delivered} with a ledger). Sources,
 * fingerprints and the request id are plain properties, never dimensions: every distinct
 * dimension combination is a billed custom metric.
 *
 * <p>A line's dimensions hold one value each, so a request whose deliveries span several
 * (transport, outcome) pairs writes one line per pair (a critical alert to Pushover and ntfy:
 * two lines); the first line also carries the request's own metrics. A pair with more than
 * {@value #MAX_VALUES} deliveries is split, since a metric holds at most 100 values per line.
 */
final class EmfMetrics implements SinkMetrics {

  private static final Logger log = LoggerFactory.getLogger(EmfMetrics.class);

  /** {@code emf} or {@code none}. */
  static final String METRICS_KEY = "ALERT_METRICS";
  /** The CloudWatch namespace. */
  static final String NAMESPACE_KEY = "ALERT_METRICS_NAMESPACE";
  static final String DEFAULT_NAMESPACE = "CabalAlerting";
  /** Set by Lambda: metrics default to on there, off elsewhere. */
  static final String IN_LAMBDA = "AWS_LAMBDA_FUNCTION_NAME";
  /** EMF's limit of values per metric in one line. */
  static final int MAX_VALUES = 100;
  /** The outcome a delivery ledger reports for a delivery it skipped. */
  static final String LEDGER_HIT = "already_delivered";

  /** What the ntfy transport's detail says when it scheduled a critical alert's escalation. */
  static final String ESCALATES = "; escalates to topic '";
  /** What the ntfy transport's detail says when its server is older than 2.16. */
  static final String OUTDATED_NTFY = "ntfy is older than 2.16";

  private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9.\\-_/#: ]{1,255}");

  private final String namespace;
  private final Map<String, Transport> transports;
  private final PrintStream out;
  private final Clock clock;

  EmfMetrics(String namespace, Map<String, Transport> transports, PrintStream out, Clock clock) {
    this.namespace = namespace;
    this.transports = Map.copyOf(transports);
    this.out = out;
    this.clock = clock;
  }

  /**
   * The namespace to write to, or empty when metrics are off: reads {@value #METRICS_KEY}
   * (default {@code emf} when {@value #IN_LAMBDA} is set, else {@code none}) and
   * {@value #NAMESPACE_KEY}, recording a problem in {@code settings} for each bad value.
   */
  static Optional<String> namespace(Settings settings) {
    String fallback = settings.optional(IN_LAMBDA).isPresent() ? "emf" : "none";
    String mode = settings.string(METRICS_KEY, fallback).toLowerCase(Locale.ROOT);
    if (!mode.equals("emf") && !mode.equals("none")) {
      settings.problem(METRICS_KEY + "='" + mode + "' must be emf (CloudWatch Embedded Metric"
          + " Format on standard output) or none");
      return Optional.empty();
    }
    String namespace = settings.string(NAMESPACE_KEY, DEFAULT_NAMESPACE);
    if (!NAMESPACE.matcher(namespace).matches() || namespace.startsWith("AWS/")) {
      settings.problem(NAMESPACE_KEY + "='" + namespace + "' must be 1 to 255 letters, digits"
          + " or . - _ / # : and spaces, not starting with AWS/");
      return Optional.empty();
    }
    return mode.equals("emf") ? Optional.of(namespace) : Optional.empty();
  }

  @Override
  public void record(Served served) {
    try {
      for (byte[] line : lines(served)) {
        synchronized (out) {
          out.write(line);
          out.flush();
        }
      }
    } catch (IOException | RuntimeException e) {
      log.warn("request {}: metrics not written: {}", served.requestId(), e.toString());
    }
  }

  /** The lines for {@code served}, each ending in a newline. */
  List<byte[]> lines(Served served) throws IOException {
    Map<List<String>, List<Delivery>> pairs = new LinkedHashMap<>();
    for (Delivery d : served.deliveries()) {
      // No lambdas: this is on the cold path (ColdPathLambdasIT).
      List<String> key = List.of(d.transport(), d.outcome().kind().wireName());
      List<Delivery> same = pairs.get(key);
      if (same == null) {
        same = new ArrayList<>();
        pairs.put(key, same);
      }
      same.add(d);
    }
    List<Group> groups = new ArrayList<>();
    List<String> quotaStated = new ArrayList<>();
    for (Map.Entry<List<String>, List<Delivery>> pair : pairs.entrySet()) {
      List<Delivery> all = pair.getValue();
      for (int from = 0; from < all.size(); from += MAX_VALUES) {
        String transport = pair.getKey().get(0);
        OptionalLong quota = OptionalLong.empty();
        if (!quotaStated.contains(transport) && answered(pair.getKey().get(1))) {
          Transport t = transports.get(transport);
          quota = t == null ? OptionalLong.empty() : t.quotaRemaining();
          if (quota.isPresent()) {
            quotaStated.add(transport);
          }
        }
        groups.add(new Group(transport, pair.getKey().get(1),
            all.subList(from, Math.min(all.size(), from + MAX_VALUES)), quota));
      }
    }
    long now = clock.millis();
    List<byte[]> lines = new ArrayList<>();
    if (groups.isEmpty()) {
      lines.add(line(served, now, null));
    }
    for (int i = 0; i < groups.size(); i++) {
      lines.add(line(i == 0 ? served : null, now, groups.get(i)));
    }
    for (Incident incident : served.incidents()) {
      lines.add(incidentLine(incident, now));
    }
    for (Delivery d : served.deliveries()) {
      // An escalation the transport scheduled (ntfy holds it until due): counted when scheduled,
      // since it fires at the ntfy server, where the sink cannot see it.
      if (d.outcome().kind() == Outcome.Kind.SENT && d.outcome().detail().contains(ESCALATES)) {
        lines.add(incidentLine(new Incident(Incident.ESCALATED, d.transport(), null), now));
      }
      // A server before 2.16 (no sequence IDs, clear or delete): logged once by the transport,
      // counted here each time a delivery could not update, clear or withdraw because of it.
      if (d.outcome().detail().contains(OUTDATED_NTFY)) {
        lines.add(incidentLine(new Incident(Incident.OUTDATED, d.transport(), null), now));
      }
    }
    return lines;
  }

  /** One line for a change of an incident: Acks and TimeToAck, Silences or Escalations. */
  private byte[] incidentLine(Incident incident, long timestamp) throws IOException {
    String metric = incident.what().equals(Incident.ACKNOWLEDGED) ? "Acks"
        : incident.what().equals(Incident.SILENCED) ? "Silences"
        : incident.what().equals(Incident.OUTDATED) ? "OutdatedNtfy" : "Escalations";
    boolean timed = incident.sincePage() != null;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (JsonGenerator g = Json.factory().createGenerator(bytes, JsonEncoding.UTF8)) {
      g.writeStartObject();
      g.writeObjectFieldStart("_aws");
      g.writeNumberField("Timestamp", timestamp);
      g.writeArrayFieldStart("CloudWatchMetrics");
      directive(g, List.of(List.of("Via"), List.of()), timed
          ? new String[][] {{metric, "Count"}, {"TimeToAck", "Milliseconds"}}
          : new String[][] {{metric, "Count"}});
      g.writeEndArray();
      g.writeEndObject();
      g.writeStringField("Via", incident.via());
      g.writeNumberField(metric, 1);
      if (timed) {
        g.writeNumberField("TimeToAck", incident.sincePage().toMillis());
      }
      g.writeEndObject();
    }
    bytes.write('\n');
    return bytes.toByteArray();
  }

  /** Whether an outcome means the provider was asked (so its answer may state a quota). */
  private static boolean answered(String outcome) {
    return outcome.equals("sent") || outcome.equals("rejected") || outcome.equals("failed");
  }

  private record Group(String transport, String outcome, List<Delivery> deliveries,
      OptionalLong quota) {
    long ledgerHits() {
      return outcome.equals(LEDGER_HIT) ? deliveries.size() : 0;
    }
  }

  /** One line: the request's metrics when {@code served} is given, a group's when given. */
  private byte[] line(Served served, long timestamp, Group group) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
    try (JsonGenerator g = Json.factory().createGenerator(bytes, JsonEncoding.UTF8)) {
      g.writeStartObject();
      g.writeObjectFieldStart("_aws");
      g.writeNumberField("Timestamp", timestamp);
      g.writeArrayFieldStart("CloudWatchMetrics");
      if (served != null) {
        directive(g, List.of(List.of("Answer"), List.of("Request", "AnswerClass")),
            new String[][] {{"Requests", "Count"}});
      }
      if (group != null) {
        directive(g, List.of(List.of("Transport", "Outcome"), List.of("Outcome")),
            new String[][] {{"Deliveries", "Count"}});
        if (answered(group.outcome())) {
          directive(g, List.of(List.of("Transport")),
              new String[][] {{"DeliveryLatency", "Milliseconds"}});
        }
        if (group.quota().isPresent()) {
          directive(g, List.of(List.of("Transport")), new String[][] {{"QuotaRemaining", "Count"}});
        }
        if (group.ledgerHits() > 0) {
          directive(g, List.of(List.of("Transport")), new String[][] {{"LedgerHits", "Count"}});
        }
      }
      g.writeEndArray();
      g.writeEndObject();
      if (served != null) {
        g.writeStringField("RequestId", served.requestId());
        g.writeStringField("Request", served.kind().wireName());
        g.writeStringField("Answer", Integer.toString(served.status()));
        g.writeStringField("AnswerClass", (served.status() / 100) + "xx");
        g.writeNumberField("Requests", 1);
      }
      if (group != null) {
        g.writeStringField("Transport", group.transport());
        g.writeStringField("Outcome", group.outcome());
        g.writeNumberField("Deliveries", group.deliveries().size());
        if (answered(group.outcome())) {
          g.writeFieldName("DeliveryLatency");
          if (group.deliveries().size() == 1) {
            g.writeNumber(group.deliveries().get(0).elapsed().toMillis());
          } else {
            g.writeStartArray();
            for (Delivery d : group.deliveries()) {
              g.writeNumber(d.elapsed().toMillis());
            }
            g.writeEndArray();
          }
        }
        if (group.quota().isPresent()) {
          g.writeNumberField("QuotaRemaining", group.quota().getAsLong());
        }
        if (group.ledgerHits() > 0) {
          g.writeNumberField("LedgerHits", group.ledgerHits());
        }
      }
      g.writeEndObject();
    }
    bytes.write('\n');
    return bytes.toByteArray();
  }

  private void directive(JsonGenerator g, List<List<String>> dimensionSets, String[][] metrics)
      throws IOException {
    g.writeStartObject();
    g.writeStringField("Namespace", namespace);
    g.writeArrayFieldStart("Dimensions");
    for (List<String> set : dimensionSets) {
      g.writeStartArray();
      for (String dimension : set) {
        g.writeString(dimension);
      }
      g.writeEndArray();
    }
    g.writeEndArray();
    g.writeArrayFieldStart("Metrics");
    for (String[] metric : metrics) {
      g.writeStartObject();
      g.writeStringField("Name", metric[0]);
      g.writeStringField("Unit", metric[1]);
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  @Override
  public String toString() {
    return "EmfMetrics[" + namespace + "]";
  }
}
