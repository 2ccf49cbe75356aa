package com.cabalmail.sink;

import com.cabalmail.alert.Alert;
import com.cabalmail.alert.Delivery;
import com.cabalmail.alert.DeliveryReport;
import com.cabalmail.alert.Outcome;
import com.cabalmail.alert.decode.AlertBatch;
import com.cabalmail.http.Json;
import com.cabalmail.http.Redaction;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The body of a 200, 207, 502 or 503: what happened to each alert through each transport, and
 * why.
 *
 * <pre>
 * {"requestId": "...", "format": "alertmanager", "truncatedAlerts": 0,
 *  "sent": ["chat"], "errors": {"pager": "pager: connection refused (3 attempts)"},
 *  "alerts": [{"fingerprint": "3f2a9c1d7b4e6a05", "source": "...", "severity": "critical",
 *              "status": "firing",
 *              "deliveries": [{"transport": "pager", "priority": 1, "outcome": "failed",
 *                              "detail": "...", "attempts": 3, "ms": 812}, ...]}]}
 * </pre>
 *
 * With a delivery ledger, the body also says {@code "retry": true|false} (whether a retry of
 * this request would help), {@code "ledger": "recorded"|"unavailable"}, and lists in
 * {@code "folded"} the fingerprints whose page went out inside one storm page, and in
 * {@code "suppressed"} each delivery held back as a repeat, with the earlier delivery it
 * repeats ({@code "earlier"}: when, as which message, under which ledger key); each delivery
 * carries its own {@code "ledger"} and, when folded, {@code "folded": true}. An outcome
 * {@code already_delivered} is a repeat the ledger held back.
 *
 * {@code sent} and {@code errors} keep the shape the Python sink answered; {@code alerts} is the
 * full account. Details come from transports, which scrub their own secrets; every secret of
 * the process (shared secrets, every transport's, the AWS credentials) is scrubbed from
 * details and message ids once more here.
 */
final class ReportBody {

  private ReportBody() {}

  static byte[] write(DeliveryReport report, AlertBatch batch, String requestId,
      Redaction secrets) {
    Set<String> sent = new LinkedHashSet<>();
    Map<String, String> errors = new LinkedHashMap<>();
    // Deliveries come alert by alert; group them by alert instance (two equal alerts stay two).
    List<List<Delivery>> byAlert = new ArrayList<>();
    for (Delivery d : report.deliveries()) {
      List<Delivery> last = byAlert.isEmpty() ? null : byAlert.get(byAlert.size() - 1);
      if (last == null || last.get(0).alert() != d.alert()) {
        last = new ArrayList<>();
        byAlert.add(last);
      }
      last.add(d);
      if (d.outcome().isSent()) {
        sent.add(d.transport());
      } else if (d.outcome().isFailure()) {
        errors.putIfAbsent(d.transport(), secrets.scrub(d.outcome().detail()));
      }
    }
    return Json.write(g -> {
      g.writeStartObject();
      g.writeStringField("requestId", requestId);
      g.writeStringField("format", batch.format().wireName());
      g.writeNumberField("truncatedAlerts", batch.truncatedAlerts());
      if (report.ledgerUsed()) {
        g.writeBooleanField("retry", report.retryHelps());
        g.writeStringField("ledger", report.ledgerUnavailable().isEmpty() ? "recorded"
            : "unavailable");
        g.writeArrayFieldStart("folded");
        for (Delivery d : report.folded()) {
          g.writeString(d.alert().fingerprint());
        }
        g.writeEndArray();
        g.writeArrayFieldStart("suppressed");
        for (Delivery d : report.suppressed()) {
          g.writeStartObject();
          g.writeStringField("fingerprint", d.alert().fingerprint());
          g.writeStringField("transport", d.transport());
          g.writeStringField("earlier", secrets.scrub(d.outcome().detail()));
          g.writeEndObject();
        }
        g.writeEndArray();
      }
      g.writeArrayFieldStart("sent");
      for (String name : sent) {
        g.writeString(name);
      }
      g.writeEndArray();
      g.writeObjectFieldStart("errors");
      for (Map.Entry<String, String> e : errors.entrySet()) {
        g.writeStringField(e.getKey(), e.getValue());
      }
      g.writeEndObject();
      g.writeArrayFieldStart("alerts");
      for (List<Delivery> deliveries : byAlert) {
        writeAlert(g, deliveries.get(0).alert(), deliveries, secrets);
      }
      g.writeEndArray();
      g.writeEndObject();
    });
  }

  private static void writeAlert(JsonGenerator g, Alert alert, List<Delivery> deliveries,
      Redaction secrets) throws IOException {
    g.writeStartObject();
    g.writeStringField("fingerprint", alert.fingerprint());
    g.writeStringField("source", alert.source());
    g.writeStringField("severity", alert.severity().wireName());
    g.writeStringField("status", alert.status().wireName());
    g.writeArrayFieldStart("deliveries");
    for (Delivery d : deliveries) {
      Outcome o = d.outcome();
      g.writeStartObject();
      g.writeStringField("transport", d.transport());
      if (d.route().isPresent()) {
        g.writeNumberField("priority", d.route().get().priority());
      }
      g.writeStringField("outcome", o.kind().wireName());
      if (o.messageId().isPresent()) {
        g.writeStringField("id", secrets.scrub(o.messageId().get()));
      }
      g.writeStringField("detail", secrets.scrub(o.detail()));
      g.writeNumberField("attempts", o.attempts());
      g.writeNumberField("ms", d.elapsed().toMillis());
      if (d.ledger() != Delivery.Ledger.OFF) {
        g.writeStringField("ledger", d.ledger().wireName());
      }
      if (d.folded()) {
        g.writeBooleanField("folded", true);
      }
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
  }
}
