package com.cabalmail.sink;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cabalmail.alert.Severity;
import com.cabalmail.alert.testkit.NtfyStandIn;
import com.cabalmail.alert.testkit.PushoverStandIn;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The incident on the phone over real HTTP, through the served sink and through Function URL
 * events: a critical alert pages Pushover (an emergency with the callback) and ntfy (with an
 * Acknowledge button); an acknowledgement on either is recorded once, cancels what still
 * repeats and replaces the ntfy notification; forged, expired, misdirected and replayed tokens
 * and unconfirmed callbacks change nothing. Pushover is the test kit's stateful stand-in
 * (receipts, callbacks, the 5 s poll rule), ntfy WireMock answering as ntfy does.
 */
class AcknowledgementsOverHttpTest {

  static final String SECRET = "a-shared-secret-of-32-characters";
  static final String ACK_KEY = "an-ack-key-of-its-own-32-chars!!";
  static final String DOMAIN = "abc123.lambda-url.eu-west-1.on.aws";
  static final String ROUTES = "critical:pushover=2,ntfy=5;warning:ntfy=3;info:";
  static final Pattern ACK_BUTTON =
      Pattern.compile("\"label\":\"Acknowledge\",\"url\":\"([^\"]+)\",\"method\":\"POST\"");

  @RegisterExtension
  final WireMockExtension ntfy =
      WireMockExtension.newInstance().options(options().dynamicPort()).build();

  PushoverStandIn.Server pushover;
  final HttpClient client = HttpClient.newHttpClient();
  final List<AutoCloseable> closing = new ArrayList<>();

