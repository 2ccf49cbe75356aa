package com.cabalmail.sink;

import com.cabalmail.alert.Alert;
import com.cabalmail.alert.Delivery;
import com.cabalmail.alert.DeliveryReport;
import com.cabalmail.alert.Outcome;
import com.cabalmail.alert.decode.AlertBatch;
import com.cabalmail.http.Json;
import com.cabalmail.http.Secret;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The body of a 207 or 502: what happened to each alert through each transport, and why.
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
 * {@code sent} and {@code errors} keep the shape the Python sink answered; {@code alerts} is the
 * full account. Details come from transports, which never put secrets in them; the configured
 * shared secrets are scrubbed anyway.
 */
final class ReportBody {

  private ReportBody() {}

  static byte[] write(DeliveryReport report, AlertBatch batch, String requestId,
      List<Secret> secrets) {
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
        errors.putIfAbsent(d.transport(), scrub(d.outcome().detail(), secrets));
      }
    }
    return Json.write(g -> {
      g.writeStartObject();
      g.writeStringField("requestId", requestId);
      g.writeStringField("format", batch.format().wireName());
      g.writeNumberField("truncatedAlerts", batch.truncatedAlerts());
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
      List<Secret> secrets) throws IOException {
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
        g.writeStringField("id", o.messageId().get());
      }
      g.writeStringField("detail", scrub(o.detail(), secrets));
      g.writeNumberField("attempts", o.attempts());
      g.writeNumberField("ms", d.elapsed().toMillis());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  private static String scrub(String text, List<Secret> secrets) {
    String out = text;
    for (Secret secret : secrets) {
      out = secret.scrub(out);
    }
    return out;
  }
}
