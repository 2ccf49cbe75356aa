package com.cabalmail.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cabalmail.alert.testkit.CapturedLogs;
import com.cabalmail.alert.testkit.NtfyStandIn;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An incident on the phone through the served sink and through Function URL events, over real
 * HTTP: ntfy is {@link NtfyStandIn} (2.16, or a server before it) on a clock the test moves,
 * Pushover a WireMock stand-in. Firing then resolved leaves one notification; delete mode
 * leaves none; an old server is reported once and never asked again; an unanswered critical
 * alert escalates when the held message falls due, and its recovery withdraws it first; a
 * warning inside quiet hours is held back and its recovery withdraws it, while a critical
 * alert inside them is shown at once.
 */
class NtfyIncidentOverHttpTest {

  static final String SECRET = "ntfy-incident-secret-0123456789";

  @RegisterExtension
  final ProviderStubs stubs = new ProviderStubs();

  private final HttpClient client = HttpClient.newHttpClient();
  private LocalServer server;
  private SinkHandler handler;
  private NtfyStandIn ntfy;

  /** The two forms the sink is reached in. */
  enum Form { SERVED, FUNCTION_URL }

  @BeforeEach
  void start() {
    CapturedLogs.clear();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    if (ntfy != null) {
      ntfy.close();
    }
  }

  void serve(Form form, NtfyStandIn.Version version, String... extra) throws IOException {
    ntfy = NtfyStandIn.start(version);
    Map<String, String> env = new HashMap<>(stubs.settings());
    env.put("NTFY_BASE_URL", ntfy.baseUrl().toString());
    env.put("ALERT_SECRET", SECRET);
    for (int i = 0; i < extra.length; i += 2) {
      env.put(extra[i], extra[i + 1]);
    }
    Sink sink = SinkSetup.create(env, SinkSetup.SSM, getClass().getClassLoader(), null);
    if (form == Form.SERVED) {
      server = LocalServer.start(sink, 0);
    } else {
      handler = new SinkHandler(sink);
    }
  }

  /** The status and body of one POST. */
  record Answer(int status, String body) {}

