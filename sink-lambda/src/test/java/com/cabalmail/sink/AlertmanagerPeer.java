package com.cabalmail.sink;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cabalmail.alert.testkit.Peers;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real Prometheus Alertmanager for the end-to-end tests: started with a config on a free
 * loopback port, its files in a test's directory, waited for until ready, fed alerts through
 * {@code amtool}, stopped on {@link #close}. Where it is not installed the test is skipped (fails
 * under CI), as {@link Peers} does.
 *
 * @param process the running Alertmanager
 * @param port the loopback port it listens on
 * @param logFile where its output goes
 */
record AlertmanagerPeer(Process process, int port, Path logFile) implements AutoCloseable {

  /** The example config the tests adapt, as a deployment copies it. */
  static final Path EXAMPLE = Paths.get("..", "examples", "deploy", "tools", "alertmanager.yml");
  static final Duration READY = Duration.ofSeconds(30);
  private static final String INSTALL = "apt-get install prometheus-alertmanager";
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  /**
   * The example config, posting to the sink on {@code sinkPort} with the secret in
   * {@code secretFile}, with {@code edits} ({@code {text, replacement}} pairs, each text required
   * to be in the example) applied after those two.
   */
  static String example(int sinkPort, Path secretFile, String[]... edits) throws IOException {
    List<String[]> all = new ArrayList<>(List.of(
        new String[] {"url: https://FUNCTION_URL_ID.lambda-url.us-east-1.on.aws/alertmanager",
            "url: http://127.0.0.1:" + sinkPort + "/alertmanager"},
        new String[] {"credentials_file: /etc/alertmanager/alert_sink_secret",
            "credentials_file: " + secretFile}));
    all.addAll(List.of(edits));
    String adapted = Files.readString(EXAMPLE);
    for (String[] edit : all) {
      assertTrue(adapted.contains(edit[0]), "the example no longer contains " + edit[0]);
      adapted = adapted.replace(edit[0], edit[1]);
    }
    return adapted;
  }

  /** Writes {@code secret} where a config's {@code credentials_file} can name it. */
  static Path secretFile(Path dir, String secret) throws IOException {
    return Files.writeString(dir.resolve("alert_sink_secret"), secret);
  }

  /**
   * Starts Alertmanager with {@code config}, its config, data and log under {@code dir}, and
   * waits until it is ready.
   */
  static AlertmanagerPeer start(Path dir, String config) throws IOException {
    return start(dir, config, Peers.freePort());
  }

  /** As {@link #start(Path, String)}, on {@code port} (one the sink was told beforehand). */
  static AlertmanagerPeer start(Path dir, String config, int port) throws IOException {
    Path binary = Peers.require("prometheus-alertmanager", INSTALL);
    Path file = Files.writeString(dir.resolve("alertmanager.yml"), config);
    Path log = dir.resolve("alertmanager.log");
    AlertmanagerPeer peer = new AlertmanagerPeer(Peers.start(List.of(binary.toString(),
        "--config.file=" + file, "--storage.path=" + dir.resolve("alertmanager-data"),
        "--web.listen-address=127.0.0.1:" + port, "--cluster.listen-address="), log), port, log);
    Peers.await(READY, () -> ready(peer.url()), "Alertmanager ready; log: " + peer.log());
    return peer;
  }

  /** Its base URL. */
  String url() {
    return "http://127.0.0.1:" + port;
  }

  /** Its {@code host:port}, for a Prometheus {@code static_configs} target. */
  String target() {
    return "127.0.0.1:" + port;
  }

  /**
   * Fires {@code alert} (amtool's labels and {@code --annotation=} arguments), resolving it at
   * {@code end} when not null.
   */
  void add(List<String> alert, String end) throws IOException, InterruptedException {
    Path amtool = Peers.require("amtool", INSTALL);
    List<String> command = new ArrayList<>(List.of(amtool.toString(),
        "--alertmanager.url=" + url(), "alert", "add"));
    command.addAll(alert);
    if (end != null) {
      command.add("--end=" + end);
    }
    Peers.run(command, Duration.ofSeconds(30));
  }

  /** Its log so far, for a failure message. */
  String log() {
    try {
      return Files.readString(logFile);
    } catch (IOException e) {
      return e.toString();
    }
  }

  /** Stops it, politely then forcibly. */
  @Override
  public void close() {
    Peers.stop(process);
  }

  /** Whether {@code url} answers 200: a peer's {@code /-/ready}. */
  static boolean ready(String url) {
    try {
      return CLIENT.send(HttpRequest.newBuilder(URI.create(url + "/-/ready")).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
