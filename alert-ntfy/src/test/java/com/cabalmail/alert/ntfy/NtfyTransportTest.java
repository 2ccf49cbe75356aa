package com.cabalmail.alert.ntfy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cabalmail.alert.Alert;
import com.cabalmail.alert.Labels;
import com.cabalmail.alert.Outcome;
import com.cabalmail.alert.Severity;
import com.cabalmail.alert.testkit.CapturedLogs;
import com.cabalmail.alert.testkit.ManualTicker;
import com.cabalmail.alert.testkit.StandInServer;
import com.cabalmail.alert.testkit.NtfyStandIn;
import com.cabalmail.alert.testkit.WarmUp;
import com.cabalmail.http.Deadline;
import com.cabalmail.http.HttpDelivery;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** ntfy-specific behaviour over real HTTP: a WireMock server answers as ntfy v2.13 does. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NtfyTransportTest {

  private static final Duration BUDGET = Duration.ofSeconds(7);
  private static final URI RUNBOOK =
      URI.create("https://github.com/cabalmail/cabal-infra/blob/main/docs/operations/runbooks/imap.md");

  private WireMockServer server;
  private ManualTicker ticker;

  @BeforeAll
  void startNtfy() throws Exception {
    server = new WireMockServer(options().dynamicPort());
    server.start();
    WarmUp.exchangeOnce(server.baseUrl());
  }

  @AfterAll
  void stopNtfy() {
    server.stop();
  }

  @BeforeEach
  void reset() {
    server.resetAll();
    ticker = new ManualTicker();
    CapturedLogs.clear();
  }

  private Outcome deliver(Alert alert, int priority, String... settings) {
    return deliver(alert, priority, BUDGET, settings);
  }

  private Outcome deliver(Alert alert, int priority, Duration budget, String... settings) {
    NtfyTransport transport = NtfyFixtures.transport(
        NtfyFixtures.settings(URI.create(server.baseUrl()), settings), HttpDelivery.create(ticker));
    return transport.deliver(alert, priority, Deadline.after(budget, ticker));
  }

  private void answer(ResponseDefinitionBuilder answer) {
    server.stubFor(post(urlEqualTo("/")).willReturn(answer));
  }

  private void answerInTurn(ResponseDefinitionBuilder first, ResponseDefinitionBuilder then) {
    StandInServer.answerInTurn(server, () -> post(urlEqualTo("/")), first, then);
  }

  /**
   * The request that was answered last. (On a machine so loaded that an attempt outlives its
   * 2.5 s timeout there are two, with the same body.)
   */
  private LoggedRequest lastRequest() {
    List<LoggedRequest> requests = server.findAll(postRequestedFor(urlEqualTo("/")));
    assertFalse(requests.isEmpty(), "no request was sent");
    return requests.get(requests.size() - 1);
  }

  private Map<String, Object> sentJson() {
    return SentJson.object(lastRequest().getBody());
  }

  private static Alert imapDown() {
    return Alert.firing(Severity.CRITICAL, "kuma/IMAP reachable", "IMAP on mail-1 is not answering")
        .withRunbook(RUNBOOK)
        .withLabel("instance", "mail-1.cabal.internal:993")
        .withLabel("service", "mail")
        .withLabel("cluster", "cabal-prod");
  }

  // --- what is sent -------------------------------------------------------------------------

  @Test
  void criticalAlertIsPublishedAsJsonToTheServerRootWithEveryField() {
    answer(NtfyStandIn.stored());

    Outcome outcome = deliver(imapDown(), 5);

    assertEquals(Outcome.Kind.SENT, outcome.kind(), outcome.detail());
    assertEquals(NtfyStandIn.MESSAGE_ID, outcome.messageId().orElseThrow());
    assertEquals(1, outcome.attempts());
    LoggedRequest request = lastRequest();
    assertEquals("application/json", request.getHeader("Content-Type"));
    assertEquals("Bearer " + NtfyStandIn.TOKEN, request.getHeader("Authorization"));
    Map<String, Object> sent = SentJson.object(request.getBody());
    assertEquals(List.of("topic", "sequence_id", "title", "message", "priority", "tags", "click",
        "actions"), List.copyOf(sent.keySet()));
    assertEquals("alerts", sent.get("topic"));
    assertEquals(imapDown().scopeToken() + "-critical", sent.get("sequence_id"));
    assertEquals("[CRITICAL] kuma/IMAP reachable", sent.get("title"));
    assertEquals("IMAP on mail-1 is not answering", sent.get("message"));
    assertEquals(5L, sent.get("priority"));
    assertEquals(List.of("rotating_light", "instance=mail-1.cabal.internal:993", "service=mail"),
        sent.get("tags"));
    assertEquals(RUNBOOK.toString(), sent.get("click"));
    assertEquals(List.of(Map.of("action", "view", "label", "Runbook", "url", RUNBOOK.toString())),
        sent.get("actions"));
  }

  @Test
  void emojiCjkAndRightToLeftTitleArrivesByteIdentical() {
    answer(NtfyStandIn.stored());
    String source = "kuma/🚨 東京の IMAP ✓ שלום עולם مرحبا 👨‍👩‍👧 e\u0301";
    String summary = "Zürich: 接続が拒否されました — השרת לא עונה 🔥";

    Outcome outcome = deliver(Alert.firing(Severity.CRITICAL, source, summary), 5);

    assertEquals(Outcome.Kind.SENT, outcome.kind(), outcome.detail());
    byte[] body = lastRequest().getBody();
    Map<String, Object> sent = SentJson.object(body);
    assertEquals("[CRITICAL] " + source, sent.get("title"));
    assertEquals(summary, sent.get("message"));
    assertTrue(contains(body, ("\"[CRITICAL] " + source + "\"").getBytes(StandardCharsets.UTF_8)),
        "the title's UTF-8 bytes appear unescaped and unchanged in the body");
    assertTrue(contains(body, ("\"" + summary + "\"").getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void resolvedAlertIsMarkedResolvedWithACheckMarkAtTheRoutesPriority() {
    answer(NtfyStandIn.stored());

    Outcome outcome = deliver(Alert.resolved(Severity.CRITICAL, "kuma/IMAP reachable",
        "IMAP on mail-1 answers again").withRunbook(RUNBOOK), 3);

    assertEquals(Outcome.Kind.SENT, outcome.kind(), outcome.detail());
    Map<String, Object> sent = sentJson();
    assertEquals("[RESOLVED] kuma/IMAP reachable", sent.get("title"));
    assertEquals("IMAP on mail-1 answers again", sent.get("message"));
    assertEquals(3L, sent.get("priority"));
    assertEquals(List.of("white_check_mark"), sent.get("tags"));
  }

  @Test
  void warningGoesToItsOwnTopicWithItsOwnTags() {
    answer(NtfyStandIn.stored());

    deliver(Alert.firing(Severity.WARNING, "alertmanager/DovecotAuthFailuresHigh",
            "IMAP auth failures at 7.2/s"), 3,
        "NTFY_TOPIC_WARNING", "alerts-warning", "NTFY_TAGS_WARNING", "warning, lock");

    Map<String, Object> sent = sentJson();
    assertEquals("alerts-warning", sent.get("topic"));
    assertEquals("[WARNING] alertmanager/DovecotAuthFailuresHigh", sent.get("title"));
    assertEquals(List.of("warning", "lock"), sent.get("tags"), "no label tags: none set");
    assertEquals(3L, sent.get("priority"));
    assertFalse(sent.containsKey("click"), "no runbook, no click");
    assertFalse(sent.containsKey("actions"));
    assertFalse(sent.containsKey("markdown"));
  }

  @Test
  void labelTagsFollowTheSettingAndNeverHoldACommaNtfyWouldSplitOn() {
    answer(NtfyStandIn.stored());

    deliver(imapDown().withLabel("service", "mail,imap").withLabel("job", "dovecot"), 5,
        "NTFY_LABEL_TAGS", "job,service,absent");

    assertEquals(List.of("rotating_light", "job=dovecot", "service=mail imap"),
        sentJson().get("tags"));
  }

  @Test
  void markdownIsSentOnlyWhenEnabled() {
    answer(NtfyStandIn.stored());

    deliver(imapDown(), 5, "NTFY_MARKDOWN", "true");

    assertEquals(Boolean.TRUE, sentJson().get("markdown"));
  }

  @Test
  void grafanaLinksBecomeViewActionsAfterTheRunbookAtMostThree() {
    answer(NtfyStandIn.stored());
    String dashboard = "https://grafana.cabal.example/d/mail?orgId=1";
    String silence = "https://grafana.cabal.example/alerting/silence/new?matcher=alertname%3DImap";
    Alert alert = imapDown()
        .withLabel(Labels.DASHBOARD_URL, dashboard)
        .withLabel(Labels.SILENCE_URL, silence)
        .withLabel(Labels.PANEL_URL, "https://grafana.cabal.example/d/mail?viewPanel=2");

    deliver(alert, 5);

    Map<String, Object> sent = sentJson();
    assertEquals(RUNBOOK.toString(), sent.get("click"));
    assertEquals(List.of(
            Map.of("action", "view", "label", "Runbook", "url", RUNBOOK.toString()),
            Map.of("action", "view", "label", "Dashboard", "url", dashboard),
            Map.of("action", "view", "label", "Panel", "url",
                "https://grafana.cabal.example/d/mail?viewPanel=2")),
        sent.get("actions"));
    assertFalse(sent.toString().contains(silence), "the panel outranks the silence page");
  }

  @Test
  void withoutRunbookTheDashboardIsTheClick() {
    answer(NtfyStandIn.stored());
    String dashboard = "https://grafana.cabal.example/d/mail?orgId=1";

    deliver(Alert.firing(Severity.CRITICAL, "grafana/Mail queue", "queue high")
        .withLabel(Labels.DASHBOARD_URL, dashboard), 5);

    Map<String, Object> sent = sentJson();
    assertEquals(dashboard, sent.get("click"));
    assertEquals(List.of(Map.of("action", "view", "label", "Dashboard", "url", dashboard)),
        sent.get("actions"));
  }

  @Test
  void nonHttpRunbookIsWrittenIntoTheMessageNotSentAsALink() {
    answer(NtfyStandIn.stored());
    Alert alert = Alert.firing(Severity.CRITICAL, "kuma/IMAP reachable", "IMAP down")
        .withRunbook(URI.create("file:///srv/runbooks/imap.md"))
        .withLabel(Labels.DASHBOARD_URL, "javascript:alert(1)");

    Outcome outcome = deliver(alert, 5);

    assertEquals(Outcome.Kind.SENT, outcome.kind(), outcome.detail());
    Map<String, Object> sent = sentJson();
    assertFalse(sent.containsKey("click"), "ntfy refuses a non-http(s) click with 40013");
    assertFalse(sent.containsKey("actions"));
    assertEquals("IMAP down\n\nRunbook: file:///srv/runbooks/imap.md\n"
        + "Dashboard: javascript:alert(1)", sent.get("message"));
  }

  @Test
  void truncatedAlertsAreCountedInTheMessage() {
    answer(NtfyStandIn.stored());

    deliver(imapDown().withLabel(Labels.TRUNCATED_ALERTS, "3"), 5);

    assertEquals("IMAP on mail-1 is not answering\n\n+3 alerts not shown", sentJson().get("message"));
  }

  @Test
  void controlCharactersAreReplacedTheSameWayEveryTime() {
    answer(NtfyStandIn.stored());

    deliver(Alert.firing(Severity.CRITICAL, "kuma/two\r\nlines\tand\u0000nul",
        "a\u0000b\r\nc\rd\te\u0007f\u007f\u0085g\uD800h"), 5, "NTFY_LABEL_TAGS", "none");

    Map<String, Object> sent = sentJson();
    assertEquals("[CRITICAL] kuma/two lines and\uFFFDnul", sent.get("title"));
    assertEquals("a\uFFFDb\nc\nd\te\uFFFDf\uFFFD\ng\uFFFDh", sent.get("message"));
  }

  @Test
  void tenThousandByteSummaryIsCutToTheMessageLimitOnACodePointWithAMarker() {
    answer(NtfyStandIn.stored());
    StringBuilder text = new StringBuilder();
    while (text.toString().getBytes(StandardCharsets.UTF_8).length < 10_000) {
      text.append("disk é 東 🚨 ");
    }
    String summary = text.toString();

    Outcome outcome = deliver(imapDown().withSummary(summary)
        .withLabel(Labels.TRUNCATED_ALERTS, "12"), 5);

    assertEquals(Outcome.Kind.SENT, outcome.kind(), outcome.detail());
    byte[] body = lastRequest().getBody();
    assertTrue(body.length <= NtfyMessage.MAX_JSON_BYTES, body.length + " bytes of JSON");
    String message = (String) SentJson.object(body).get("message");
    byte[] messageBytes = message.getBytes(StandardCharsets.UTF_8);
    assertTrue(messageBytes.length <= 4096, messageBytes.length + " bytes");
    assertTrue(messageBytes.length > 4096 - 4, "cut no shorter than needed: " + messageBytes.length);
    assertValidUtf8(messageBytes);
    String note = "\n\n+12 alerts not shown";
    assertTrue(message.endsWith("…" + note), "marker then the kept note");
    String kept = message.substring(0, message.length() - note.length() - 1);
    assertTrue(summary.startsWith(kept), "the message is the summary's beginning");
  }

  @Test
  void bodyFullOfCharactersJsonEscapesStaysWithinNtfysJsonLimit() {
    answer(NtfyStandIn.stored());
    String quotes = "\"\\".repeat(5_000);
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("instance", "\"".repeat(200));
    labels.put("service", "\\".repeat(200));
    labels.put(Labels.DASHBOARD_URL, "https://grafana.cabal.example/d/" + "x".repeat(950));
    labels.put(Labels.SILENCE_URL, "https://grafana.cabal.example/s/" + "y".repeat(950));
    labels.put(Labels.TRUNCATED_ALERTS, "7");
    Alert alert = Alert.firing(Severity.CRITICAL, "kuma/" + quotes, quotes)
        .withRunbook(URI.create("https://runbooks.cabal.example/" + "z".repeat(950)))
        .withLabels(labels);

    Outcome outcome = deliver(alert, 5);

    assertEquals(Outcome.Kind.SENT, outcome.kind(), outcome.detail());
    byte[] body = lastRequest().getBody();
    assertTrue(body.length <= 8192, body.length + " bytes of JSON");
    Map<String, Object> sent = SentJson.object(body);
    String title = (String) sent.get("title");
    assertTrue(title.getBytes(StandardCharsets.UTF_8).length <= NtfyMessage.MAX_TITLE_BYTES);
    assertTrue(title.endsWith("…"), title);
    String message = (String) sent.get("message");
    assertTrue(message.endsWith("…\n\n+7 alerts not shown"), message);
    assertTrue(message.length() > 1_000, "the summary still has room: " + message.length() + " " + body.length);
    assertEquals(3, ((List<?>) sent.get("actions")).size());
  }

  @Test
  void basicAuthIsSentWhenUserAndPasswordAreGiven() {
    answer(NtfyStandIn.stored());

    deliver(imapDown(), 5, "NTFY_TOKEN", null, "NTFY_USER", "alerts", "NTFY_PASSWORD", "pässwörd");

    String expected = "Basic " + Base64.getEncoder()
        .encodeToString("alerts:pässwörd".getBytes(StandardCharsets.UTF_8));
    assertEquals(expected, lastRequest().getHeader("Authorization"));
  }

  @Test
  void withoutCredentialsNoAuthorizationHeaderIsSent() {
    answer(NtfyStandIn.stored());

    deliver(imapDown(), 5, "NTFY_TOKEN", null);

    server.verify(postRequestedFor(urlEqualTo("/")).withHeader("Authorization", absent()));
  }

  @Test
  void baseUrlWithAPathPublishesToThatPathsRoot() {
    server.stubFor(post(urlEqualTo("/ntfy/")).willReturn(NtfyStandIn.stored()));

    Outcome outcome = deliver(imapDown(), 5, "NTFY_BASE_URL", server.baseUrl() + "/ntfy");

    assertEquals(Outcome.Kind.SENT, outcome.kind(), outcome.detail());
  }

  @Test
  void priorityOutsideOneToFiveIsRejectedWithoutARequest() {
    Outcome outcome = deliver(imapDown(), 6);

    assertEquals(Outcome.Kind.REJECTED, outcome.kind());
    assertEquals(0, outcome.attempts());
    assertEquals(0, server.getAllServeEvents().size());
  }

  // --- what ntfy answers ----------------------------------------------------------------------

  @Test
  void badTokenIsRejectedAtOnceWithNtfysErrorText() {
    answer(NtfyStandIn.unauthorized());

    Outcome outcome = deliver(imapDown(), 5);

    assertEquals(Outcome.Kind.REJECTED, outcome.kind());
    assertEquals(1, outcome.attempts());
    assertEquals("HTTP 401, unauthorized (40101) publishing to topic 'alerts'", outcome.detail());
  }

  @Test
  void forbiddenTopicIsRejectedAtOnce() {
    answer(NtfyStandIn.forbidden());

    Outcome outcome = deliver(imapDown(), 5);

    assertEquals(Outcome.Kind.REJECTED, outcome.kind());
    assertEquals(1, outcome.attempts());
    assertEquals("HTTP 403, forbidden (40301) publishing to topic 'alerts'", outcome.detail());
  }

  @Test
  void tooLargeIsRejectedAtOnce() {
    answer(NtfyStandIn.jsonTooLarge());

    Outcome outcome = deliver(imapDown(), 5);

    assertEquals(Outcome.Kind.REJECTED, outcome.kind());
    assertEquals(1, outcome.attempts());
    assertEquals("HTTP 413, JSON body too large (41303)", outcome.detail());
  }

  @Test
  void rateLimitedThenStoredIsSentAfterABackoff() {
    answerInTurn(NtfyStandIn.tooManyRequests(), NtfyStandIn.stored());

    Outcome outcome = deliver(imapDown(), 5);

    assertEquals(Outcome.Kind.SENT, outcome.kind(), outcome.detail());
    assertEquals(2, outcome.attempts());
    assertEquals(1, ticker.sleeps().size(), "one virtual wait: " + ticker.sleeps());
  }

  @Test
  void rateLimitedEveryTimeFailsAsRateLimited() {
    answer(NtfyStandIn.tooManyRequests());

    Outcome outcome = deliver(imapDown(), 5);

    assertEquals(Outcome.Kind.FAILED, outcome.kind());
    assertEquals(4, outcome.attempts(), "the standard policy's attempts");
    assertTrue(outcome.detail().startsWith("rate limited (42901): limit reached: too many"
        + " requests"), outcome.detail());
  }

  @Test
  void dailyQuotaUsedUpIsRejectedAndNotRetried() {
    answer(aResponse().withStatus(429).withHeader("Content-Type", "application/json")
        .withBody("{\"code\":42908,\"http\":429,\"error\":\"limit reached: daily message"
            + " quota reached\",\"link\":\"https://ntfy.sh/docs/publish/#limitations\"}"));

    Outcome outcome = deliver(imapDown(), 5);

    assertEquals(Outcome.Kind.REJECTED, outcome.kind(), outcome.detail());
    assertEquals(1, outcome.attempts(), "a quota that lasts all day is not retried");
    assertEquals(1, server.findAll(postRequestedFor(urlEqualTo("/"))).size());
    assertTrue(outcome.detail().startsWith("ntfy's daily message quota is used up (42908: limit"
        + " reached: daily message quota reached); not retried"), outcome.detail());
  }

  @Test
  void internalErrorThenStoredIsSent() {
    answerInTurn(NtfyStandIn.internalError(), NtfyStandIn.stored());

    Outcome outcome = deliver(imapDown(), 5);

    assertEquals(Outcome.Kind.SENT, outcome.kind(), outcome.detail());
    assertEquals(2, outcome.attempts());
  }

  @Test
  void internalErrorEveryTimeFailsWithNtfysText() {
    answer(NtfyStandIn.internalError());

    Outcome outcome = deliver(imapDown(), 5);

    assertEquals(Outcome.Kind.FAILED, outcome.kind());
    assertEquals("HTTP 500, internal server error (50001); gave up after 4 attempts",
        outcome.detail());
  }

  @Test
  void hangPastTheDeadlineFailsInTime() {
    answer(NtfyStandIn.stored().withFixedDelay(10_000));
    long started = System.nanoTime();

    Outcome outcome = deliver(imapDown(), 5, Duration.ofMillis(800));

    long tookMs = (System.nanoTime() - started) / 1_000_000;
    assertEquals(Outcome.Kind.FAILED, outcome.kind());
    assertTrue(outcome.detail().contains("timed out"), outcome.detail());
    assertTrue(tookMs < 3_000, "an 0.8 s budget took " + tookMs + " ms");
  }

  @Test
  void hungAttemptLeavesRoomForARetryInTheDefaultBudget() {
    answerInTurn(NtfyStandIn.stored().withFixedDelay(10_000), NtfyStandIn.stored());

    Outcome outcome = deliver(imapDown(), 5, Duration.ofSeconds(7));

    assertEquals(Outcome.Kind.SENT, outcome.kind(), outcome.detail());
    assertEquals(2, outcome.attempts());
  }

  @Test
  void connectionResetEveryTimeFails() {
    answer(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));

    Outcome outcome = deliver(imapDown(), 5);

    assertEquals(Outcome.Kind.FAILED, outcome.kind());
    assertTrue(outcome.attempts() >= 2, outcome.toString());
    assertTrue(outcome.detail().startsWith("ntfy: "), outcome.detail());
  }

  @Test
  void nonJsonSuccessFailsWithAClearReason() {
    answer(aResponse().withStatus(200).withHeader("Content-Type", "text/html")
        .withBody("<html><body>Sign in to the proxy</body></html>"));

    Outcome outcome = deliver(imapDown(), 5);

    assertEquals(Outcome.Kind.FAILED, outcome.kind());
    assertEquals("ntfy answered HTTP 200 without its JSON message (text/html, 46 bytes): is"
        + " NTFY_BASE_URL the ntfy server?", outcome.detail());
  }

  @Test
  void redirectIsRejectedNamingTheSetting() {
    answer(aResponse().withStatus(301).withHeader("Location", "https://ntfy.cabal.example/"));

    Outcome outcome = deliver(imapDown(), 5);

    assertEquals(Outcome.Kind.REJECTED, outcome.kind());
    assertTrue(outcome.detail().contains("NTFY_BASE_URL"), outcome.detail());
  }

  @Test
  void bearerTokenNeverAppearsInOutcomesOrLogs() {
    // A misbehaving proxy in front of ntfy echoes the Authorization header in its error text.
    answer(NtfyStandIn.error(401, 40101, "bad header Bearer " + NtfyStandIn.TOKEN));
    Outcome rejected = deliver(imapDown(), 5);
    answer(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
    Outcome failed = deliver(imapDown(), 5);
    answer(NtfyStandIn.stored());
    Outcome sent = deliver(imapDown(), 5);

    assertEquals(Outcome.Kind.REJECTED, rejected.kind());
    assertTrue(rejected.detail().contains("<redacted>"), rejected.detail());
    String everything = rejected + "\n" + failed + "\n" + sent + "\n" + CapturedLogs.text();
    assertFalse(everything.contains(NtfyStandIn.TOKEN), everything);
    assertFalse(everything.contains(NtfyStandIn.TOKEN.substring(3)), everything);
  }

  @Test
  void basicCredentialsNeverAppearInOutcomes() {
    String basic = Base64.getEncoder()
        .encodeToString("alerts:pässwörd".getBytes(StandardCharsets.UTF_8));
    answer(NtfyStandIn.error(403, 40301, "no write access for Basic " + basic + " (pässwörd)"));

    Outcome outcome = deliver(imapDown(), 5,
        "NTFY_TOKEN", null, "NTFY_USER", "alerts", "NTFY_PASSWORD", "pässwörd");

    assertEquals(Outcome.Kind.REJECTED, outcome.kind());
    assertFalse(outcome.detail().contains(basic), outcome.detail());
    assertFalse(outcome.detail().contains("pässwörd"), outcome.detail());
    assertFalse(CapturedLogs.text().contains("pässwörd"));
  }

  @Test
  void transportDescribesItselfWithoutTheToken() {
    NtfyTransport transport = NtfyFixtures.transport(
        NtfyFixtures.settings(URI.create(server.baseUrl())), HttpDelivery.create(ticker));

    assertFalse(transport.toString().contains(NtfyStandIn.TOKEN), transport.toString());
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  private static void assertValidUtf8(byte[] bytes) {
    try {
      StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes));
    } catch (CharacterCodingException e) {
      throw new AssertionError("not valid UTF-8", e);
    }
    assertArrayEquals(bytes, new String(bytes, StandardCharsets.UTF_8)
        .getBytes(StandardCharsets.UTF_8));
  }
}
