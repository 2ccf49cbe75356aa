package com.cabalmail.sink;

import com.cabalmail.http.Deadline;
import com.cabalmail.http.DeliveryException;
import com.cabalmail.http.Exchange;
import com.cabalmail.http.HttpDelivery;
import com.cabalmail.http.Json;
import com.cabalmail.http.RetryPolicy;
import com.cabalmail.http.Secret;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Silences in the Alertmanager the configuration names ({@code ALERTMANAGER_URL}, never a
 * webhook's {@code externalURL}), over its v2 API: the alert's labels are read from
 * Alertmanager itself ({@code GET /api/v2/alerts}, by the fingerprint the capability carries),
 * then {@code POST /api/v2/silences} with one exact matcher per label. Nothing from a request
 * body is ever called. Credentials ({@code ALERTMANAGER_BASIC_AUTH}, {@code user:password})
 * go in an {@code Authorization} header only.
 */
final class AlertmanagerSilences {

  static final String URL = "ALERTMANAGER_URL";
  static final String BASIC_AUTH = "ALERTMANAGER_BASIC_AUTH";
  /** How long a silence from the phone lasts. */
  static final Duration LENGTH = Duration.ofHours(4);
  private static final String PEER = "alertmanager";
  private static final RetryPolicy POLICY =
      RetryPolicy.standard().withAttemptTimeout(Duration.ofSeconds(3));

  private final URI base;
  private final Optional<Secret> basicAuth;
  private final HttpDelivery delivery;

  AlertmanagerSilences(URI base, Optional<Secret> basicAuth, HttpDelivery delivery) {
    String text = base.toString();
    while (text.endsWith("/")) {
      text = text.substring(0, text.length() - 1);
    }
    this.base = URI.create(text);
    this.basicAuth = basicAuth;
    this.delivery = delivery;
  }

  /** A failure to talk to Alertmanager; the message names no credential. */
  static final class Failed extends Exception {
    private static final long serialVersionUID = 1L;

    Failed(String message) {
      super(message);
    }
  }

  /**
   * The labels of the alert Alertmanager holds under {@code fingerprint}; empty when it holds
   * none (resolved and gone).
   */
  Optional<Map<String, String>> labels(String fingerprint, Deadline deadline) throws Failed {
    Exchange answer = send(request("/api/v2/alerts").GET(), deadline);
    if (!answer.isSuccess()) {
      throw new Failed("alertmanager answered " + answer.statusCode() + " listing alerts");
    }
    try (JsonParser p = Json.factory().createParser(answer.body())) {
      if (p.nextToken() != JsonToken.START_ARRAY) {
        throw new Failed("alertmanager's alert list is not a JSON array");
      }
      while (p.nextToken() == JsonToken.START_OBJECT) {
        String found = null;
        Map<String, String> labels = new TreeMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          JsonToken value = p.nextToken();
          if (name.equals("fingerprint") && value == JsonToken.VALUE_STRING) {
            found = p.getText();
          } else if (name.equals("labels") && value == JsonToken.START_OBJECT) {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String label = p.currentName();
              if (p.nextToken() == JsonToken.VALUE_STRING) {
                labels.put(label, p.getText());
              } else {
                p.skipChildren();
              }
            }
          } else {
            p.skipChildren();
          }
        }
        if (fingerprint.equals(found) && !labels.isEmpty()) {
          return Optional.of(labels);
        }
      }
    } catch (IOException e) {
      throw new Failed("alertmanager's alert list could not be read: " + e.getMessage());
    }
    return Optional.empty();
  }

  /** Creates a silence of exactly {@code labels} from {@code start} for {@link #LENGTH}; its id. */
  String silence(Map<String, String> labels, Instant start, String comment, Deadline deadline)
      throws Failed {
    byte[] body = Json.write(g -> {
      g.writeStartObject();
      g.writeArrayFieldStart("matchers");
      for (Map.Entry<String, String> label : labels.entrySet()) {
        g.writeStartObject();
        g.writeStringField("name", label.getKey());
        g.writeStringField("value", label.getValue());
        g.writeBooleanField("isRegex", false);
        g.writeBooleanField("isEqual", true);
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeStringField("startsAt", start.toString());
      g.writeStringField("endsAt", start.plus(LENGTH).toString());
      g.writeStringField("createdBy", "cabal-alerting");
      g.writeStringField("comment", comment);
      g.writeEndObject();
    });
    Exchange answer = send(request("/api/v2/silences")
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)), deadline);
    if (!answer.isSuccess()) {
      throw new Failed("alertmanager answered " + answer.statusCode() + " creating a silence");
    }
    try (JsonParser p = Json.factory().createParser(answer.body())) {
      if (p.nextToken() == JsonToken.START_OBJECT) {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          JsonToken value = p.nextToken();
          if (name.equals("silenceID") && value == JsonToken.VALUE_STRING) {
            return p.getText();
          }
          p.skipChildren();
        }
      }
    } catch (IOException e) {
      // reported below
    }
    throw new Failed("alertmanager created a silence but named no silenceID");
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
        .header("Accept", "application/json");
    if (basicAuth.isPresent()) {
      request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
          basicAuth.get().reveal().getBytes(StandardCharsets.UTF_8)));
    }
    return request;
  }

  private Exchange send(HttpRequest.Builder request, Deadline deadline) throws Failed {
    try {
      return delivery.send(PEER, request, POLICY, deadline);
    } catch (DeliveryException e) {
      throw new Failed("alertmanager could not be reached: " + e.getMessage());
    }
  }

  @Override
  public String toString() {
    return "alertmanager " + base;
  }
}
