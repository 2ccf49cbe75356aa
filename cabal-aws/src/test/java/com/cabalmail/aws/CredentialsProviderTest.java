package com.cabalmail.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cabalmail.http.Deadline;
import com.cabalmail.http.HttpDelivery;
import com.cabalmail.alert.testkit.ManualTicker;
import com.cabalmail.alert.testkit.StandInServer;
import com.cabalmail.alert.testkit.TestClock;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The credentials chain, container credentials above all, against a real HTTP stand-in. */
class CredentialsProviderTest {

  static final Instant NOW = Instant.parse("2026-08-21T12:00:00Z");
  static final String TOKEN = "container-authorization-token-1";

  @RegisterExtension
  static WireMockExtension server = StandInServer.onFreePort();
  @TempDir
  Path dir;

  final ManualTicker ticker = new ManualTicker();
  final HttpDelivery delivery = HttpDelivery.create(ticker);
  final TestClock clock = new TestClock(NOW);
  final Map<String, String> environment = new HashMap<>();

  @BeforeEach
  void reset() {
    environment.put("AWS_CONTAINER_CREDENTIALS_FULL_URI", server.baseUrl() + "/creds");
    environment.put("AWS_CONTAINER_AUTHORIZATION_TOKEN", TOKEN);
  }

  static String credentials(String keyId, Instant expiration) {
    return "{\"AccessKeyId\":\"" + keyId + "\",\"SecretAccessKey\":\"secret-of-" + keyId
        + "\",\"Token\":\"session-of-" + keyId + "\",\"Expiration\":\"" + expiration + "\"}";
  }

  /** From now on the credentials endpoint answers {@code body} (a later stub wins). */
  void answerCredentials(String body) {
    server.stubFor(get(urlEqualTo("/creds")).willReturn(aResponse().withStatus(200).withBody(body)));
  }

  CredentialsProvider provider() throws AwsException {
    List<String> problems = new ArrayList<>();
    CredentialsProvider provider = CredentialsProvider.fromEnvironment(
        environment, delivery, clock, URI.create(server.baseUrl()), problems);
    if (!problems.isEmpty()) {
      throw new AwsException(String.join("; ", problems));
    }
    return provider;
  }

  Deadline deadline() {
    return Deadline.after(Duration.ofSeconds(10), ticker);
  }

  /** The credentials {@code provider} gives once its background refresh has landed. */
  static AwsCredentials afterRefresh(CredentialsProvider provider, String keyId,
      Deadline deadline) throws Exception {
    long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    AwsCredentials got = provider.credentials(deadline);
    while (!got.accessKeyId().equals(keyId) && System.nanoTime() - until < 0) {
      Thread.sleep(10);
      got = provider.credentials(deadline);
    }
    return got;
  }

  @Test
  void containerCredentialsAreCachedAndFetchedAgainFiveMinutesBeforeExpiration()
      throws Exception {
    answerCredentials(credentials("ASIAFIRST", NOW.plus(Duration.ofHours(1))));
    CredentialsProvider provider = provider();

    AwsCredentials first = provider.credentials(deadline());
    answerCredentials(credentials("ASIASECOND", NOW.plus(Duration.ofHours(2))));
    clock.advance(Duration.ofMinutes(54));
    AwsCredentials stillFirst = provider.credentials(deadline());
    server.verify(exactly(1), getRequestedFor(urlEqualTo("/creds")));
    clock.advance(Duration.ofMinutes(1).plusSeconds(1));
    AwsCredentials firstWhileRefreshing = provider.credentials(deadline());
    AwsCredentials second = afterRefresh(provider, "ASIASECOND", deadline());

    assertEquals("ASIAFIRST", firstWhileRefreshing.accessKeyId(), "valid: returned at once");
    assertEquals("ASIAFIRST", first.accessKeyId());
    assertEquals("secret-of-ASIAFIRST", first.secretAccessKey().reveal());
    assertEquals("session-of-ASIAFIRST", first.sessionToken().orElseThrow().reveal());
    assertEquals(NOW.plus(Duration.ofHours(1)), first.expiration().orElseThrow());
    assertEquals(first, stillFirst);
    assertEquals("ASIASECOND", second.accessKeyId());
    assertTrue(server.findAll(getRequestedFor(urlEqualTo("/creds"))).stream()
        .allMatch(r -> TOKEN.equals(r.getHeader("Authorization"))));
  }

