package com.cabalmail.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cabalmail.alert.testkit.Peers;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The README's one-command local run, as a real process: {@code java -jar
 * sink-lambda/target/sink-lambda.jar} (the shaded jar {@code package} built, run from the
 * repository root) with no accounts and no provider settings in its environment. It prints its
 * listening line, answers the README's critical alert 204 through the console transport, and is
 * still serving afterwards (it once exited right after printing that line).
 */
class OneCommandRunIT {

  /** The README's command, from the repository root. */
  static final String JAR = "sink-lambda/target/sink-lambda.jar";
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  /** The README's test alert. */
  static final String ALERT = "{\"severity\":\"critical\",\"source\":\"kuma/Zürich ✓\","
      + "\"summary\":\"IMAP down on mail-1\",\"runbook_url\":\"https://example.com/rb\"}";
  static final Duration START = Duration.ofSeconds(30);
  private static final Pattern LISTENING =
      Pattern.compile("Alert sink listening on http://127\\.0\\.0\\.1:(\\d+)/");
  private static final Pattern GENERATED = Pattern.compile("X-Alert-Secret: ([^']+)'");

  private final HttpClient client = HttpClient.newHttpClient();
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final List<String> seen = new ArrayList<>();
  private Process sink;

  @AfterEach
  void stop() {
    Peers.stop(sink);
  }

  @Test
  void theReadmeCommandServesTheReadmeAlertOnTheConsoleAndKeepsRunning() throws Exception {
    start(Map.of("ALERT_SECRET", "try-me"));
    int port = port(awaitLine(LISTENING));

    HttpResponse<String> answer = post(port, "try-me");

    assertEquals(204, answer.statusCode(), answer.body());
    awaitLine(Pattern.compile(Pattern.quote("=== [CRITICAL] kuma/Zürich ✓ - priority 5")));
    assertTrue(sink.isAlive(), "still serving after the alert: " + seen);
    assertEquals(401, post(port, "not-the-secret").statusCode(), "and still checking the secret");
  }

  @Test
  void withoutASecretTheCommandPrintsOneThatItThenAccepts() throws Exception {
    start(Map.of());
    int port = port(awaitLine(LISTENING));
    Matcher generated = awaitLine(GENERATED);

    HttpResponse<String> answer = post(port, generated.group(1));

    assertEquals(204, answer.statusCode(), answer.body());
    assertTrue(sink.isAlive(), "still serving after the alert: " + seen);
  }

  /**
   * The README's command on a free port, its environment only {@code PATH}, a UTF-8 locale (a
   * terminal's; JDK 17 prints non-ASCII as '?' without one) and {@code extra}.
   */
  private void start(Map<String, String> extra) throws IOException {
    assertTrue(Files.isRegularFile(ROOT.resolve(JAR)), JAR + " is built by package, before"
        + " integration-test");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder command = new ProcessBuilder(java, "-jar", JAR, "--port", "0")
        .directory(ROOT.toFile()).redirectErrorStream(true);
    Map<String, String> env = command.environment();
    String path = env.get("PATH");
    env.clear();
    env.put("PATH", path);
    // The POSIX locale: its native encoding is ASCII, yet the console must still print UTF-8.
    env.put("LANG", "C");
    env.putAll(extra);
    sink = command.start();
    sink.getOutputStream().close();
    Thread reader = new Thread(() -> {
      try (BufferedReader out = new BufferedReader(
          new InputStreamReader(sink.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
          lines.add(line);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, "sink-output");
    reader.setDaemon(true);
    reader.start();
  }

  /** The first line printed so far, or within {@link #START}, that {@code pattern} finds. */
  private Matcher awaitLine(Pattern pattern) throws InterruptedException {
    long end = System.nanoTime() + START.toNanos();
    for (String line : seen) {
      Matcher matcher = pattern.matcher(line);
      if (matcher.find()) {
        return matcher;
      }
    }
    while (true) {
      String line = lines.poll(end - System.nanoTime(), TimeUnit.NANOSECONDS);
      assertNotNull(line, "no line matching " + pattern + " within " + START.toSeconds()
          + " s (alive: " + sink.isAlive() + "): " + seen);
      seen.add(line);
      Matcher matcher = pattern.matcher(line);
      if (matcher.find()) {
        return matcher;
      }
    }
  }

  private static int port(Matcher listening) {
    return Integer.parseInt(listening.group(1));
  }

  private HttpResponse<String> post(int port, String secret)
      throws IOException, InterruptedException {
    return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
        .header("X-Alert-Secret", secret).header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(10))
        .POST(HttpRequest.BodyPublishers.ofString(ALERT)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