  Answer post(Form form, String body) throws Exception {
    if (form == Form.SERVED) {
      HttpResponse<String> r = client.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + server.port() + "/"))
          .header("X-Alert-Secret", SECRET).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
          HttpResponse.BodyHandlers.ofString());
      return new Answer(r.statusCode(), r.body());
    }
    Map<String, Object> r = SinkHandlerEventsTest.invoke(handler, FunctionUrlEvent.post("/")
        .header("x-alert-secret", SECRET).header("content-type", "application/json")
        .text(body).bytes());
    Object text = r.get("body");
    return new Answer((Integer) r.get("statusCode"), text == null ? "" : text.toString());
  }

  static String alert(String severity, String status, String summary, String fingerprint) {
    return "{\"severity\":\"" + severity + "\",\"source\":\"kuma/IMAP\",\"summary\":\"" + summary
        + "\",\"status\":\"" + status + "\",\"fingerprint\":\"" + fingerprint + "\"}";
  }

  static String down(String severity) {
    return alert(severity, "firing", "IMAP on mail-1 is not answering", "imap-1");
  }

  static String up(String severity) {
    return alert(severity, "resolved", "IMAPS answers again", "imap-1");
  }

  /** A window around the real time now, in UTC: the sink reads quiet hours on its own clock. */
  static String quietNow() {
    LocalTime now = LocalTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES);
    return now.minusHours(2) + "-" + now.plusHours(2) + " UTC";
  }

  void assertDelivered(Answer answer) {
    assertEquals(204, answer.status(), answer.body());
  }

  @ParameterizedTest
  @EnumSource(Form.class)
  void firingThenResolvedLeavesOneNotificationThatDidNotSoundAgain(Form form) throws Exception {
    serve(form, NtfyStandIn.Version.V2_16);

    assertDelivered(post(form, down("critical")));
    assertDelivered(post(form, up("critical")));

    List<NtfyStandIn.Notification> shown = ntfy.notifications("alerts");
    assertEquals(1, shown.size(), shown.toString());
    assertEquals("[RESOLVED] kuma/IMAP", shown.get(0).title());
    assertEquals("IMAPS answers again", shown.get(0).message());
    assertEquals(1, shown.get(0).sounded());
    assertEquals(2, stubs.pushoverMessages().size(), "Pushover: the page and its recovery");
  }

  @ParameterizedTest
  @EnumSource(Form.class)
  void deleteModeLeavesNothing(Form form) throws Exception {
    serve(form, NtfyStandIn.Version.V2_16, "NTFY_ON_RESOLVED", "delete");

    assertDelivered(post(form, down("warning")));
    assertDelivered(post(form, up("warning")));

    assertEquals(List.of(), ntfy.notifications("alerts"));
    assertEquals(3, ntfy.events("alerts").size(), "firing, resolved, deleted");
  }

  @ParameterizedTest
  @EnumSource(Form.class)
  void aServerBefore216IsReportedOnceAndTheRecoveriesStillDelivered(Form form)
      throws Exception {
    serve(form, NtfyStandIn.Version.V2_15, "NTFY_ON_RESOLVED", "clear");

    assertDelivered(post(form, down("warning")));
    assertDelivered(post(form, up("warning")));
    assertDelivered(post(form, alert("warning", "firing", "IMAP slow", "imap-2")));
    assertDelivered(post(form, alert("warning", "resolved", "IMAP fast", "imap-2")));

    assertEquals(4, ntfy.notifications("alerts").size(), "a second notification, as today");
    assertEquals(1, ntfy.requests().stream().filter(r -> r.method().equals("PUT")).count(),
        ntfy.requests().toString());
    assertEquals(1, CapturedLogs.lines().stream()
        .filter(line -> line.startsWith("WARN") && line.contains("older than 2.16")).count(),
        CapturedLogs.text());
    // Both recoveries' deliveries say so in the words the OutdatedNtfy metric counts.
    assertEquals(2, CapturedLogs.lines().stream()
        .filter(line -> line.contains("status=resolved") && line.contains("transport=ntfy")
            && line.contains(EmfMetrics.OUTDATED_NTFY)).count(), CapturedLogs.text());
  }

  @ParameterizedTest
  @EnumSource(Form.class)
  void anUnansweredCriticalAlertEscalates(Form form) throws Exception {
    serve(form, NtfyStandIn.Version.V2_16,
        "ALERT_ESCALATE_AFTER", "15m", "NTFY_ESCALATE_TOPIC", "oncall-backup");

    assertDelivered(post(form, down("critical")));
    ntfy.advance(Duration.ofMinutes(14));
    assertEquals(List.of(), ntfy.notifications("oncall-backup"));
    // The sink plays no part from here on: the ntfy server holds the escalation.
    ntfy.advance(Duration.ofMinutes(1));

    List<NtfyStandIn.Notification> escalated = ntfy.notifications("oncall-backup");
    assertEquals(1, escalated.size());
    assertEquals("[ESCALATED] kuma/IMAP", escalated.get(0).title());
    assertEquals(5, escalated.get(0).priority());
  }

  @ParameterizedTest
  @EnumSource(Form.class)
  void aRecoveryBeforeTheEscalationWithdrawsIt(Form form) throws Exception {
    serve(form, NtfyStandIn.Version.V2_16,
        "ALERT_ESCALATE_AFTER", "15m", "NTFY_ESCALATE_TOPIC", "oncall-backup");

    assertDelivered(post(form, down("critical")));
    ntfy.advance(Duration.ofMinutes(5));
    assertDelivered(post(form, up("critical")));
    ntfy.advance(Duration.ofHours(1));

    assertEquals(List.of(), ntfy.notifications("oncall-backup"));
    assertEquals(List.of(), ntfy.scheduled("oncall-backup"));
    assertEquals(1, ntfy.notifications("alerts").size());
  }

  @ParameterizedTest
  @EnumSource(Form.class)
  void aQuietHoursWarningIsHeldBackThenWithdrawnByItsRecovery(Form form) throws Exception {
    serve(form, NtfyStandIn.Version.V2_16, "ALERT_QUIET_HOURS", quietNow());

    assertDelivered(post(form, down("warning")));
    assertEquals(List.of(), ntfy.notifications("alerts"), "nothing during quiet hours");
    List<NtfyStandIn.Event> held = ntfy.scheduled("alerts");
    assertEquals(1, held.size());
    assertTrue(held.get(0).time() > Instant.now().plus(Duration.ofMinutes(100)).getEpochSecond(),
        held.toString());

    assertDelivered(post(form, up("warning")));
    ntfy.advance(Duration.ofHours(3));

    assertEquals(List.of(), ntfy.notifications("alerts"), "nothing stale after quiet hours");
    assertEquals(List.of(), ntfy.scheduled("alerts"));
  }

  @ParameterizedTest
  @EnumSource(Form.class)
  void aCriticalAlertInsideQuietHoursIsShownAtOnce(Form form) throws Exception {
    serve(form, NtfyStandIn.Version.V2_16, "ALERT_QUIET_HOURS", quietNow());

    assertDelivered(post(form, down("critical")));

    assertEquals(1, ntfy.notifications("alerts").size());
    assertEquals(List.of(), ntfy.scheduled("alerts"));
  }
}