  @Test
  void theTokenFileIsReadAgainOnEveryFetchAndWinsOverTheVariable() throws Exception {
    Path tokenFile = dir.resolve("token");
    Files.writeString(tokenFile, "file-token-1\n");
    environment.put("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", tokenFile.toString());
    answerCredentials(credentials("ASIAFIRST", NOW.plus(Duration.ofMinutes(10))));
    CredentialsProvider provider = provider();

    provider.credentials(deadline());
    Files.writeString(tokenFile, "file-token-2");
    answerCredentials(credentials("ASIASECOND", NOW.plus(Duration.ofHours(1))));
    clock.advance(Duration.ofMinutes(6));
    AwsCredentials second = afterRefresh(provider, "ASIASECOND", deadline());

    List<LoggedRequest> fetches = server.findAll(getRequestedFor(urlEqualTo("/creds")));
    assertEquals("file-token-1", fetches.get(0).getHeader("Authorization"));
    assertEquals("file-token-2", fetches.get(fetches.size() - 1).getHeader("Authorization"));
    assertEquals("ASIASECOND", second.accessKeyId());
  }

  @Test
  void aRelativeUriIsAppendedToTheBase() throws Exception {
    environment.remove("AWS_CONTAINER_CREDENTIALS_FULL_URI");
    environment.remove("AWS_CONTAINER_AUTHORIZATION_TOKEN");
    environment.put("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/7f3a");
    server.stubFor(get(urlEqualTo("/v2/credentials/7f3a")).willReturn(aResponse()
        .withStatus(200).withBody(credentials("ASIAECS", NOW.plus(Duration.ofHours(6))))));

    assertEquals("ASIAECS", provider().credentials(deadline()).accessKeyId());
    assertFalse(server.findAll(getRequestedFor(urlEqualTo("/v2/credentials/7f3a"))).get(0)
        .containsHeader("Authorization"));
  }

  @Test
  void environmentKeysComeBeforeContainerCredentials() throws Exception {
    environment.put("AWS_ACCESS_KEY_ID", "AKIAENVIRONMENT");
    environment.put("AWS_SECRET_ACCESS_KEY", "environment-secret");

    assertEquals("AKIAENVIRONMENT", provider().credentials(deadline()).accessKeyId());
    server.verify(exactly(0), getRequestedFor(urlEqualTo("/creds")));
  }

  @Test
  void aRefusedFetchSaysWhyWithoutTheToken() throws Exception {
    server.stubFor(get(urlEqualTo("/creds")).willReturn(aResponse().withStatus(403)
        .withBody("{\"code\":\"AccessDenied\",\"message\":\"Authorization token is invalid\"}")));

    AwsException e = assertThrows(AwsException.class,
        () -> provider().credentials(deadline()));

    assertEquals("container credentials from " + server.baseUrl() + "/creds refused: HTTP 403"
        + " AccessDenied: Authorization token is invalid", e.getMessage());
    assertFalse(e.getMessage().contains(TOKEN));
  }

  @Test
  void anAnswerWithoutExpirationIsRefusedByName() throws Exception {
    server.stubFor(get(urlEqualTo("/creds")).willReturn(aResponse().withStatus(200)
        .withBody("{\"AccessKeyId\":\"A\",\"SecretAccessKey\":\"s\",\"Token\":\"t\"}")));

    AwsException e = assertThrows(AwsException.class,
        () -> provider().credentials(deadline()));

    assertTrue(e.getMessage().endsWith("unreadable: the answer has no Expiration"),
        e.getMessage());
  }

