package com.cabalmail.aws;

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
import java.net.URISyntaxException;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The project's one SSM Parameter Store client: reads SecureString parameters with decryption
 * over {@code java.net.http}, signed with SigV4, in as few {@code GetParameters} calls as the
 * API allows (10 names each). Thread-safe and immutable; build one at cold start and keep it.
 *
 * <p>Credentials and region come from the Lambda environment ({@code AWS_ACCESS_KEY_ID},
 * {@code AWS_SECRET_ACCESS_KEY}, {@code AWS_SESSION_TOKEN}, {@code AWS_REGION} or
 * {@code AWS_DEFAULT_REGION}); {@code AWS_ENDPOINT_URL_SSM}, else {@code AWS_ENDPOINT_URL},
 * overrides the endpoint.
 *
 * <p>Connection failures, 429 and 5xx answers are retried by {@link HttpDelivery}; a
 * {@code ThrottlingException} (which AWS sends as a 400) is retried here, with backoff, inside
 * the same deadline. Every other error is final and reported by its AWS error code. Messages
 * and logs name parameters, never their values, and never contain the credentials.
 */
public final class SsmParameters {

  private static final Logger log = LoggerFactory.getLogger(SsmParameters.class);

  /** The most names one {@code GetParameters} call accepts. */
  static final int MAX_NAMES_PER_CALL = 10;

