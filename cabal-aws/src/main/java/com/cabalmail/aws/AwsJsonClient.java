package com.cabalmail.aws;

import com.cabalmail.http.Deadline;
import com.cabalmail.http.DeliveryException;
import com.cabalmail.http.Exchange;
import com.cabalmail.http.HttpDelivery;
import com.cabalmail.http.Timeline;
import com.cabalmail.http.RetryPolicy;
import com.cabalmail.http.Redaction;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One AWS JSON-protocol service (SSM, DynamoDB) over {@code java.net.http}: a {@code POST} of a
 * JSON body with {@code X-Amz-Target}, signed with SigV4. Thread-safe and immutable; build one
 * at cold start and keep it.
 *
 * <p>Retries are those of one ordinary {@link RetryPolicy} given to {@link HttpDelivery}: every
 * error AWS classifies as transient ({@link AwsError.Kind#RETRYABLE}: throttling, whatever its
 * status, and 5xx), with backoff and jitter, inside the caller's deadline. An
 * {@code ExpiredTokenException} makes the credentials provider fetch fresh credentials, and the
 * call is sent once more with them. Every other error is final and reported by its code.
 * Messages never contain the credentials.
 */
public final class AwsJsonClient {

  private static final Logger log = LoggerFactory.getLogger(AwsJsonClient.class);
  private static final int MAX_AWS_MESSAGE_CHARS = 300;

  /** The retry policy of every AWS call: 4 attempts, 250 ms doubling to 4 s, by error code. */
  static final RetryPolicy POLICY = RetryPolicy.standard().retrying(new Retryable());

  /** {@link AwsError#retryable}: a class, not a method reference (cold path: ColdPathLambdasIT). */
  private static final class Retryable implements java.util.function.Predicate<Exchange> {
    @Override
    public boolean test(Exchange answer) {
      return AwsError.retryable(answer);
    }
  }

  private final AwsService service;
  private final URI endpoint;
  private final String host;
  private final String region;
  private final SigV4 signer;
  private final CredentialsProvider credentials;
  private final HttpDelivery delivery;
  private final Clock clock;

  private AwsJsonClient(AwsService service, URI endpoint, String region,
      CredentialsProvider credentials, HttpDelivery delivery, Clock clock) {
    this.service = service;
    this.endpoint = endpoint;
    this.host = endpoint.getPort() == -1
        ? endpoint.getHost() : endpoint.getHost() + ":" + endpoint.getPort();
    this.region = region;
    this.signer = new SigV4(region, service.signingName());
    this.credentials = credentials;
    this.delivery = delivery;
    this.clock = clock;
  }

  /**
   * A client of {@code service} configured from {@code environment} (normally
   * {@code System.getenv()}): credentials by {@link CredentialsProvider#fromEnvironment}, region
   * from {@code AWS_REGION} or {@code AWS_DEFAULT_REGION}, endpoint from
   * {@code AWS_ENDPOINT_URL_<SERVICE>}, else {@code AWS_ENDPOINT_URL}, else the regional one.
   *
   * @throws AwsException naming every missing or bad variable
   */
  public static AwsJsonClient fromEnvironment(AwsService service,
      Map<String, String> environment, HttpDelivery delivery, Clock clock) throws AwsException {
    return fromEnvironment(service, environment, delivery, clock, ContainerCredentials.ECS_BASE);
  }

  static AwsJsonClient fromEnvironment(AwsService service, Map<String, String> environment,
      HttpDelivery delivery, Clock clock, URI relativeCredentialsBase) throws AwsException {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(delivery, "delivery");
    Objects.requireNonNull(clock, "clock");
    List<String> problems = new ArrayList<>();
    CredentialsProvider provider = CredentialsProvider.fromEnvironment(
        environment, delivery, clock, relativeCredentialsBase, problems);
    String region = Environment.region(environment, problems);
    URI endpoint = Environment.endpoint(environment, service, region, problems);
    if (!problems.isEmpty()) {
      throw new AwsException(
          service.label() + " client not configured: " + String.join("; ", problems));
    }
    return new AwsJsonClient(service, endpoint, region, provider, delivery, clock);
  }

  /** A client of {@code service} at {@code endpoint} in {@code region}, with {@code credentials}. */
  public static AwsJsonClient create(AwsService service, URI endpoint, String region,
      CredentialsProvider credentials, HttpDelivery delivery, Clock clock) {
    return new AwsJsonClient(Objects.requireNonNull(service, "service"),
        Objects.requireNonNull(Environment.httpUri(endpoint.toString()), "endpoint"),
        Objects.requireNonNull(region, "region"), Objects.requireNonNull(credentials),
        Objects.requireNonNull(delivery, "delivery"), Objects.requireNonNull(clock, "clock"));
  }

  /** The service this client calls. */
  public AwsService service() {
    return service;
  }

  /**
   * One signed call of {@code operation} ({@code GetParameters}, {@code PutItem}) with
   * {@code body}; answers the 2xx answer.
   *
   * @param what what the call does, for messages ("reading /a, /b"): names, never values
   * @throws AwsException for an error answer (with {@link AwsException#error()}, its message
   *     saying what to do about it) or when AWS could not be reached
   */
  public Exchange call(String operation, byte[] body, Deadline deadline, String what)
      throws AwsException {
    AwsCredentials used = credentials.credentials(deadline);
    Timeline.mark(service.signingName(), operation);
    Exchange answer = send(operation, body, used, deadline, what);
    if (answer.isSuccess()) {
      return answer;
    }
    AwsError error = AwsError.of(answer);
    if (error.kind() == AwsError.Kind.REFRESH_CREDENTIALS) {
      credentials.expired(used);
      AwsCredentials fresh = credentials.credentials(deadline);
      if (!fresh.equals(used)) {
        log.debug("{}: {}; sending once more with fresh credentials",
            service.signingName(), error.code());
        used = fresh;
        answer = send(operation, body, used, deadline, what);
        if (answer.isSuccess()) {
          return answer;
        }
        error = AwsError.of(answer);
      }
    }
    throw new AwsException(describe(error, answer, what, used), error, answer);
  }

  private Exchange send(String operation, byte[] body, AwsCredentials with, Deadline deadline,
      String what) throws AwsException {
    try {
      return delivery.send(service.signingName(), request(operation, body, with), POLICY,
          deadline);
    } catch (DeliveryException e) {
      String why = e.getMessage() == null ? "no answer" : e.getMessage();
      String prefix = service.signingName() + ": ";
      if (why.startsWith(prefix)) {
        why = why.substring(prefix.length());
      }
      throw new AwsException(service.label() + " did not answer " + what + ": "
          + scrub(why, with));
    }
  }

  private HttpRequest.Builder request(String operation, byte[] body, AwsCredentials with) {
    String target = service.targetPrefix() + operation;
    Map<String, String> signedHeaders = new LinkedHashMap<>();
    signedHeaders.put("content-type", service.contentType());
    signedHeaders.put("host", host);
    signedHeaders.put("x-amz-target", target);
    SigV4.Signed signed = signer.sign(
        new SigV4.Request("POST", endpoint.getRawPath(), "", signedHeaders, body), with,
        clock.instant());
    HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
        .header("Content-Type", service.contentType())
        .header("X-Amz-Target", target)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    for (Map.Entry<String, String> header : signed.headersToAdd().entrySet()) {
      request.header(header.getKey(), header.getValue()); // a loop: no cold-start lambda
    }
    return request;
  }

  /** What went wrong and what to do, in the service's name; AWS's message kept, scrubbed. */
  private String describe(AwsError error, Exchange answer, String what, AwsCredentials used) {
    String label = service.label();
    String code = error.code();
    String awsMessage = error.message()
        .map(m -> scrub(m, used))
        .map(m -> m.length() > MAX_AWS_MESSAGE_CHARS
            ? m.substring(0, MAX_AWS_MESSAGE_CHARS) + "..." : m)
        .map(m -> ": " + m)
        .orElse("");
    switch (code) {
      case "AccessDeniedException":
        return label + " denied access " + what + awsMessage;
      case "UnrecognizedClientException":
      case "InvalidClientTokenId":
        return label + " did not recognise the credentials " + what + " (" + code
            + "; check AWS_ACCESS_KEY_ID and AWS_SESSION_TOKEN)" + awsMessage;
      case "InvalidSignatureException":
      case "IncompleteSignature":
      case "SignatureDoesNotMatch":
        return label + " rejected the request signature " + what + " (" + code
            + "; check AWS_SECRET_ACCESS_KEY, the region and the endpoint)" + awsMessage;
      default:
        break;
    }
    switch (error.kind()) {
      case REFRESH_CREDENTIALS:
        return label + " says the session token has expired " + what + " (" + code
            + "; the credentials must be refreshed)";
      case CLOCK_SKEW:
        return label + " says the request time is off by more than 15 minutes " + what + " ("
            + code + "; check the system clock)";
      case RETRYABLE:
        String attempts = answer.attempts() + (answer.attempts() == 1 ? " attempt" : " attempts");
        return error.isThrottling()
            ? label + " kept throttling " + what + " (" + code + " after " + attempts + ")"
            : label + " failed " + what + " (HTTP " + answer.statusCode() + " " + code
                + " after " + attempts + ")" + awsMessage;
      default:
        return label + " answered HTTP " + answer.statusCode() + " " + code + " " + what
            + awsMessage;
    }
  }

  private static String scrub(String text, AwsCredentials used) {
    return Redaction.of(used.scrubbed()).scrub(text == null ? "" : text);
  }

  URI endpoint() {
    return endpoint;
  }

  String region() {
    return region;
  }

  @Override
  public String toString() {
    return "AwsJsonClient[" + service.label() + ", " + endpoint + ", " + region + "]";
  }
}