  @Test
  void aFailedRefreshKeepsCredentialsThatHaveNotYetExpired() throws Exception {
    answerCredentials(credentials("ASIAFIRST", NOW.plus(Duration.ofMinutes(10))));
    CredentialsProvider provider = provider();

    provider.credentials(deadline());
    server.stubFor(get(urlEqualTo("/creds")).willReturn(aResponse().withStatus(404)));
    clock.advance(Duration.ofMinutes(6));
    AwsCredentials kept = provider.credentials(deadline());
    clock.advance(Duration.ofMinutes(4));

    assertEquals("ASIAFIRST", kept.accessKeyId());
    assertThrows(AwsException.class, () -> provider.credentials(deadline()));
  }

  @Test
  void plainHttpIsAllowedOnlyToLoopbackAndTheContainerAgents() {
    environment.put("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://credentials.example.com/x");

    AwsException e = assertThrows(AwsException.class, this::provider);

    assertTrue(e.getMessage().contains("plain http to credentials.example.com"), e.getMessage());
    assertTrue(ContainerCredentials.allowsPlainHttp("127.0.0.1"));
    assertTrue(ContainerCredentials.allowsPlainHttp("169.254.170.2"));
    assertTrue(ContainerCredentials.allowsPlainHttp("169.254.170.23"));
    assertTrue(ContainerCredentials.allowsPlainHttp("[fd00:ec2::23]"));
    assertFalse(ContainerCredentials.allowsPlainHttp("169.254.169.254"));
    assertFalse(ContainerCredentials.allowsPlainHttp("127.example.com"));
  }

  @Test
  void noCredentialsAtAllNamesEveryWayToGiveThem() {
    environment.clear();

    AwsException e = assertThrows(AwsException.class, this::provider);

    assertEquals("no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or"
        + " AWS_CONTAINER_CREDENTIALS_FULL_URI or AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        e.getMessage());
  }

  @Test
  void anExpiredTokenFromAwsForcesFreshCredentialsAndOneMoreCall() throws Exception {
    answerCredentials(credentials("ASIAFIRST", NOW.plus(Duration.ofHours(1))));
    server.stubFor(get(urlEqualTo("/creds")).inScenario("rotation").whenScenarioStateIs("rotated")
        .willReturn(aResponse().withStatus(200)
            .withBody(credentials("ASIASECOND", NOW.plus(Duration.ofHours(2))))));
    server.stubFor(post(urlEqualTo("/"))
        .withHeader("Authorization", containing("Credential=ASIAFIRST/"))
        .inScenario("rotation").willSetStateTo("rotated")
        .willReturn(aResponse().withStatus(400).withBody(
            "{\"__type\":\"com.amazon.coral.service#ExpiredTokenException\","
                + "\"message\":\"The security token included in the request is expired\"}")
            ));
    server.stubFor(post(urlEqualTo("/"))
        .withHeader("Authorization", containing("Credential=ASIASECOND/"))
        .willReturn(aResponse().withStatus(200).withBody("{}")));
    environment.put("AWS_REGION", "eu-west-1");
    environment.put("AWS_ENDPOINT_URL_SSM", server.baseUrl());
    AwsJsonClient ssm = AwsJsonClient.fromEnvironment(AwsService.SSM, environment, delivery,
        clock, URI.create(server.baseUrl()));

    ssm.call("GetParameters", "{}".getBytes(), deadline(), "reading /x");

    List<LoggedRequest> calls = server.findAll(postRequestedFor(urlEqualTo("/")));
    LoggedRequest last = calls.get(calls.size() - 1);
    assertTrue(calls.get(0).getHeader("Authorization").contains("Credential=ASIAFIRST/"));
    assertTrue(last.getHeader("Authorization").contains("Credential=ASIASECOND/"));
    assertEquals("session-of-ASIASECOND", last.getHeader("X-Amz-Security-Token"));
    assertEquals(1, calls.stream()
        .filter(r -> r.getHeader("Authorization").contains("Credential=ASIASECOND/")).count(),
        "one more call, not a retry loop");
  }
}
