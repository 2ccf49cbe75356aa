package com.cabalmail.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cabalmail.alert.testkit.CapturedLogs;
import com.cabalmail.alert.testkit.WarmUp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The bodies of {@code examples/deploy/tools}, rendered as the tools render them
 * ({@link ToolTemplates}) for hostile names, posted to the real sink with the real transports
 * against WireMock stand-ins; and what the tools send on their own (Kuma's Test button and
 * expiry notices, a runbook that is not a link).
 */
class ExampleBodiesTest {

  /** Names that break naive JSON: a quote, a backslash, an emoji, right-to-left text. */
  static final List<String> HOSTILE = List.of(
      "Disk \"full\" on mail-1",
      "backup C:\\cabal\\nightly",
      "deploy 🚀 ✓",
      "שלום עולם (RTL) مرحبا",
      "Zürich \"q\" \\ 🚀 שלום");

  private static final Path TOOLS = Paths.get("..", "examples", "deploy", "tools");

  @RegisterExtension
  final ProviderStubs stubs = new ProviderStubs();

  @BeforeEach
  void start() throws Exception {
    // One request each first: on a loaded machine a stand-in's very first answer can take
    // longer than Pushover's 3 s attempt timeout, which is not what these tests are about.
    for (String base : List.of(stubs.pushover.baseUrl(), stubs.ntfy.baseUrl())) {
      WarmUp.exchangeOnce(base);
    }
    stubs.pushover.resetRequests();
    stubs.ntfy.resetRequests();
    CapturedLogs.clear();
  }

  private SinkHandler handler() {
    Map<String, String> env = new HashMap<>(stubs.settings());
    env.put("ALERT_SECRET", SinkFaultsAndSamplesTest.SECRET);
    return new SinkHandler(SinkSetup.create(env, SinkSetup.SSM, getClass().getClassLoader(),
        null));
  }

  private static int post(SinkHandler handler, String path, String contentType, String body)
      throws IOException {
    return (Integer) SinkFaultsAndSamplesTest.invoke(handler, SinkFaultsAndSamplesTest.event(path,
        contentType, body.getBytes(StandardCharsets.UTF_8))).get("statusCode");
  }

  private static Map<String, Object> kuma(Integer status, String monitor, String msg) {
    Map<String, Object> variables = new HashMap<>();
    variables.put("msg", msg);
    variables.put("heartbeatJSON", status == null ? null : Map.of("status", status, "msg", "x"));
    variables.put("monitorJSON", monitor == null ? null : Map.of("name", monitor, "id", 7));
    return variables;
  }

  @Test
  void kumaExampleBodyKeepsEveryNameIntactDownAndUp() throws IOException {
    String template = Files.readString(TOOLS.resolve("kuma-webhook-body.liquid"));
    SinkHandler handler = handler();
    for (String name : HOSTILE) {
      String down = ToolTemplates.liquid(template, kuma(0, name, "[" + name + "] [🔴 Down] timeout"));
      String up = ToolTemplates.liquid(template, kuma(1, name, "[" + name + "] [✅ Up] OK"));
      // Kuma's custom body goes out form-typed: base64 at the Function URL.
      assertEquals(204, post(handler, "/", "application/x-www-form-urlencoded", down), down);
      assertEquals(204, post(handler, "/", null, up), up);
    }
    List<Map<String, String>> pushover = stubs.pushoverMessages();
    assertEquals(HOSTILE.size() * 2, pushover.size(), pushover.toString());
    for (int i = 0; i < HOSTILE.size(); i++) {
      String name = HOSTILE.get(i);
      assertEquals("[CRITICAL] kuma/" + name, pushover.get(2 * i).get("title"));
      assertEquals("[" + name + "] [🔴 Down] timeout", pushover.get(2 * i).get("message"));
      assertEquals("[RESOLVED] kuma/" + name, pushover.get(2 * i + 1).get("title"));
    }
  }

  @Test
  void kumaExampleBodyWithoutHeartbeatIsATestOrAWarningNeverAPage() throws IOException {
    String template = Files.readString(TOOLS.resolve("kuma-webhook-body.liquid"));
    SinkHandler handler = handler();
    String test = ToolTemplates.liquid(template, kuma(null, null, "Cabal \"sink\" Testing"));
    String certificate = ToolTemplates.liquid(template, kuma(null, null,
        "[Zürich ✓][https://mail.cabal.example/] Server certificate mail.cabal.example will"
            + " expire in 14 days"));

    assertEquals(204, post(handler, "/", null, test), test);
    assertEquals(204, post(handler, "/", null, certificate), certificate);

    assertEquals(List.of(), stubs.pushoverMessages(), "neither pages");
    List<Map<String, String>> ntfy = stubs.ntfyMessages();
    assertEquals(2, ntfy.size(), ntfy.toString());
    assertTrue(ntfy.stream().anyMatch(m -> m.get("title").equals("[TEST] kuma")
        && m.get("priority").equals("3")), ntfy.toString());
    assertTrue(ntfy.stream().anyMatch(m -> m.get("title").equals("[WARNING] kuma")
        && m.get("message").contains("will expire in 14 days")), ntfy.toString());
  }

