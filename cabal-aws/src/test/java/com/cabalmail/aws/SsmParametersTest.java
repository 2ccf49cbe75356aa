package com.cabalmail.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cabalmail.alert.testkit.CapturedLogs;
import com.cabalmail.alert.testkit.ManualTicker;
import com.cabalmail.alert.testkit.StandInServer;
import com.cabalmail.http.Deadline;
import com.cabalmail.http.HttpDelivery;
import com.cabalmail.http.Secret;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SsmParametersTest {

  static final String ACCESS_KEY_ID = StandInEnvironment.ACCESS_KEY_ID;
  static final String SECRET_KEY = StandInEnvironment.SECRET_KEY;
  static final String TOKEN = StandInEnvironment.TOKEN;
  static final Instant NOW = Instant.parse("2026-08-21T12:00:00Z");
  static final String PUSHOVER = "/cabal/pushover_app_token";
  static final String NTFY = "/cabal/ntfy_publisher_token";

  /** The stand-in server: one per class, stubs and journal reset before each test. */
  @RegisterExtension
  static WireMockExtension server = StandInServer.onFreePort();
  final ManualTicker ticker = new ManualTicker();
  SsmParameters ssm;

  @BeforeEach
  void reset() throws Exception {
    CapturedLogs.clear();
    ssm = SsmParameters.fromEnvironment(environment(server.baseUrl()),
        HttpDelivery.create(ticker), Clock.fixed(NOW, ZoneOffset.UTC));
  }

  static Map<String, String> environment(String endpoint) {
    return StandInEnvironment.pointingAt("AWS_ENDPOINT_URL_SSM", endpoint);
  }

  Deadline deadline() {
    return Deadline.after(Duration.ofSeconds(10), ticker);
  }

  static ResponseDefinitionBuilder ok(String json) {
    return aResponse().withStatus(200)
        .withHeader("Content-Type", SsmParameters.CONTENT_TYPE).withBody(json);
  }

  static ResponseDefinitionBuilder error(int status, String type, String message) {
    return aResponse().withStatus(status)
        .withHeader("Content-Type", SsmParameters.CONTENT_TYPE)
        .withHeader("x-amzn-RequestId", "4e2bd0a8-1d43-4b8a-9f3c-2f2b4c0d9a11")
        .withBody("{\"__type\":\"" + type + "\",\"message\":\"" + message + "\"}");
  }

  static String parameter(String name, String value) {
    return "{\"Name\":\"" + name + "\",\"Type\":\"SecureString\",\"Value\":\"" + value
        + "\",\"Version\":3,\"LastModifiedDate\":1.787307330123E9,\"ARN\":"
        + "\"arn:aws:ssm:eu-west-1:123456789012:parameter" + name + "\",\"DataType\":\"text\"}";
  }

  void answerInTurn(ResponseDefinitionBuilder first, ResponseDefinitionBuilder then) {
    StandInServer.answerInTurn(server, () -> post(urlEqualTo("/")), first, then);
  }

  void assertNoCredentialIn(String text) {
    assertFalse(text.contains(SECRET_KEY), "secret access key leaked: " + text);
    assertFalse(text.contains(TOKEN), "session token leaked: " + text);
    assertFalse(text.contains(ACCESS_KEY_ID), "access key id leaked: " + text);
  }

  @Test
  void readsSecureStringsWithDecryptionInOneSignedCall() throws Exception {
    server.stubFor(post(urlEqualTo("/")).willReturn(ok("{\"Parameters\":["
        + parameter(NTFY, "tk_ntfy") + "," + parameter(PUSHOVER, "azGDORePK8gMaC0QOYAMyEEuzJnyUi")
        + "],\"InvalidParameters\":[]}")));

    Map<String, Secret> values = ssm.get(List.of(PUSHOVER, NTFY), deadline());

    assertEquals(List.of(PUSHOVER, NTFY), List.copyOf(values.keySet()), "order asked for");
    assertEquals("azGDORePK8gMaC0QOYAMyEEuzJnyUi", values.get(PUSHOVER).reveal());
    assertEquals("tk_ntfy", values.get(NTFY).reveal());
    server.verify(exactly(1), postRequestedFor(urlEqualTo("/"))
        .withHeader("Content-Type", equalTo("application/x-amz-json-1.1"))
        .withHeader("X-Amz-Target", equalTo("AmazonSSM.GetParameters"))
        .withHeader("X-Amz-Date", equalTo("20260821T120000Z"))
        .withHeader("X-Amz-Security-Token", equalTo(TOKEN))
        .withRequestBody(equalToJson(
            "{\"Names\":[\"" + PUSHOVER + "\",\"" + NTFY + "\"],\"WithDecryption\":true}")));
    assertNoCredentialIn(CapturedLogs.text());
  }

  @Test
  void sentRequestIsSignedOverExactlyTheHostAndBytesSent() throws Exception {
    server.stubFor(post(urlEqualTo("/")).willReturn(ok("{\"Parameters\":["
        + parameter(NTFY, "tk_ntfy") + "],\"InvalidParameters\":[]}")));

    ssm.get(List.of(NTFY), deadline());

    LoggedRequest sent = server.findAll(postRequestedFor(urlEqualTo("/"))).get(0);
    TreeMap<String, String> headers = new TreeMap<>();
    for (String name : List.of("content-type", "host", "x-amz-target")) {
      headers.put(name, sent.getHeader(name));
    }
    assertEquals("localhost:" + server.getPort(), sent.getHeader("host"));
    SigV4.Signed expected = new SigV4("eu-west-1", "ssm").sign(
        new SigV4.Request("POST", "/", "", headers, sent.getBody()),
        AwsCredentials.of(ACCESS_KEY_ID, Secret.of(SECRET_KEY), Optional.of(Secret.of(TOKEN))),
        NOW);
    assertEquals(expected.headersToAdd().get("Authorization"), sent.getHeader("Authorization"));
    assertTrue(sent.getHeader("Authorization").contains(
        "Credential=" + ACCESS_KEY_ID + "/20260821/eu-west-1/ssm/aws4_request, "
            + "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target, "));
  }

  @Test
  void asksForAtMostTenNamesPerCall() throws Exception {
    List<String> names = new ArrayList<>();
    StringBuilder first = new StringBuilder();
    StringBuilder second = new StringBuilder();
    for (int i = 1; i <= 12; i++) {
      String name = String.format("/cabal/healthcheck_ping_job%02d", i);
      names.add(name);
      StringBuilder into = i <= 10 ? first : second;
      into.append(into.length() == 0 ? "" : ",").append(parameter(name, "value-" + i));
    }
    server.stubFor(post(urlEqualTo("/"))
        .withRequestBody(matchingJsonPath("$.Names[0]", equalTo(names.get(0))))
        .willReturn(ok("{\"Parameters\":[" + first + "],\"InvalidParameters\":[]}")));
    server.stubFor(post(urlEqualTo("/"))
        .withRequestBody(matchingJsonPath("$.Names[0]", equalTo(names.get(10))))
        .willReturn(ok("{\"Parameters\":[" + second + "],\"InvalidParameters\":[]}")));

    Map<String, Secret> values = ssm.get(names, deadline());

    assertEquals(12, values.size());
    assertEquals("value-12", values.get(names.get(11)).reveal());
    server.verify(exactly(2), postRequestedFor(urlEqualTo("/")));
    server.verify(exactly(1), postRequestedFor(urlEqualTo("/"))
        .withRequestBody(matchingJsonPath("$.Names.length()", equalTo("10"))));
    server.verify(exactly(1), postRequestedFor(urlEqualTo("/"))
        .withRequestBody(matchingJsonPath("$.Names.length()", equalTo("2"))));
  }

  @Test
  void emptyListMakesNoCall() throws Exception {
    assertTrue(ssm.get(List.of(), deadline()).isEmpty());
    server.verify(exactly(0), postRequestedFor(urlEqualTo("/")));
  }

  @Test
  void invalidParametersAreNamedInTheExceptionNeverTheValues() {
    server.stubFor(post(urlEqualTo("/")).willReturn(ok("{\"Parameters\":["
        + parameter(PUSHOVER, "azGDORePK8gMaC0QOYAMyEEuzJnyUi")
        + "],\"InvalidParameters\":[\"/cabal/pushover_user_key\",\"/cabal/ntfy_publisher_tokn\"]}")));

    SsmException e = assertThrows(SsmException.class, () -> ssm.get(
        List.of(PUSHOVER, "/cabal/pushover_user_key", "/cabal/ntfy_publisher_tokn"), deadline()));

    assertEquals("SSM parameters not found: /cabal/pushover_user_key, /cabal/ntfy_publisher_tokn",
        e.getMessage());
    assertFalse(e.getMessage().contains("azGDORePK8gMaC0QOYAMyEEuzJnyUi"));
    server.verify(exactly(1), postRequestedFor(urlEqualTo("/")));
  }

  @Test
  void readReturnsTheMissingNamesAsATypedResult() throws Exception {
    server.stubFor(post(urlEqualTo("/")).willReturn(ok("{\"Parameters\":["
        + parameter(PUSHOVER, "azGDORePK8gMaC0QOYAMyEEuzJnyUi")
        + "],\"InvalidParameters\":[\"/cabal/pushover_user_key\",\"/cabal/ntfy_publisher_tokn\"]}")));

    SsmParameters.Lookup lookup = ssm.read(
        List.of(PUSHOVER, "/cabal/pushover_user_key", "/cabal/ntfy_publisher_tokn"), deadline());

    assertFalse(lookup.complete());
    assertEquals(List.of("/cabal/pushover_user_key", "/cabal/ntfy_publisher_tokn"),
        lookup.missing());
    assertEquals(List.of(PUSHOVER), List.copyOf(lookup.found().keySet()));
    assertEquals("azGDORePK8gMaC0QOYAMyEEuzJnyUi", lookup.found().get(PUSHOVER).reveal());
    server.verify(exactly(1), postRequestedFor(urlEqualTo("/")));
  }

  @Test
  void parameterNotFoundErrorIsFinalAndNamesTheParameters() {
    server.stubFor(post(urlEqualTo("/")).willReturn(
        error(400, "ParameterNotFound", "Parameter /cabal/alert_sink_secret not found.")));

    SsmException e = assertThrows(SsmException.class,
        () -> ssm.get(List.of("/cabal/alert_sink_secret"), deadline()));

    assertTrue(e.getMessage().contains("ParameterNotFound"), e.getMessage());
    assertTrue(e.getMessage().contains("reading /cabal/alert_sink_secret"), e.getMessage());
    server.verify(exactly(1), postRequestedFor(urlEqualTo("/")));
  }

  @Test
  void accessDeniedWithNamespacedCodeIsFinalAndNamesTheParameters() {
    server.stubFor(post(urlEqualTo("/")).willReturn(error(400,
        "com.amazon.coral.service#AccessDeniedException",
        "User: arn:aws:sts::123456789012:assumed-role/alert-sink/alert-sink is not authorized"
            + " to perform: ssm:GetParameters on resource: arn:aws:ssm:eu-west-1:123456789012:"
            + "parameter/cabal/pushover_app_token because no identity-based policy allows it")));

    SsmException e = assertThrows(SsmException.class,
        () -> ssm.get(List.of(PUSHOVER, NTFY), deadline()));

    assertTrue(e.getMessage().startsWith(
        "SSM denied access reading " + PUSHOVER + ", " + NTFY), e.getMessage());
    assertTrue(e.getMessage().contains("not authorized"), e.getMessage());
    assertFalse(e.getMessage().contains("com.amazon.coral"), e.getMessage());
    server.verify(exactly(1), postRequestedFor(urlEqualTo("/")));
  }

  @Test
  void throttlingIsRetriedWithBackoffThenSucceeds() throws Exception {
    answerInTurn(error(400, "ThrottlingException", "Rate exceeded"),
        ok("{\"Parameters\":[" + parameter(NTFY, "tk_ntfy") + "],\"InvalidParameters\":[]}"));

    Map<String, Secret> values = ssm.get(List.of(NTFY), deadline());

    assertEquals("tk_ntfy", values.get(NTFY).reveal());
    server.verify(exactly(2), postRequestedFor(urlEqualTo("/")));
    assertEquals(1, ticker.sleeps().size(), "one backoff wait");
  }

  @Test
  void throttlingThatNeverStopsEndsWithAClearMessage() {
    server.stubFor(post(urlEqualTo("/"))
        .willReturn(error(400, "ThrottlingException", "Rate exceeded")));

    SsmException e = assertThrows(SsmException.class,
        () -> ssm.get(List.of(NTFY), deadline()));

    assertTrue(e.getMessage().startsWith("SSM kept throttling reading " + NTFY), e.getMessage());
    server.verify(exactly(4), postRequestedFor(urlEqualTo("/")));
  }

  @Test
  void internalServerErrorIsRetriedThenSucceeds() throws Exception {
    answerInTurn(error(500, "InternalServerError", "An internal error occurred"),
        ok("{\"Parameters\":[" + parameter(NTFY, "tk_ntfy") + "],\"InvalidParameters\":[]}"));

    Map<String, Secret> values = ssm.get(List.of(NTFY), deadline());

    assertEquals("tk_ntfy", values.get(NTFY).reveal());
    server.verify(exactly(2), postRequestedFor(urlEqualTo("/")));
  }

  @Test
  void serviceUnavailableThroughoutFailsAfterTheAttempts() {
    server.stubFor(post(urlEqualTo("/"))
        .willReturn(error(503, "ServiceUnavailable", "Service is unavailable")));

    SsmException e = assertThrows(SsmException.class,
        () -> ssm.get(List.of(NTFY), deadline()));

    assertTrue(e.getMessage().startsWith("SSM failed reading " + NTFY
        + " (HTTP 503 ServiceUnavailable after 4 attempts)"), e.getMessage());
  }

  @Test
  void expiredTokenWithUrlSuffixIsClassifiedByCode() {
    server.stubFor(post(urlEqualTo("/")).willReturn(error(400,
        "ExpiredTokenException:http://internal.amazon.com/coral/com.amazon.coral.service/",
        "The security token included in the request is expired")));

    SsmException e = assertThrows(SsmException.class,
        () -> ssm.get(List.of(NTFY), deadline()));

    assertTrue(e.getMessage().contains("session token has expired"), e.getMessage());
    server.verify(exactly(1), postRequestedFor(urlEqualTo("/")));
  }

  @Test
  void codeIsTakenFromTheHeaderWhenTheBodyIsNotJson() {
    server.stubFor(post(urlEqualTo("/")).willReturn(aResponse().withStatus(400)
        .withHeader("x-amzn-ErrorType", "RequestExpired:http://internal.amazon.com/coral/")
        .withBody("<html>Bad Request</html>")));

    SsmException e = assertThrows(SsmException.class,
        () -> ssm.get(List.of(NTFY), deadline()));

    assertTrue(e.getMessage().contains("check the system clock"), e.getMessage());
  }

  @Test
  void signatureErrorsNeverEchoTheCredentials() {
    // AWS echoes the canonical request, session token included, in this message.
    server.stubFor(post(urlEqualTo("/")).willReturn(error(400, "InvalidSignatureException",
        "The request signature we calculated does not match the signature you provided. "
            + "The Canonical String for this request should have been 'POST / x-amz-security-token:"
            + TOKEN + "' Credential=" + ACCESS_KEY_ID + " secret " + SECRET_KEY)));

    SsmException e = assertThrows(SsmException.class,
        () -> ssm.get(List.of(NTFY), deadline()));

    assertTrue(e.getMessage().contains("rejected the request signature"), e.getMessage());
    assertNoCredentialIn(e.getMessage());
    assertNoCredentialIn(CapturedLogs.text());
  }

  @Test
  void awsHintThatExplainsTheFixIsKeptInTheSsmError() {
    server.stubFor(post(urlEqualTo("/")).willReturn(error(400, "InvalidSignatureException",
        "Credential should be scoped to a valid region.")));

    SsmException e = assertThrows(SsmException.class,
        () -> ssm.get(List.of(NTFY), deadline()));

    assertTrue(e.getMessage().contains("rejected the request signature"), e.getMessage());
    assertTrue(e.getMessage().endsWith("Credential should be scoped to a valid region."),
        e.getMessage());
  }

  @Test
  void unknownErrorMessagesAreScrubbedOfCredentials() {
    server.stubFor(post(urlEqualTo("/")).willReturn(error(400, "SomethingNew",
        "echo " + TOKEN + " and " + SECRET_KEY + " by " + ACCESS_KEY_ID)));

    SsmException e = assertThrows(SsmException.class,
        () -> ssm.get(List.of(NTFY), deadline()));

    assertTrue(e.getMessage().startsWith("SSM answered HTTP 400 SomethingNew reading " + NTFY),
        e.getMessage());
    assertNoCredentialIn(e.getMessage());
  }

  @Test
  void malformedSuccessBodyIsAnExceptionNamingTheParameters() {
    server.stubFor(post(urlEqualTo("/")).willReturn(ok("{\"Parameters\":[{\"Name\":")));

    SsmException e = assertThrows(SsmException.class,
        () -> ssm.get(List.of(NTFY), deadline()));

    assertTrue(e.getMessage().startsWith("SSM answered GetParameters with a malformed body "
        + "reading " + NTFY), e.getMessage());
  }

  @Test
  void unreachableEndpointSaysSsmDidNotAnswer() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    SsmParameters unreachable = SsmParameters.fromEnvironment(
        environment("http://127.0.0.1:" + port), HttpDelivery.create(ticker));

    SsmException e = assertThrows(SsmException.class,
        () -> unreachable.get(List.of(NTFY), deadline()));

    assertTrue(e.getMessage().startsWith("SSM did not answer reading " + NTFY
        + ": connection refused or unreachable ("), e.getMessage());
  }

  @Test
  void missingEnvironmentIsOneExceptionNamingEveryVariable() {
    SsmException e = assertThrows(SsmException.class,
        () -> SsmParameters.fromEnvironment(Map.of("AWS_SESSION_TOKEN", TOKEN)));

    assertEquals("SSM client not configured: no AWS credentials: set AWS_ACCESS_KEY_ID and"
        + " AWS_SECRET_ACCESS_KEY, or AWS_CONTAINER_CREDENTIALS_FULL_URI or"
        + " AWS_CONTAINER_CREDENTIALS_RELATIVE_URI; AWS_REGION (or AWS_DEFAULT_REGION) is not set",
        e.getMessage());
  }

  @Test
  void badEndpointAndRegionAreNamedWithoutCredentials() {
    Map<String, String> environment = environment("ftp://ssm.example");
    environment.remove("AWS_REGION");
    environment.put("AWS_DEFAULT_REGION", "Europe");

    SsmException e = assertThrows(SsmException.class,
        () -> SsmParameters.fromEnvironment(environment));

    assertTrue(e.getMessage().contains("AWS_DEFAULT_REGION='Europe' is not an AWS region"),
        e.getMessage());
    assertTrue(e.getMessage().contains("AWS_ENDPOINT_URL_SSM='ftp://ssm.example' must be"),
        e.getMessage());
    assertNoCredentialIn(e.getMessage());
  }

  @Test
  void endpointDefaultsToTheRegionalOneAndChinaUsesItsDomain() throws Exception {
    Map<String, String> environment = environment("unused");
    environment.remove("AWS_ENDPOINT_URL_SSM");
    environment.remove("AWS_REGION");
    environment.put("AWS_DEFAULT_REGION", "cn-north-1");
    assertEquals("SsmParameters[https://ssm.cn-north-1.amazonaws.com.cn/, cn-north-1]",
        SsmParameters.fromEnvironment(environment).toString());

    environment.put("AWS_REGION", "eu-west-1");
    assertEquals("SsmParameters[https://ssm.eu-west-1.amazonaws.com/, eu-west-1]",
        SsmParameters.fromEnvironment(environment).toString());

    environment.put("AWS_ENDPOINT_URL", "https://vpce-0abc.ssm.eu-west-1.vpce.amazonaws.com:443");
    assertEquals("SsmParameters[https://vpce-0abc.ssm.eu-west-1.vpce.amazonaws.com/, eu-west-1]",
        SsmParameters.fromEnvironment(environment).toString(), "default port left out, as sent");

    environment.put("AWS_ENDPOINT_URL_SSM", "http://127.0.0.1:4566");
    assertEquals("SsmParameters[http://127.0.0.1:4566/, eu-west-1]",
        SsmParameters.fromEnvironment(environment).toString(), "service-specific wins");
  }

  @Test
  void blankNameIsRejectedBeforeAnyCall() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ssm.get(List.of(NTFY, " "), deadline()));

    assertEquals("names[1] is blank", e.getMessage());
    server.verify(exactly(0), postRequestedFor(urlEqualTo("/")));
  }
}
