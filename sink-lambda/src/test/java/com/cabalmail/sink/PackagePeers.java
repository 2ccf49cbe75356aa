package com.cabalmail.sink;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.cabalmail.alert.testkit.NtfyStandIn;
import com.cabalmail.alert.testkit.PushoverStandIn;
import com.cabalmail.alert.testkit.WebhookSamples;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the custom-runtime package talks to, on loopback: the Lambda Runtime API, SSM
 * Parameter Store holding the four production secrets, and Pushover and ntfy (WireMock servers
 * answering as the test kit's {@link PushoverStandIn} and {@link NtfyStandIn} say the services
 * do). Shared by the AOT training run ({@link RuntimeTraining}), a plain {@code main}, and the
 * package's end-to-end test, so the cache is trained on what the test then checks.
 *
 * @param api the Lambda Runtime API
 * @param ssm SSM Parameter Store
 * @param pushover Pushover
 * @param ntfy ntfy
 */
record PackagePeers(RuntimeApiStandIn api, SsmStandIn ssm, WireMockServer pushover,
    WireMockServer ntfy) implements AutoCloseable {

  static final String SECRET = SinkHandlerEventsTest.SAMPLE_SECRET;

  /** A production secret: the variable naming its SSM parameter, the parameter, its value. */
  private record Parameter(String variable, String name, String value) {}

  /** The production secrets, all from SSM. */
  private static final List<Parameter> SECRETS = List.of(
      new Parameter("SHARED_SECRET_PARAM", "/cabal/alert_sink_secret", SECRET),
      new Parameter("PUSHOVER_USER_KEY_PARAM", "/cabal/pushover_user_key",
          PushoverStandIn.USER_KEY),
      new Parameter("PUSHOVER_APP_TOKEN_PARAM", "/cabal/pushover_app_token",
          PushoverStandIn.APP_TOKEN),
      new Parameter("NTFY_PUBLISHER_TOKEN_PARAM", "/cabal/ntfy_publisher_token",
          NtfyStandIn.TOKEN),
      new Parameter("ALERT_WATCHDOG_PING_URL_PARAM", "/cabal/watchdog_ping_url",
          "https://hc-ping.example.net/5c2b6f8e-1d4a-4e7b-9c3f-0a8d2e6b1f47"),
      new Parameter("ALERT_ACK_KEY_PARAM", "/cabal/alert_ack_key",
          "package-training-ack-key-0b7e5d19c4a2"));

  /** The production secrets every form reads; the deployed one adds the Watchdog's. */
  private static final int COMMON_SECRETS = 4;

  /** What Lambda gives every function, whatever it talks to: system, function, credentials. */
  private static final Map<String, String> LAMBDA = Map.of(
      "PATH", "/usr/local/bin:/usr/bin:/bin",
      "LANG", "en_US.UTF-8",
      "TZ", ":UTC",
      "_HANDLER", "ignored",
      "AWS_LAMBDA_FUNCTION_NAME", "cabal-alert-sink",
      "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512",
      "AWS_REGION", "us-east-1",
      "AWS_ACCESS_KEY_ID", "AKIDPACKAGETRAINING1",
      "AWS_SECRET_ACCESS_KEY", "package-training-secret-access-key",
      "AWS_SESSION_TOKEN", "package-training-session-token");

  static PackagePeers start() throws IOException {
    Map<String, String> secrets = new LinkedHashMap<>();
    SECRETS.forEach(secret -> secrets.put(secret.name(), secret.value()));
    WireMockServer pushover = new WireMockServer(options().dynamicPort());
    WireMockServer ntfy = new WireMockServer(options().dynamicPort());
    pushover.start();
    ntfy.start();
    // The Watchdog pings a Healthchecks check: here ntfy's stand-in, which answers anything.
    secrets.put(SECRETS.get(COMMON_SECRETS).name(),
        ntfy.baseUrl() + "/ping/5c2b6f8e-1d4a-4e7b-9c3f-0a8d2e6b1f47");
    PackagePeers peers = new PackagePeers(RuntimeApiStandIn.start(Clock.systemUTC()),
        SsmStandIn.start(secrets), pushover, ntfy);
    peers.pushoverAnswers(PushoverStandIn.acceptedEmergency());
    pushover.stubFor(post(urlPathMatching("/1/receipts/cancel_by_tag/.*"))
        .willReturn(PushoverStandIn.cancelled()));
    ntfy.stubFor(any(anyUrl()).willReturn(NtfyStandIn.stored()));
    return peers;
  }

  /** From now on Pushover answers messages with {@code answer}. */
  void pushoverAnswers(ResponseDefinitionBuilder answer) {
    pushover.stubFor(post(urlEqualTo("/1/messages.json")).willReturn(answer));
  }

  /** Requests Pushover received. */
  int pushoverRequests() {
    return pushover.findAll(anyRequestedFor(anyUrl())).size();
  }

  /** Requests ntfy received. */
  int ntfyRequests() {
    return ntfy.findAll(anyRequestedFor(anyUrl())).size();
  }

  /**
   * The environment Lambda would give the function, pointed at these peers: the production
   * variables (secrets named by {@code *_PARAM}), the Runtime API, credentials and region.
   */
  Map<String, String> environment(Path taskRoot) {
    Map<String, String> env = new LinkedHashMap<>(LAMBDA);
    env.put("LAMBDA_TASK_ROOT", taskRoot.toString());
    env.put(RuntimeApi.ADDRESS, api.address());
    env.put("AWS_ENDPOINT_URL_SSM", ssm.endpoint());
    SECRETS.subList(0, COMMON_SECRETS).forEach(secret ->
        env.put(secret.variable(), secret.name()));
    env.put("PUSHOVER_API_URL", pushover.baseUrl());
    env.put("NTFY_BASE_URL", ntfy.baseUrl());
    env.put("NTFY_TOPIC", "alerts");
    return env;
  }

  /**
   * What {@code examples/deploy} adds to {@link #environment}: the DynamoDB ledger (on
   * {@code dynamoEndpoint}'s {@code table}), EMF metrics, and the Watchdog's ping URL and the
   * acknowledgement key from SSM.
   */
  Map<String, String> deployedEnvironment(String dynamoEndpoint, String table) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("ALERT_LEDGER", "dynamodb");
    env.put("ALERT_LEDGER_TABLE", table);
    env.put("AWS_ENDPOINT_URL_DYNAMODB", dynamoEndpoint);
    env.put("ALERT_METRICS", "emf");
    for (Parameter deployed : SECRETS.subList(COMMON_SECRETS, SECRETS.size())) {
      env.put(deployed.variable(), deployed.name());
    }
    return env;
  }

  /** One Function URL event, and the status the sink must answer it with. */
  record Event(String name, byte[] bytes, int status) {}

  /**
   * What a production sink sees: every tool's webhook on its path (critical and warning, firing
   * and resolved, base64 too), a health probe, a wrong secret and a broken body.
   */
  static List<Event> events() {
    Map<String, String> secret = Map.of("x-alert-secret", SECRET);
    Map<String, String> bearer = Map.of("authorization", "Bearer " + SECRET);
    return List.of(
        new Event("direct critical", resource("functionurl-event.json"), 204),
        // The same alert again, base64-encoded: held back as a repeat, and said so (200).
        new Event("direct critical again, base64", resource("functionurl-event-base64.json"),
            200),
        new Event("alertmanager firing", event("POST", "/alertmanager", bearer,
            resource("alertmanager-firing.json")), 204),
        new Event("alertmanager resolved", event("POST", "/alertmanager", bearer,
            resource("alertmanager-resolved.json")), 204),
        new Event("grafana firing", event("POST", "/grafana", bearer,
            resource("grafana-firing.json")), 204),
        new Event("kuma down", event("POST", "/kuma", secret, resource("kuma-down.json")), 204),
        new Event("healthchecks down", event("POST", "/healthchecks", secret,
            resource("healthchecks-down.json")), 204),
        new Event("warning", event("POST", "/", secret, bytes("{\"severity\":\"warning\","
            + "\"source\":\"kuma/Zürich ✓\",\"summary\":\"IMAP slow on mail-1\"}")), 204),
        new Event("health", event("GET", "/health", Map.of(), new byte[0]), 200),
        new Event("wrong secret", event("POST", "/", Map.of("x-alert-secret", "wrong"),
            bytes("{\"severity\":\"critical\",\"source\":\"x\",\"summary\":\"y\"}")), 401),
        new Event("broken body", event("POST", "/", secret, bytes("{\"severity\":")), 400));
  }

  /** A Function URL event (payload 2.0) carrying {@code body} as plain text. */
  static byte[] event(String method, String path, Map<String, String> headers, byte[] body) {
    FunctionUrlEvent event = FunctionUrlEvent.post(path).method(method)
        .header("content-type", "application/json")
        .header("host", "k7zq3x5vwe2nmj4hrb6tyc8dfa0gpslu.lambda-url.us-east-1.on.aws")
        .headers(headers).requestId(java.util.UUID.randomUUID().toString());
    return (body.length > 0 ? event.text(body) : event).bytes();
  }

  static byte[] resource(String name) {
    if (WebhookSamples.ALL.contains(name)) {
      return WebhookSamples.bytes(name);
    }
    try (InputStream in = PackagePeers.class.getResourceAsStream("/samples/" + name)) {
      if (in == null) {
        throw new IllegalStateException("no sample " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    api.close();
    ssm.close();
    pushover.stop();
    ntfy.stop();
  }
}