  static final String CONTENT_TYPE = "application/x-amz-json-1.1";
  private static final String TARGET_PREFIX = "AmazonSSM.";
  private static final String PEER = "ssm";
  private static final int MAX_THROTTLED_ROUNDS = 4;
  private static final Duration THROTTLE_BACKOFF = Duration.ofMillis(250);
  private static final Duration MAX_THROTTLE_BACKOFF = Duration.ofSeconds(4);
  private static final int MAX_AWS_MESSAGE_CHARS = 300;
  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z0-9]+)+-[0-9]+");

  private final URI endpoint;
  private final String host;
  private final String region;
  private final SigV4 signer;
  private final SigV4.Credentials credentials;
  private final List<Secret> scrubbed;
  private final HttpDelivery delivery;
  private final RetryPolicy policy;
  private final Clock clock;

  private SsmParameters(URI endpoint, String region, SigV4.Credentials credentials,
      HttpDelivery delivery, Clock clock) {
    this.endpoint = endpoint;
    this.host = hostOf(endpoint);
    this.region = region;
    this.signer = new SigV4(region, "ssm");
    this.credentials = credentials;
    List<Secret> secrets = new ArrayList<>(credentials.secrets());
    secrets.add(Secret.of(credentials.accessKeyId()));
    this.scrubbed = List.copyOf(secrets);
    this.delivery = delivery;
    this.policy = RetryPolicy.standard().alsoRetrying(500);
    this.clock = clock;
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
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(delivery, "delivery");
    Objects.requireNonNull(clock, "clock");
    List<String> problems = new ArrayList<>();

    String accessKeyId = value(environment, "AWS_ACCESS_KEY_ID");
    String secretAccessKey = value(environment, "AWS_SECRET_ACCESS_KEY");
    String sessionToken = value(environment, "AWS_SESSION_TOKEN");
    if (accessKeyId == null) {
      problems.add("AWS_ACCESS_KEY_ID is not set");
    }
    if (secretAccessKey == null) {
      problems.add("AWS_SECRET_ACCESS_KEY is not set");
    }

    String region = value(environment, "AWS_REGION");
    String regionVariable = "AWS_REGION";
    if (region == null) {
      region = value(environment, "AWS_DEFAULT_REGION");
      regionVariable = "AWS_DEFAULT_REGION";
    }
    if (region == null) {
      problems.add("AWS_REGION (or AWS_DEFAULT_REGION) is not set");
    } else if (!REGION.matcher(region).matches()) {
      problems.add(regionVariable + "='" + region + "' is not an AWS region such as us-east-1");
    }

    URI endpoint = null;
    String endpointVariable = value(environment, "AWS_ENDPOINT_URL_SSM") != null
        ? "AWS_ENDPOINT_URL_SSM"
        : value(environment, "AWS_ENDPOINT_URL") != null ? "AWS_ENDPOINT_URL" : null;
    if (endpointVariable != null) {
      String text = value(environment, endpointVariable);
      endpoint = endpoint(text);
      if (endpoint == null) {
        problems.add(endpointVariable + "='" + text
            + "' must be an http(s) URL with a host and no query, e.g. http://127.0.0.1:4566");
      }
    } else if (region != null && REGION.matcher(region).matches()) {
      String domain = region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
      endpoint = URI.create("https://ssm." + region + "." + domain + "/");
    }

    if (!problems.isEmpty()) {
      throw new SsmException("SSM client not configured: " + String.join("; ", problems));
    }
    SigV4.Credentials credentials = new SigV4.Credentials(accessKeyId,
        Secret.of(secretAccessKey), Optional.ofNullable(sessionToken).map(Secret::of));
    return new SsmParameters(endpoint, region, credentials, delivery, clock);
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
    if (!missing.isEmpty()) {
      throw new SsmException((missing.size() == 1 ? "SSM parameter not found: "
          : "SSM parameters not found: ") + String.join(", ", missing));
    }
    Map<String, Secret> result = new LinkedHashMap<>();
    for (String name : ordered) {
      result.put(name, found.get(name));
    }
    return Collections.unmodifiableMap(result);
  }

  private void readBatch(List<String> batch, Deadline deadline, Map<String, Secret> found,
      List<String> missing) throws SsmException {
    byte[] body = Json.write(json -> {
      json.writeStartObject();
      json.writeArrayFieldStart("Names");
      for (String name : batch) {
        json.writeString(name);
      }
      json.writeEndArray();
      json.writeBooleanField("WithDecryption", true);
      json.writeEndObject();
    });
    String what = "reading " + String.join(", ", batch);
    Exchange answer = call("GetParameters", body, deadline, what);
    Map<String, Secret> byKey = new LinkedHashMap<>();
    try (JsonParser json = Json.factory().createParser(answer.body())) {
      parseGetParameters(json, byKey);
    } catch (IOException | IllegalArgumentException e) {
      throw new SsmException("SSM answered GetParameters with a malformed body " + what + ": "
          + scrub(e.getMessage()));
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

  /**
   * One signed call of {@code operation} (e.g. {@code GetParameters}) with a JSON body; returns
   * the 2xx answer, retrying throttling inside {@code deadline}.
   *
   * @param what what the call does, for messages ("reading /a, /b"): names, never values
   * @throws SsmException for every error answer, classified by its AWS error code
   */
  Exchange call(String operation, byte[] body, Deadline deadline, String what)
      throws SsmException {
    for (int round = 1; ; round++) {
      Exchange answer;
      try {
        answer = delivery.send(PEER, request(operation, body), policy, deadline);
      } catch (DeliveryException e) {
        String why = e.getMessage() == null ? "no answer" : e.getMessage();
        if (why.startsWith(PEER + ": ")) {
          why = why.substring(PEER.length() + 2);
        }
        throw new SsmException("SSM did not answer " + what + ": " + scrub(why));
      }
      if (answer.isSuccess()) {
        return answer;
      }
      AwsError error = AwsError.of(answer);
      if (error.isThrottling() && round < MAX_THROTTLED_ROUNDS) {
        Duration wait = throttleBackoff(round);
        if (wait.compareTo(deadline.remaining()) < 0) {
          log.debug("ssm: throttled ({}), retrying in {} ms", error.code(), wait.toMillis());
          try {
            deadline.ticker().sleep(wait);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SsmException("interrupted while waiting to retry " + what);
          }
          continue;
        }
      }
      throw new SsmException(describe(error, answer, what, round));
    }
  }

  private HttpRequest.Builder request(String operation, byte[] body) {
    String target = TARGET_PREFIX + operation;
    Map<String, String> signedHeaders = new LinkedHashMap<>();
    signedHeaders.put("content-type", CONTENT_TYPE);
    signedHeaders.put("host", host);
    signedHeaders.put("x-amz-target", target);
    String path = endpoint.getRawPath() == null || endpoint.getRawPath().isEmpty()
        ? "/" : endpoint.getRawPath();
    SigV4.Signed signed = signer.sign(
        new SigV4.Request("POST", path, "", signedHeaders, body), credentials, clock.instant());
    HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
        .header("Content-Type", CONTENT_TYPE)
        .header("X-Amz-Target", target)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    signed.headersToAdd().forEach(request::header);
    return request;
  }

  private String describe(AwsError error, Exchange answer, String what, int rounds) {
    String code = error.code();
    String awsMessage = error.message()
        .map(this::scrub)
        .map(m -> m.length() > MAX_AWS_MESSAGE_CHARS
            ? m.substring(0, MAX_AWS_MESSAGE_CHARS) + "..." : m)
        .map(m -> ": " + m)
        .orElse("");
    switch (code) {
      case "ParameterNotFound":
      case "ParameterVersionNotFound":
        return "SSM " + code + " " + what + awsMessage;
      case "AccessDeniedException":
        return "SSM denied access " + what + " (the role needs ssm:GetParameters, and"
            + " kms:Decrypt for a customer-managed key)" + awsMessage;
      case "InvalidKeyId":
        return "SSM could not decrypt " + what + ": the parameter's KMS key is invalid or"
            + " disabled" + awsMessage;
      case "UnrecognizedClientException":
      case "InvalidClientTokenId":
        return "SSM did not recognise the credentials " + what + " (" + code
            + "; check AWS_ACCESS_KEY_ID and AWS_SESSION_TOKEN)";
      case "InvalidSignatureException":
      case "IncompleteSignature":
      case "SignatureDoesNotMatch":
        return "SSM rejected the request signature " + what + " (" + code
            + "; check AWS_SECRET_ACCESS_KEY and the endpoint)";
      case "ExpiredTokenException":
      case "ExpiredToken":
        return "SSM says the session token has expired " + what
            + " (ExpiredTokenException; the credentials must be refreshed)";
      case "RequestExpired":
        return "SSM says the request time is off by more than 15 minutes " + what
            + " (RequestExpired; check the system clock)";
      default:
        break;
    }
    if (error.message().map(m -> m.contains("Signature expired")).orElse(false)) {
      return "SSM says the request time is off by more than 15 minutes " + what + " (" + code
          + "; check the system clock)";
    }
    if (error.isThrottling()) {
      return "SSM kept throttling " + what + " (" + code + " after " + rounds + " rounds of "
          + "retries)";
    }
    if (answer.statusCode() >= 500) {
      return "SSM failed " + what + " (HTTP " + answer.statusCode() + " " + code + " after "
          + answer.attempts() + (answer.attempts() == 1 ? " attempt)" : " attempts)")
          + awsMessage;
    }
    return "SSM answered HTTP " + answer.statusCode() + " " + code + " " + what + awsMessage;
  }

  private String scrub(String text) {
    String clean = text == null ? "" : text;
    for (Secret secret : scrubbed) {
      clean = secret.scrub(clean);
    }
    return clean;
  }

  private static Duration throttleBackoff(int round) {
    long base = THROTTLE_BACKOFF.toNanos() << Math.min(round - 1, 10);
    long bounded = Math.min(base, MAX_THROTTLE_BACKOFF.toNanos());
    long half = bounded / 2;
    return Duration.ofNanos(half + ThreadLocalRandom.current().nextLong(half + 1));
  }

  private static String value(Map<String, String> environment, String name) {
    String value = environment.get(name);
    return value == null || value.isBlank() ? null : value.strip();
  }

  private static URI endpoint(String text) {
    try {
      URI uri = new URI(text);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null
          || uri.getRawQuery() != null || uri.getRawFragment() != null
          || uri.getRawUserInfo() != null) {
        return null;
      }
      int port = uri.getPort();
      if (scheme.equals("http") && port == 80 || scheme.equals("https") && port == 443) {
        port = -1; // java.net.http leaves a default port out of Host: sign what it sends
      }
      String path = uri.getPath() == null || uri.getPath().isEmpty() ? "/" : uri.getPath();
      return new URI(scheme, null, uri.getHost(), port, path, null, null);
    } catch (URISyntaxException e) {
      return null;
    }
  }

  /** The {@code Host} value {@code java.net.http} sends for {@code uri}: host, and a non-default port. */
  static String hostOf(URI uri) {
    return uri.getPort() == -1 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
  }

  @Override
  public String toString() {
    return "SsmParameters[" + endpoint + ", " + region + "]";
  }

  /** An AWS JSON-protocol error: its code (prefix and suffix stripped) and message. */
  record AwsError(String code, Optional<String> message) {

    private static final Set<String> THROTTLING = Set.of(
        "ThrottlingException", "Throttling", "ThrottledException", "TooManyRequestsException",
        "RequestThrottledException", "RequestLimitExceeded");

    boolean isThrottling() {
      return THROTTLING.contains(code);
    }

    static AwsError of(Exchange answer) {
      String code = null;
      String message = null;
      try (JsonParser json = Json.factory().createParser(answer.body())) {
        if (json.nextToken() == JsonToken.START_OBJECT) {
          while (json.nextToken() == JsonToken.FIELD_NAME) {
            String field = json.currentName();
            JsonToken token = json.nextToken();
            if (token == JsonToken.VALUE_STRING && ("__type".equals(field)
                || "code".equals(field) || "Code".equals(field))) {
              code = code == null || "__type".equals(field) ? json.getText() : code;
            } else if (token == JsonToken.VALUE_STRING
                && ("message".equals(field) || "Message".equals(field))) {
              message = message == null ? json.getText() : message;
            } else {
              json.skipChildren();
            }
          }
        }
      } catch (IOException notJson) {
        // An HTML error page from a proxy or a truncated body: fall back to the header.
      }
      if (code == null) {
        code = answer.header("x-amzn-ErrorType").orElse(null);
      }
      return new AwsError(code == null ? "HTTP" + answer.statusCode() : normalize(code),
          Optional.ofNullable(message).filter(m -> !m.isBlank()));
    }

    /** {@code com.amazon.coral.service#ExpiredTokenException:http://...} -> the bare code. */
    static String normalize(String code) {
      String bare = code.strip();
      int hash = bare.lastIndexOf('#');
      if (hash >= 0) {
        bare = bare.substring(hash + 1);
      }
      int colon = bare.indexOf(':');
      if (colon >= 0) {
        bare = bare.substring(0, colon);
      }
      return bare;
    }
  }
}
