package com.cabalmail.aws;

import com.cabalmail.http.Deadline;
import com.cabalmail.http.Exchange;
import com.cabalmail.http.HttpDelivery;
import com.cabalmail.http.Json;
import com.cabalmail.http.Secret;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The project's one SSM Parameter Store client: reads SecureString parameters with decryption,
 * in as few {@code GetParameters} calls as the API allows (10 names each), over an
 * {@link AwsJsonClient}. Thread-safe and immutable; build one at cold start and keep it.
 *
 * <p>Credentials, region and endpoint ({@code AWS_ENDPOINT_URL_SSM}, else
 * {@code AWS_ENDPOINT_URL}) are read as {@link AwsJsonClient#fromEnvironment} says. Throttling
 * and 5xx answers are retried inside the deadline by the client's one retry policy; every other
 * error is final and reported by its AWS error code. Messages and logs name parameters, never
 * their values, and never contain the credentials.
 */
public final class SsmParameters {

  private static final Logger log = LoggerFactory.getLogger(SsmParameters.class);

  /** The most names one {@code GetParameters} call accepts. */
  static final int MAX_NAMES_PER_CALL = 10;

  static final String CONTENT_TYPE = AwsService.SSM.contentType();

  private final AwsJsonClient client;

  private SsmParameters(AwsJsonClient client) {
    this.client = client;
  }

  /**
   * A client configured from {@code environment} (normally {@code System.getenv()}), sending
   * through the process-wide {@link HttpDelivery#shared()}.
   *
   * @throws SsmException naming every missing or bad variable
   */
  public static SsmParameters fromEnvironment(Map<String, String> environment)
      throws SsmException {
    return fromEnvironment(environment, HttpDelivery.shared());
  }

  /**
   * A client configured from {@code environment}, sending through {@code delivery} (tests give
   * one on a manual ticker, so retry waits are virtual).
   *
   * @throws SsmException naming every missing or bad variable
   */
  public static SsmParameters fromEnvironment(Map<String, String> environment,
      HttpDelivery delivery) throws SsmException {
    return fromEnvironment(environment, delivery, Clock.systemUTC());
  }

  static SsmParameters fromEnvironment(Map<String, String> environment, HttpDelivery delivery,
      Clock clock) throws SsmException {
    try {
      return new SsmParameters(
          AwsJsonClient.fromEnvironment(AwsService.SSM, environment, delivery, clock));
    } catch (AwsException e) {
      throw new SsmException(e.getMessage());
    }
  }

  /** A client over {@code client}, which must be one of {@link AwsService#SSM}. */
  public static SsmParameters over(AwsJsonClient client) {
    if (!client.service().equals(AwsService.SSM)) {
      throw new IllegalArgumentException("not an SSM client: " + client);
    }
    return new SsmParameters(client);
  }

  /**
   * What one {@link #read} found: the decrypted values by name, in the order asked for, and
   * the names SSM does not have (listed under {@code InvalidParameters}, or not returned), in
   * the order asked for. A missing name is a result, not an error.
   *
   * @param found the values read, by name
   * @param missing the names asked for and not read
   */
  public record Lookup(Map<String, Secret> found, List<String> missing) {

    /** Copies both. */
    public Lookup {
      found = Collections.unmodifiableMap(new LinkedHashMap<>(found));
      missing = List.copyOf(missing);
    }

    /** Whether every name asked for was read. */
    public boolean complete() {
      return missing.isEmpty();
    }
  }

  /**
   * The decrypted values of {@code names}, by name, in the order asked for. Duplicates are read
   * once; an empty list makes no call.
   *
   * @throws SsmException naming every parameter that does not exist or may not be read (never
   *     a value), or saying why SSM could not be reached
   * @throws IllegalArgumentException if a name is blank
   */
  public Map<String, Secret> get(List<String> names, Deadline deadline) throws SsmException {
    Lookup lookup = read(names, deadline);
    List<String> missing = lookup.missing();
    if (!missing.isEmpty()) {
      throw new SsmException((missing.size() == 1 ? "SSM parameter not found: "
          : "SSM parameters not found: ") + String.join(", ", missing));
    }
    return lookup.found();
  }

  /**
   * Reads {@code names} (duplicates once; an empty list makes no call) and says which were
   * found and which SSM does not have, typed: nothing is parsed from a message.
   *
   * @throws SsmException when SSM could not be reached or refused the call (never a value)
   * @throws IllegalArgumentException if a name is blank
   */
  public Lookup read(List<String> names, Deadline deadline) throws SsmException {
    Objects.requireNonNull(deadline, "deadline");
    Set<String> wanted = new LinkedHashSet<>();
    for (int i = 0; i < names.size(); i++) {
      String name = Objects.requireNonNull(names.get(i), "names[" + i + "]");
      if (name.isBlank()) {
        throw new IllegalArgumentException("names[" + i + "] is blank");
      }
      wanted.add(name);
    }
    List<String> ordered = List.copyOf(wanted);
    Map<String, Secret> found = new LinkedHashMap<>();
    List<String> missing = new ArrayList<>();
    for (int from = 0; from < ordered.size(); from += MAX_NAMES_PER_CALL) {
      List<String> batch =
          ordered.subList(from, Math.min(ordered.size(), from + MAX_NAMES_PER_CALL));
      readBatch(batch, deadline, found, missing);
    }
    Map<String, Secret> result = new LinkedHashMap<>();
    for (String name : ordered) {
      Secret value = found.get(name);
      if (value != null) {
        result.put(name, value);
      }
    }
    return new Lookup(result, missing);
  }

  private void readBatch(List<String> batch, Deadline deadline, Map<String, Secret> found,
      List<String> missing) throws SsmException {
    Json.Buffer request = Json.buffer(); // no callback: this is every cold start's first call
    try {
      JsonGenerator json = request.generator();
      json.writeStartObject();
      json.writeArrayFieldStart("Names");
      for (String name : batch) {
        json.writeString(name);
      }
      json.writeEndArray();
      json.writeBooleanField("WithDecryption", true);
      json.writeEndObject();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    byte[] body = request.bytes();
    String what = "reading " + String.join(", ", batch);
    Exchange answer = call("GetParameters", body, deadline, what);
    Map<String, Secret> byKey = new LinkedHashMap<>();
    try (JsonParser json = Json.factory().createParser(answer.body())) {
      parseGetParameters(json, byKey);
    } catch (IOException | IllegalArgumentException e) {
      throw new SsmException("SSM answered GetParameters with a malformed body " + what + ": "
          + e.getMessage());
    }
    int read = 0;
    for (String name : batch) {
      Secret value = byKey.get(name);
      if (value != null) {
        found.put(name, value);
        read++;
      } else {
        missing.add(name);
      }
    }
    log.debug("ssm: {} of {} parameters read in {} attempt(s)",
        read, batch.size(), answer.attempts());
  }

  /**
   * Fills {@code byKey} with each returned value under its name, its name with selector and its
   * ARN, so a name asked as {@code name:3} or as an ARN is found. Names SSM lists under
   * {@code InvalidParameters} are simply absent: missing names are not an error to SSM.
   */
  private static void parseGetParameters(JsonParser json, Map<String, Secret> byKey)
      throws IOException {
    expect(json, JsonToken.START_OBJECT, "the answer");
    while (json.nextToken() == JsonToken.FIELD_NAME) {
      String field = json.currentName();
      JsonToken token = json.nextToken();
      if ("Parameters".equals(field) && token == JsonToken.START_ARRAY) {
        while (json.nextToken() == JsonToken.START_OBJECT) {
          parseParameter(json, byKey);
        }
      } else {
        json.skipChildren();
      }
    }
  }

  private static void parseParameter(JsonParser json, Map<String, Secret> byKey)
      throws IOException {
    String name = null;
    String value = null;
    String arn = null;
    String selector = null;
    while (json.nextToken() == JsonToken.FIELD_NAME) {
      String field = json.currentName();
      JsonToken token = json.nextToken();
      if (token == JsonToken.VALUE_STRING) {
        switch (field) {
          case "Name":
            name = json.getText();
            break;
          case "Value":
            value = json.getText();
            break;
          case "ARN":
            arn = json.getText();
            break;
          case "Selector":
            selector = json.getText();
            break;
          default:
            break;
        }
      } else {
        json.skipChildren();
      }
    }
    if (name == null) {
      throw new IOException(
          "a parameter without a Name at " + json.currentLocation().offsetDescription());
    }
    if (value == null || value.isBlank()) {
      throw new IOException("parameter " + name + " has no value");
    }
    Secret secret = Secret.of(value);
    byKey.put(name, secret);
    if (selector != null) {
      byKey.put(name + selector, secret);
    }
    if (arn != null) {
      byKey.put(arn, secret);
    }
  }

  private static void expect(JsonParser json, JsonToken expected, String what) throws IOException {
    JsonToken token = json.nextToken();
    if (token != expected) {
      throw new IOException(what + " is not a JSON object (found " + token + " at "
          + json.currentLocation().offsetDescription() + ")");
    }
  }

  /** One {@code GetParameters} call; SSM's own codes explained, the rest as the client says. */
  private Exchange call(String operation, byte[] body, Deadline deadline, String what)
      throws SsmException {
    try {
      return client.call(operation, body, deadline, what);
    } catch (AwsException e) {
      String code = e.error().map(AwsError::code).orElse("");
      String awsMessage = e.error().flatMap(AwsError::message).map(m -> ": " + m).orElse("");
      switch (code) {
        case "ParameterNotFound":
        case "ParameterVersionNotFound":
          throw new SsmException("SSM " + code + " " + what + awsMessage);
        case "AccessDeniedException":
          throw new SsmException(e.getMessage().replace(what, what + " (the role needs"
              + " ssm:GetParameters, and kms:Decrypt for a customer-managed key)"));
        case "InvalidKeyId":
          throw new SsmException("SSM could not decrypt " + what + ": the parameter's KMS key"
              + " is invalid or disabled" + awsMessage);
        default:
          throw new SsmException(e.getMessage());
      }
    }
  }

  @Override
  public String toString() {
    return "SsmParameters[" + client.endpoint() + ", " + client.region() + "]";
  }
}