  @Test
  void healthchecksExampleBodiesKeepEveryNameIntact() throws IOException {
    String downTemplate = Files.readString(TOOLS.resolve("healthchecks-down.json"));
    String upTemplate = Files.readString(TOOLS.resolve("healthchecks-up.json"));
    SinkHandler handler = handler();
    int n = 0;
    for (String name : HOSTILE) {
      String slug = "check-" + n++;
      String down = ToolTemplates.healthchecks(downTemplate, name, slug, "down");
      String up = ToolTemplates.healthchecks(upTemplate, name, slug, "up");
      // Healthchecks sends no Content-Type unless told: base64 at the Function URL.
      assertEquals(204, post(handler, "/healthchecks", null, down), down);
      assertEquals(204, post(handler, "/healthchecks", null, up), up);
    }
    List<Map<String, String>> pushover = stubs.pushoverMessages();
    assertEquals(HOSTILE.size() * 2, pushover.size(), pushover.toString());
    for (int i = 0; i < HOSTILE.size(); i++) {
      Map<String, String> down = pushover.get(2 * i);
      assertEquals("[CRITICAL] healthchecks/check-" + i, down.get("title"));
      assertEquals("Missed heartbeat: check-" + i + "\n\ncheck: " + HOSTILE.get(i),
          down.get("message"));
      assertEquals("[RESOLVED] healthchecks/check-" + i, pushover.get(2 * i + 1).get("title"));
    }
  }

  @Test
  void healthchecksSubstitutionIsSinglePassLongestFirst() {
    assertEquals("\"a\\\"b\" a\"b $NAME",
        ToolTemplates.healthchecks("$NAME_JSON $NAME $SLUG", "a\"b", "$NAME", "down"));
    assertEquals("\"\\ud83d\\ude80 \\u05e9\"",
        ToolTemplates.healthchecks("$NAME_JSON", "🚀 ש", "s", "down"));
  }

  @Test
  void runbookThatIsNoLinkReachesBothChannelsAndNtfyClickIsNeverTheSilencePage()
      throws IOException {
    String grafana = "{\"receiver\":\"cabal-sink\",\"status\":\"firing\",\"orgId\":1,"
        + "\"state\":\"alerting\",\"alerts\":[{\"status\":\"firing\",\"labels\":{\"alertname\":"
        + "\"DiskFull\",\"severity\":\"page\"},\"annotations\":{\"summary\":\"Disk /var 97%\","
        + "\"runbook_url\":\"see the wiki page Disk-Full\"},\"startsAt\":\"2026-08-21T09:20:10Z\","
        + "\"endsAt\":\"0001-01-01T00:00:00Z\",\"fingerprint\":\"5c1e0f9a2b7d3e48\","
        + "\"silenceURL\":\"https://grafana.cabal.example/alerting/silence/new?x=1\","
        + "\"dashboardURL\":\"https://grafana.cabal.example/d/cabal-mail\",\"panelURL\":\"\"}]}";

    assertEquals(204, post(handler(), "/grafana", "application/json", grafana));

    Map<String, String> pushover = stubs.pushoverMessages().get(0);
    assertTrue(pushover.get("message").contains("Runbook: see the wiki page Disk-Full"),
        pushover.toString());
    assertEquals("1", pushover.get("priority"), "'page' is an alias of critical");
    Map<String, String> ntfy = stubs.ntfyMessages().get(0);
    assertTrue(ntfy.get("message").contains("Runbook: see the wiki page Disk-Full"),
        ntfy.toString());
    assertEquals("https://grafana.cabal.example/d/cabal-mail", ntfy.get("click"));
  }

  @Test
  void kumaDefaultBodiesWithoutHeartbeatAreATestOnNtfyAndAWarningNeverAPage()
      throws IOException {
    SinkHandler handler = handler();
    assertEquals(204, post(handler, "/kuma", "application/json",
        "{\"heartbeat\":null,\"monitor\":null,\"msg\":\"Cabal sink Testing\"}"));
    assertEquals(204, post(handler, "/kuma", "application/json",
        "{\"heartbeat\":null,\"monitor\":null,\"msg\":\"Domain name cabal.example will"
            + " expire in 7 days\"}"));

    assertEquals(List.of(), stubs.pushoverMessages());
    List<Map<String, String>> ntfy = stubs.ntfyMessages();
    assertEquals(2, ntfy.size(), ntfy.toString());
    assertTrue(ntfy.stream().anyMatch(m -> m.get("title").equals("[TEST] kuma")
        && m.get("priority").equals("3")), ntfy.toString());
    assertTrue(ntfy.stream().anyMatch(m -> m.get("title").equals("[WARNING] kuma/cabal.example")
        && m.get("priority").equals("3")), ntfy.toString());
  }

  @Test
  void directShapeWithAnUnknownSeverityIs400ListingTheWordsAndAliases() throws IOException {
    Map<String, Object> response = SinkFaultsAndSamplesTest.invoke(handler(),
        SinkFaultsAndSamplesTest.event("/", "application/json",
            "{\"severity\":\"sev9\",\"source\":\"s\",\"summary\":\"x\"}"
                .getBytes(StandardCharsets.UTF_8)));
    assertEquals(400, response.get("statusCode"));
    String body = String.valueOf(response.get("body"));
    assertTrue(body.contains("unknown severity 'sev9' at /severity; allowed: critical, warning,"
        + " info; aliases (ALERT_SEVERITY_ALIASES): page (critical)"), body);
    assertTrue(body.contains("warn (warning)") && body.contains("none (info)"), body);
  }
}