  @BeforeEach
  void start() throws IOException {
    pushover = PushoverStandIn.start();
    closing.add(pushover);
    ntfy.stubFor(any(anyUrl()).willReturn(NtfyStandIn.stored()));
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
  }

  Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("ALERT_SECRET", SECRET);
    env.put("ALERT_ACK_KEY", ACK_KEY);
    env.put("ALERT_ROUTES", ROUTES);
    env.put("PUSHOVER_API_URL", pushover.baseUrl());
    env.put("PUSHOVER_APP_TOKEN", PushoverStandIn.APP_TOKEN);
    env.put("PUSHOVER_USER_KEY", PushoverStandIn.USER_KEY);
    env.put("NTFY_BASE_URL", ntfy.baseUrl());
    env.put("NTFY_TOPIC", "alerts");
    env.put("NTFY_TOKEN", NtfyStandIn.TOKEN);
    return env;
  }

  /** One answer: status and body. */
  record Answer(int status, String body) {}

  /** How requests reach the sink: the local server, or Function URL events. */
  interface Front {
    /** The public URL the sink's links start with. */
    String publicUrl();

    Answer send(String method, String path, Map<String, String> headers, String body)
        throws Exception;

    /** Pushover acknowledging {@code receipt}, its callback reaching the sink. */
    int pushoverAcknowledges(PushoverStandIn.Server pushover, String receipt) throws Exception;
  }

  Front served() throws IOException {
    Sink sink = SinkSetup.create(env(), SinkSetup.SSM, getClass().getClassLoader(), null);
    LocalServer server = LocalServer.start(sink, 0);
    closing.add(server);
    String base = "http://127.0.0.1:" + server.port();
    return new Front() {
      @Override
      public String publicUrl() {
        return base;
      }

      @Override
      public Answer send(String method, String path, Map<String, String> headers, String body)
          throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        HttpResponse<String> answer = client.send(request.build(),
            HttpResponse.BodyHandlers.ofString());
        return new Answer(answer.statusCode(), answer.body());
      }

      @Override
      public int pushoverAcknowledges(PushoverStandIn.Server pushover, String receipt)
          throws Exception {
        return pushover.acknowledge(receipt, PushoverStandIn.USER_KEY, "pixel-7");
      }
    };
  }

  Front functionUrl() {
    SinkHandler handler = new SinkHandler(
        SinkSetup.create(env(), SinkSetup.SSM, getClass().getClassLoader(), null));
    return new Front() {
      @Override
      public String publicUrl() {
        return "https://" + DOMAIN;
      }

      @Override
      public Answer send(String method, String path, Map<String, String> headers, String body)
          throws Exception {
        FunctionUrlEvent event = FunctionUrlEvent.post(path).method(method);
        for (Map.Entry<String, String> h : headers.entrySet()) {
          event = event.header(h.getKey().toLowerCase(java.util.Locale.ROOT), h.getValue());
        }
        if (body != null) {
          // A form body arrives base64-encoded; JSON as text.
          event = headers.getOrDefault("Content-Type", "").startsWith("application/json")
              ? event.text(body) : event.base64(body.getBytes(StandardCharsets.UTF_8));
        }
        String json = new String(event.bytes(), StandardCharsets.UTF_8).replace(
            "\"requestContext\":{", "\"requestContext\":{\"domainName\":\"" + DOMAIN + "\",");
        Map<String, Object> answer =
            SinkHandlerEventsTest.invoke(handler, json.getBytes(StandardCharsets.UTF_8));
        return new Answer(((Number) answer.get("statusCode")).intValue(),
            (String) answer.get("body"));
      }

      @Override
      public int pushoverAcknowledges(PushoverStandIn.Server pushover, String receipt)
          throws Exception {
        // Pushover cannot reach a test's Function URL: acknowledged there, its callback then
        // arrives as the Function URL would hand it over.
        pushover.acknowledgeWithoutCallback(receipt, PushoverStandIn.USER_KEY, "pixel-7");
        String callback = pushover.receipt(receipt).orElseThrow().message().get("callback");
        return send("POST", callback.substring(publicUrl().length()),
            Map.of("Content-Type", "application/x-www-form-urlencoded"),
            pushover.callbackForm(receipt)).status();
      }
    };
  }

  static Stream<Arguments> fronts() {
    return Stream.of(Arguments.of("served"), Arguments.of("functionUrl"));
  }

  Front front(String which) throws IOException {
    return which.equals("served") ? served() : functionUrl();
  }

  static String alert(String status, String fingerprint) {
    return "{\"severity\":\"critical\",\"source\":\"cabal/imap\",\"summary\":\"IMAP down on"
        + " mail-1\",\"fingerprint\":\"" + fingerprint + "\",\"status\":\"" + status + "\"}";
  }

  Answer fire(Front front, String status, String fingerprint) throws Exception {
    return front.send("POST", "/", Map.of("X-Alert-Secret", SECRET,
        "Content-Type", "application/json"), alert(status, fingerprint));
  }

  List<String> ntfyBodies() {
    List<LoggedRequest> requests = new ArrayList<>();
    ntfy.getAllServeEvents().forEach(e -> requests.add(e.getRequest()));
    requests.sort((a, b) -> a.getLoggedDate().compareTo(b.getLoggedDate()));
    List<String> bodies = new ArrayList<>();
    requests.forEach(r -> bodies.add(r.getBodyAsString()));
    return bodies;
  }

  static final Pattern SEQUENCE_ID = Pattern.compile("\"sequence_id\":\"([^\"]+)\"");

  /** The sequence ID a published message carries. */
  static String sequenceId(String body) {
    Matcher m = SEQUENCE_ID.matcher(body);
    assertTrue(m.find(), body);
    return m.group(1);
  }

  /** The token (or path) with the first character of its MAC changed: a guess at the MAC. */
  static String forge(String token) {
    int at = token.lastIndexOf('.') + 1;
    return token.substring(0, at) + (token.charAt(at) == 'A' ? 'B' : 'A')
        + token.substring(at + 1);
  }

  /** The path of the Acknowledge button of the first ntfy message. */
  String ackPath(Front front) {
    Matcher m = ACK_BUTTON.matcher(ntfyBodies().get(0));
    assertTrue(m.find(), ntfyBodies().get(0));
    assertTrue(m.group(1).startsWith(front.publicUrl() + "/ack/"), m.group(1));
    return m.group(1).substring(front.publicUrl().length());
  }

  Answer post(Front front, String path) throws Exception {
    return front.send("POST", path, Map.of(), null);
  }

  String onlyReceipt() {
    assertEquals(1, pushover.receipts().size());
    return pushover.receipts().get(0);
  }

  @ParameterizedTest
  @MethodSource("fronts")
  void acknowledgedOnPushoverThenTheNtfyNotificationIsReplacedOnce(String which)
      throws Exception {
    Front front = front(which);
    assertEquals(204, fire(front, "firing", "imap-1").status());
    String receipt = onlyReceipt();
    Map<String, String> page = pushover.messages().get(0);
    assertEquals("2", page.get("priority"));
    assertTrue(page.get("callback").startsWith(front.publicUrl() + "/ack/pushover/"),
        page.get("callback"));
    assertEquals(1, ntfyBodies().size());

    assertEquals(200, front.pushoverAcknowledges(pushover, receipt));
    List<String> ntfy = ntfyBodies();
    assertEquals(2, ntfy.size());
    String replacement = ntfy.get(1);
    String sid = sequenceId(ntfy.get(0));
    assertTrue(sid.endsWith("-critical"), ntfy.get(0));
    assertTrue(replacement.contains("\"sequence_id\":\"" + sid + "\""), replacement);
    assertTrue(replacement.contains("Acknowledged by pixel-7 at "), replacement);
    assertTrue(replacement.contains("\"priority\":2"), replacement);
    assertEquals(1, pushover.receipt(receipt).orElseThrow().polls());
    Answer state = front.send("GET", ackPath(front), Map.of(), null);
    assertEquals(200, state.status());
    assertTrue(state.body().contains("\"state\":\"acknowledged\""), state.body());

    // Pushover calling back again (or the ntfy button after it): 200, nothing more happens.
    String callback = page.get("callback").substring(front.publicUrl().length());
    Answer again = front.send("POST", callback,
        Map.of("Content-Type", "application/x-www-form-urlencoded"),
        pushover.callbackForm(receipt));
    assertEquals(200, again.status());
    assertTrue(again.body().contains("already acknowledged"), again.body());
    assertEquals(200, post(front, ackPath(front)).status());
    assertEquals(2, ntfyBodies().size());
    assertEquals(1, pushover.receipt(receipt).orElseThrow().polls());
    assertFalse(pushover.receipt(receipt).orElseThrow().cancelled());
  }

  @ParameterizedTest
  @MethodSource("fronts")
  void acknowledgedOnNtfyCancelsThePushoverEmergencyByReceiptOnce(String which)
      throws Exception {
    Front front = front(which);
    assertEquals(204, fire(front, "firing", "imap-2").status());
    String receipt = onlyReceipt();
    String ack = ackPath(front);

    Answer first = post(front, ack);
    assertEquals(200, first.status(), first.body());
    assertTrue(first.body().contains("\"acknowledged\""), first.body());
    assertTrue(pushover.receipt(receipt).orElseThrow().cancelled());
    List<String> ntfy = ntfyBodies();
    assertEquals(2, ntfy.size());
    assertTrue(ntfy.get(1).contains("Acknowledged by ntfy at "), ntfy.get(1));
    assertEquals(sequenceId(ntfy.get(0)), sequenceId(ntfy.get(1)));

    Answer second = post(front, ack);
    assertEquals(200, second.status());
    assertTrue(second.body().contains("already acknowledged"), second.body());
    assertEquals(2, ntfyBodies().size());
  }

  @ParameterizedTest
  @MethodSource("fronts")
  void aFloodOfForgedTokensDoesNotStarveTheRealButton(String which) throws Exception {
    Front front = front(which);
    assertEquals(204, fire(front, "firing", "imap-3").status());
    String receipt = onlyReceipt();
    String ack = ackPath(front);
    String forged = forge(ack);

    // More than the bucket holds (AckRateLimit.BURST): all refused by the MAC alone.
    for (int i = 0; i < 3 * AckRateLimit.BURST; i++) {
      assertEquals(403, post(front, forged).status());
    }
    Answer real = post(front, ack);

    assertEquals(200, real.status(), real.body());
    assertTrue(real.body().contains("\"acknowledged\""), real.body());
    assertTrue(pushover.receipt(receipt).orElseThrow().cancelled());
  }

  @ParameterizedTest
  @MethodSource("fronts")
  void aGetDescribesTheTokenAndChangesNothing(String which) throws Exception {
    Front front = front(which);
    fire(front, "firing", "imap-3");
    String ack = ackPath(front);
    Answer described = front.send("GET", ack, Map.of(), null);
    assertEquals(200, described.status());
    assertTrue(described.body().contains("\"state\":\"firing\""), described.body());
    assertTrue(described.body().contains("\"action\":\"acknowledge\""), described.body());
    assertFalse(pushover.receipt(onlyReceipt()).orElseThrow().cancelled());
    assertEquals(1, ntfyBodies().size());
    assertEquals(404, front.send("PUT", ack, Map.of(), "").status());
    // The POST after it is the first acknowledgement.
    assertTrue(post(front, ack).body().contains("\"acknowledged\""));
  }

  @ParameterizedTest
  @MethodSource("fronts")
  void forgedExpiredMisdirectedAndReplayedTokensChangeNothing(String which) throws Exception {
    Front front = front(which);
    fire(front, "firing", "imap-4");
    String ack = ackPath(front);
    String token = ack.substring("/ack/".length());
    String[] parts = token.split("\\.");
    byte[] key = ACK_KEY.getBytes(StandardCharsets.UTF_8);
    long expires = Long.parseLong(parts[2]);

    String forged = forge(token);
    String otherAlert = parts[0].replace(parts[0].charAt(0), parts[0].charAt(0) == 'a' ? 'b'
        : 'a') + token.substring(parts[0].length());
    String expired = new AckToken(AckToken.Action.ACKNOWLEDGE, parts[0], Severity.CRITICAL,
        Instant.now().getEpochSecond() - 1, "").mint(key);
    String silenceToken = new AckToken(AckToken.Action.SILENCE, parts[0], Severity.CRITICAL,
        expires, "").mint(key);
    String underAnotherKey = new AckToken(AckToken.Action.ACKNOWLEDGE, parts[0],
        Severity.CRITICAL, expires, "").mint("another-key-of-32-characters!!!!".getBytes(
            StandardCharsets.UTF_8));
    for (String bad : List.of(forged, otherAlert, expired, silenceToken, underAnotherKey,
        "not-a-token", parts[0] + ".critical." + expires + "..")) {
      Answer answer = post(front, "/ack/" + bad);
      assertEquals(403, answer.status(), bad);
      assertEquals(403, front.send("GET", "/ack/" + bad, Map.of(), null).status(), bad);
      assertFalse(answer.body().contains("expired") || answer.body().contains("mac"),
          answer.body());
    }
    // A token made for an alert that is not firing: nothing to act on.
    String quiet = new AckToken(AckToken.Action.ACKNOWLEDGE, "b41e0c2d9a7f3e18",
        Severity.CRITICAL, expires, "").mint(key);
    assertEquals(404, post(front, "/ack/" + quiet).status());
    assertFalse(pushover.receipt(onlyReceipt()).orElseThrow().cancelled());
    assertEquals(1, ntfyBodies().size());

    // After the recovery, the page's token is a replay: nothing to acknowledge.
    assertEquals(204, fire(front, "resolved", "imap-4").status());
    int afterRecovery = ntfyBodies().size();
    assertEquals(404, post(front, ack).status());
    assertEquals(afterRecovery, ntfyBodies().size());
  }

  @ParameterizedTest
  @MethodSource("fronts")
  void aTokenOfAnEarlierIncidentDoesNotAcknowledgeTheNextOne(String which) throws Exception {
    Front front = front(which);
    fire(front, "firing", "imap-5");
    String ack = ackPath(front);
    fire(front, "resolved", "imap-5");
    // More than the 2 s a token may precede its delivery's claim.
    Thread.sleep(Acknowledgements.MINTED_BEFORE_CLAIM.toMillis() + 1_100);
    assertEquals(204, fire(front, "firing", "imap-5").status());
    int sent = ntfyBodies().size();
    assertEquals(403, post(front, ack).status());
    assertEquals(sent, ntfyBodies().size());
    assertEquals(2, pushover.receipts().size());
    assertFalse(pushover.receipt(pushover.receipts().get(1)).orElseThrow().cancelled());
  }

  @ParameterizedTest
  @MethodSource("fronts")
  void aCallbackPushoverDoesNotConfirmRecordsNothing(String which) throws Exception {
    Front front = front(which);
    fire(front, "firing", "imap-6");
    String receipt = onlyReceipt();
    String callback = pushover.messages().get(0).get("callback")
        .substring(front.publicUrl().length());
    Map<String, String> form = Map.of("Content-Type", "application/x-www-form-urlencoded");

    // A receipt the ledger does not hold for that alert.
    assertEquals(404, front.send("POST", callback, form, "receipt=u4xQ2ZsVd3n1Lw9Kq8RtYp0aMcEbHf"
        + "&acknowledged=1&acknowledged_at=1&acknowledged_by=x&acknowledged_by_device=d")
        .status());
    // The right receipt, but Pushover's receipts API says acknowledged=0.
    assertEquals(403, front.send("POST", callback, form, "receipt=" + receipt
        + "&acknowledged=1&acknowledged_at=1&acknowledged_by=x&acknowledged_by_device=evil")
        .status());
    // No receipt at all, or a claim of no acknowledgement.
    assertEquals(403, front.send("POST", callback, form, "acknowledged=1").status());
    assertEquals(403, front.send("POST", callback, form, "receipt=" + receipt
        + "&acknowledged=0").status());
    assertEquals(1, ntfyBodies().size());
    Answer state = front.send("GET", ackPath(front), Map.of(), null);
    assertTrue(state.body().contains("\"state\":\"firing\""), state.body());
    assertNotNull(pushover.receipt(receipt).orElseThrow());
  }
}
