package com.cabalmail.example.webhook;

import com.cabalmail.alert.Alert;
import com.cabalmail.alert.Outcome;
import com.cabalmail.alert.spi.Transport;
import com.cabalmail.http.Deadline;
import com.cabalmail.http.DeliveryException;
import com.cabalmail.http.Exchange;
import com.cabalmail.http.HttpDelivery;
import com.cabalmail.http.Json;
import com.cabalmail.http.RetryPolicy;
import com.cabalmail.http.Secret;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Map;
import java.util.Optional;

/** Sends {@code {severity, status, source, summary, runbook_url, priority, fingerprint, labels}}. */
final class WebhookTransport implements Transport {

  private static final RetryPolicy POLICY = RetryPolicy.standard().alsoRetrying(500);

  private final URI url;
  private final Optional<Secret> token;
  private final HttpDelivery delivery;

  WebhookTransport(URI url, Optional<Secret> token, HttpDelivery delivery) {
    this.url = url;
    this.token = token;
    this.delivery = delivery;
  }

  @Override
  public Outcome deliver(Alert alert, int priority, Deadline deadline) {
    byte[] body = Json.write(json -> {
      json.writeStartObject();
      json.writeStringField("severity", alert.severity().wireName());
      json.writeStringField("status", alert.status().wireName());
      json.writeStringField("source", alert.source());
      json.writeStringField("summary", alert.summary());
      if (alert.runbook().isPresent()) {
        json.writeStringField("runbook_url", alert.runbook().get().toString());
      }
      json.writeNumberField("priority", priority);
      json.writeStringField("fingerprint", alert.fingerprint());
      json.writeObjectFieldStart("labels");
      for (Map.Entry<String, String> label : alert.labels().entrySet()) {
        json.writeStringField(label.getKey(), label.getValue());
      }
      json.writeEndObject();
      json.writeEndObject();
    });
    HttpRequest.Builder request = HttpRequest.newBuilder(url)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    token.ifPresent(t -> request.header("Authorization", "Bearer " + t.reveal()));
    try {
      Exchange answer = delivery.send("webhook", request, POLICY, deadline);
      if (answer.isSuccess()) {
        return Outcome.sent(null, "HTTP " + answer.statusCode(), answer.attempts());
      }
      String why = "HTTP " + answer.statusCode();
      return POLICY.retries(answer)
          ? Outcome.failed(why + " after retries", answer.attempts())
          : Outcome.rejected(why, answer.attempts());
    } catch (DeliveryException e) {
      return Outcome.failed(e.getMessage(), e.attempts());
    }
  }
}
