package com.cabalmail.aws;

import com.cabalmail.http.Deadline;
import com.cabalmail.http.DeliveryException;
import com.cabalmail.http.Exchange;
import com.cabalmail.http.HttpDelivery;
import com.cabalmail.http.Json;
import com.cabalmail.http.Redaction;
import com.cabalmail.http.RetryPolicy;
import com.cabalmail.http.Secret;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Container credentials (ECS, EKS Pod Identity, Lambda with SnapStart): {@code GET} the
 * credentials URI with the authorization token, answer
 * {@code {AccessKeyId, SecretAccessKey, Token, Expiration}}. Cached and fetched again
 * {@link #REFRESH_BEFORE} before {@code Expiration}, or at once after AWS called them expired.
 * One fetch at a time, on a daemon thread: while the cached credentials are valid, calls get
 * them at once and the refresh runs in the background; a call with no valid credentials waits
 * for the fetch no longer than its own deadline. If a refresh fails while the cached
 * credentials have not yet expired, they are kept and the failure is logged. Every fetched
 * credential joins the process's redaction ({@link Redaction#learned}).
 *
 * <p>Like the AWS SDKs, plain {@code http} is allowed only to loopback addresses and to the
 * ECS ({@code 169.254.170.2}) and EKS ({@code 169.254.170.23}, {@code fd00:ec2::23}) agents,
 * written as literal addresses or {@code localhost} (no DNS lookup decides it); any other host
 * needs {@code https}.
 */
final class ContainerCredentials implements CredentialsProvider {

  private static final Logger log = LoggerFactory.getLogger(ContainerCredentials.class);

  static final String FULL_URI = "AWS_CONTAINER_CREDENTIALS_FULL_URI";
  static final String RELATIVE_URI = "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI";
  static final String TOKEN = "AWS_CONTAINER_AUTHORIZATION_TOKEN";
  static final String TOKEN_FILE = "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE";
  /** Where ECS serves a relative credentials URI. */
  static final URI ECS_BASE = URI.create("http://169.254.170.2");
  /** How long before {@code Expiration} cached credentials are fetched again. */
  static final Duration REFRESH_BEFORE = Duration.ofMinutes(5);
  /** The budget of one fetch, which runs apart from the calls that wait for it. */
  static final Duration FETCH_TIMEOUT = Duration.ofSeconds(5);

  private static final String PEER = "container credentials";
  private static final AtomicLong INSTANCES = new AtomicLong();
  private static final Set<String> HTTP_HOSTS = Set.of(
      "localhost", "169.254.170.2", "169.254.170.23", "[fd00:ec2::23]", "[::1]");
  private static final Pattern LOOPBACK_V4 = Pattern.compile("127(\\.[0-9]{1,3}){3}");
  private static final RetryPolicy POLICY = RetryPolicy.standard()
      .alsoRetrying(RetryPolicy.serverErrors());

  private final URI uri;
  private final Optional<Secret> token;
  private final Optional<Path> tokenFile;
  private final HttpDelivery delivery;
  private final Clock clock;
  /** This provider's own name in {@link Redaction#learned}: others may share its URI. */
  private final String redactionSource = PEER + " #" + INSTANCES.incrementAndGet();
  private final AtomicReference<AwsCredentials> cached = new AtomicReference<>();
  /** The one fetch running, if any: callers and background refreshes share it. */
  private final AtomicReference<CompletableFuture<AwsCredentials>> inFlight =
      new AtomicReference<>();

  private ContainerCredentials(URI uri, Optional<Secret> token, Optional<Path> tokenFile,
      HttpDelivery delivery, Clock clock) {
    this.uri = uri;
    this.token = token;
    this.tokenFile = tokenFile;
    this.delivery = delivery;
    this.clock = clock;
  }

  /** The provider the container variables describe, or null after adding the problems. */
  static ContainerCredentials fromEnvironment(Map<String, String> environment,
      HttpDelivery delivery, Clock clock, URI relativeBase, List<String> problems) {
    String full = Environment.value(environment, FULL_URI);
    String variable = full != null ? FULL_URI : RELATIVE_URI;
    String text = full != null ? full
        : relativeBase + "/" + stripLeadingSlash(Environment.value(environment, RELATIVE_URI));
    URI uri = Environment.httpUri(text);
    if (uri == null) {
      problems.add(variable + " does not make an http(s) URL with a host");
      return null;
    }
    if (full != null && "http".equals(uri.getScheme()) && !allowsPlainHttp(uri.getHost())) {
      problems.add(FULL_URI + " uses plain http to " + uri.getHost()
          + ": only loopback and the ECS/EKS agent addresses may; use https");
      return null;
    }
    Optional<Path> tokenFile =
        Optional.ofNullable(Environment.value(environment, TOKEN_FILE)).map(Path::of);
    Optional<Secret> token = Optional.ofNullable(Environment.value(environment, TOKEN))
        .map(Secret::of);
    if (token.map(t -> hasLineBreak(t.reveal())).orElse(false)) {
      problems.add(TOKEN + " contains a line break");
      return null;
    }
    return new ContainerCredentials(uri, token, tokenFile, delivery, clock);
  }

  static boolean allowsPlainHttp(String host) {
    return LOOPBACK_V4.matcher(host).matches()
        || HTTP_HOSTS.contains(host.toLowerCase(Locale.ROOT));
  }

  @Override
  public AwsCredentials credentials(Deadline deadline) throws AwsException {
    AwsCredentials current = cached.get();
    if (current != null && !expiredAt(current)) {
      if (!fresh(current)) {
        refresh(); // in the background: valid credentials never wait for their successor
      }
      return current;
    }
    return await(refresh(), deadline);
  }

  @Override
  public void expired(AwsCredentials rejected) {
    AwsCredentials current = cached.get();
    if (rejected.equals(current)) {
      cached.compareAndSet(current, null);
    }
  }

  /** The fetch in flight, or a new one on a daemon thread of its own. */
  private CompletableFuture<AwsCredentials> refresh() {
    while (true) {
      CompletableFuture<AwsCredentials> running = inFlight.get();
      if (running != null) {
        return running;
      }
      CompletableFuture<AwsCredentials> mine = new CompletableFuture<>();
      if (inFlight.compareAndSet(null, mine)) {
        Thread thread = new Thread(() -> fetchInto(mine), "cabal-aws-credentials");
        thread.setDaemon(true);
        thread.start();
        return mine;
      }
    }
  }

  /** One fetch, within {@link #FETCH_TIMEOUT}: cached and learned, or the failure logged. */
  private void fetchInto(CompletableFuture<AwsCredentials> result) {
    try {
      AwsCredentials fetched = fetch(Deadline.after(FETCH_TIMEOUT, delivery.ticker()));
      AwsCredentials before = cached.getAndSet(fetched);
      List<Secret> secrets = new ArrayList<>(fetched.scrubbed());
      if (before != null) {
        secrets.addAll(before.scrubbed()); // still in messages of calls signed with them
      }
      Redaction.learned(redactionSource, secrets);
      done(result).complete(fetched);
    } catch (AwsException | RuntimeException e) {
      AwsCredentials current = cached.get();
      if (current != null && !expiredAt(current)) {
        log.warn("{}: refresh failed, keeping credentials valid until {}: {}",
            PEER, current.expiration().get(), e.getMessage());
      }
      done(result).completeExceptionally(e);
    } finally {
      done(result);
    }
  }

  /**
   * {@code fetch}, no longer the one in flight: cleared before it completes, so that no caller
   * who comes later is handed a finished fetch (and with it credentials that may since have
   * expired) instead of starting a new one.
   */
  private CompletableFuture<AwsCredentials> done(CompletableFuture<AwsCredentials> fetch) {
    inFlight.compareAndSet(fetch, null);
    return fetch;
  }

  /** The fetch's credentials, waiting no longer than {@code deadline}. */
  private AwsCredentials await(CompletableFuture<AwsCredentials> fetch, Deadline deadline)
      throws AwsException {
    Duration left = deadline.remaining();
    try {
      return fetch.get(left.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new AwsException(PEER + " from " + where() + " not fetched within the call's"
          + " deadline (" + left.toMillis() + " ms); the fetch goes on in the background");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AwsException(PEER + " from " + where() + " not fetched: interrupted");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof AwsException) {
        throw (AwsException) cause;
      }
      throw new AwsException(PEER + " from " + where() + " not fetched: " + cause);
    }
  }

  private boolean fresh(AwsCredentials credentials) {
    return clock.instant()
        .isBefore(credentials.expiration().orElseThrow().minus(REFRESH_BEFORE));
  }

  private boolean expiredAt(AwsCredentials credentials) {
    return !clock.instant().isBefore(credentials.expiration().orElseThrow());
  }

  private AwsCredentials fetch(Deadline deadline) throws AwsException {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri)
        .header("Accept", "application/json").GET();
    authorization().ifPresent(t -> request.header("Authorization", t.reveal()));
    Exchange answer;
    try {
      answer = delivery.send(PEER, request, POLICY, deadline);
    } catch (DeliveryException e) {
      throw new AwsException(PEER + " from " + where() + " not fetched: " + e.getMessage());
    }
    if (!answer.isSuccess()) {
      AwsError error = AwsError.of(answer);
      throw new AwsException(PEER + " from " + where() + " refused: HTTP " + answer.statusCode()
          + (error.code().startsWith("HTTP") ? "" : " " + error.code())
          + error.message().map(m -> ": " + m).orElse(""), error, answer);
    }
    try (JsonParser json = Json.factory().createParser(answer.body())) {
      AwsCredentials credentials = parse(json);
      log.debug("{}: fetched, valid until {}", PEER, credentials.expiration().get());
      return credentials;
    } catch (IOException | IllegalArgumentException | DateTimeParseException e) {
      throw new AwsException(PEER + " from " + where() + " unreadable: " + e.getMessage());
    }
  }

  /** The token, from the file when one is named (read anew each time: it is rotated). */
  private Optional<Secret> authorization() throws AwsException {
    if (tokenFile.isEmpty()) {
      return token;
    }
    try {
      String text = Files.readString(tokenFile.get(), StandardCharsets.UTF_8).strip();
      if (text.isEmpty() || hasLineBreak(text)) {
        throw new AwsException(TOKEN_FILE + " " + tokenFile.get()
            + " is empty or holds more than one line");
      }
      return Optional.of(Secret.of(text));
    } catch (IOException e) {
      throw new AwsException(TOKEN_FILE + " " + tokenFile.get() + " unreadable: "
          + e.getClass().getSimpleName());
    }
  }

  private static AwsCredentials parse(JsonParser json) throws IOException {
    if (json.nextToken() != JsonToken.START_OBJECT) {
      throw new IOException("the answer is not a JSON object");
    }
    String keyId = null;
    String secret = null;
    String token = null;
    String expiration = null;
    while (json.nextToken() == JsonToken.FIELD_NAME) {
      String field = json.currentName();
      if (json.nextToken() != JsonToken.VALUE_STRING) {
        json.skipChildren();
        continue;
      }
      switch (field) {
        case "AccessKeyId" -> keyId = json.getText();
        case "SecretAccessKey" -> secret = json.getText();
        case "Token" -> token = json.getText();
        case "Expiration" -> expiration = json.getText();
        default -> { }
      }
    }
    for (String[] required : new String[][] {{"AccessKeyId", keyId},
        {"SecretAccessKey", secret}, {"Token", token}, {"Expiration", expiration}}) {
      if (required[1] == null || required[1].isBlank()) {
        throw new IOException("the answer has no " + required[0]);
      }
    }
    return new AwsCredentials(keyId, Secret.of(secret), Optional.of(Secret.of(token)),
        Optional.of(OffsetDateTime.parse(expiration).toInstant()));
  }

  /** The URI without its query: what messages may show. */
  private String where() {
    return uri.getScheme() + "://" + uri.getRawAuthority() + uri.getRawPath();
  }

  private static boolean hasLineBreak(String text) {
    return text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0;
  }

  private static String stripLeadingSlash(String path) {
    return path.startsWith("/") ? path.substring(1) : path;
  }

  @Override
  public String toString() {
    return "ContainerCredentials[" + where() + "]";
  }
}
