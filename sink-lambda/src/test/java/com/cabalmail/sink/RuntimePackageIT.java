package com.cabalmail.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.cabalmail.alert.testkit.Peers;
import com.cabalmail.alert.testkit.PushoverStandIn;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The custom-runtime package in its deployed layout: {@code sink-lambda-runtime.zip} unzipped
 * as Lambda unzips it, its {@code bootstrap} run as a process against a loopback Runtime API,
 * SSM, Pushover and ntfy ({@link PackagePeers}), with {@code -XX:AOTMode=on} so that a cache the
 * JVM cannot use fails the launch instead of being skipped silently.
 *
 * <p>Runs on JDK 25 only (the package is a JDK 25 build; on JDK 17 it is skipped with a message).
 * Build the package first: {@code JAVA_HOME=<jdk25> ./mvnw -B -q -pl sink-lambda -am -Pruntime
 * package -DskipTests}; without it the test is skipped, and fails under {@code CI=true}.
 */
class RuntimePackageIT {

  static final Path ZIP = Path.of("target", "sink-lambda-runtime.zip");
  static final Duration LIMIT = Duration.ofSeconds(30);

  @TempDir
  static Path unzipped;

  private final PackagePeers peers = startPeers();
  private Process bootstrap;
  private Path log;

  @BeforeAll
  static void unzipThePackage() throws Exception {
    assumeTrue(Runtime.version().feature() >= 25, "the custom-runtime package is a JDK 25 build"
        + " and is tested on JDK 25; this JVM is " + Runtime.version());
    if (!Files.isRegularFile(ZIP)) {
      String message = ZIP.toAbsolutePath() + " is missing: build it with JAVA_HOME=<jdk25>"
          + " ./mvnw -B -q -pl sink-lambda -am -Pruntime package -DskipTests";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(message + " (CI=true: the package must be tested)");
      }
      assumeTrue(false, message);
    }
    Path unzip = Peers.require("unzip", "apt-get install -y unzip");
    Peers.run(List.of(unzip.toString(), "-q", ZIP.toString(), "-d", unzipped.toString()), LIMIT);
  }

  private static PackagePeers startPeers() {
    try {
      return PackagePeers.start();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @AfterEach
  void stop() {
    Peers.stop(bootstrap);
    peers.close();
  }

  private void launch(Path root, Map<String, String> env) throws IOException {
    log = Files.createTempFile(unzipped.getParent(), "bootstrap", ".log");
    bootstrap = RuntimeTraining.launch(root, env, log);
  }

  private RuntimeApiStandIn.Posted invoke(byte[] event) throws Exception {
    try {
      return peers.api().invoke(event, Duration.ofSeconds(10),
          "Root=1-6a882542-4c1f7a9e2d3b5c6e7f801234")
          .get(LIMIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("no answer within " + LIMIT + "; bootstrap output:\n" + output());
    }
  }

  private String output() throws IOException {
    return log == null ? "" : Files.readString(log);
  }

  private int exitStatus() throws Exception {
    assertTrue(bootstrap.waitFor(LIMIT.toMillis(), TimeUnit.MILLISECONDS),
        "the bootstrap did not exit:\n" + output());
    return bootstrap.exitValue();
  }

  @Test
  void coldEventIsAnswered204ThroughTheBootstrapWithTheTrainedAotCacheInUse() throws Exception {
    Map<String, String> env = peers.environment(unzipped);
    env.put("CABAL_AOT_MODE", "on");
    env.put("CABAL_JAVA_OPTS", "-Xlog:aot=info");
    launch(unzipped, env);

    RuntimeApiStandIn.Posted first = invoke(PackagePeers.resource("functionurl-event.json"));
    RuntimeApiStandIn.Posted second = invoke(PackagePeers.event("POST", "/alertmanager",
        Map.of("authorization", "Bearer " + PackagePeers.SECRET),
        PackagePeers.resource("alertmanager-firing.json")));

    assertEquals("response", first.kind(), first.text());
    assertTrue(first.text().contains("\"statusCode\":204"), first.text());
    assertTrue(second.text().contains("\"statusCode\":204"), second.text());
    assertEquals(1, peers.ssm().calls(), "the four secrets come from SSM in one call, at init");
    assertTrue(peers.pushoverRequests() >= 2, "a page per critical alert");
    assertTrue(peers.ntfyRequests() >= 2);
    String output = output();
    assertTrue(output.contains("Opened AOT cache sink.aot"), output);
    assertTrue(output.contains("Using AOT-linked classes: true"), output);
    peers.api().stopServing();
    assertEquals(1, exitStatus(), "a loop whose Runtime API is gone exits 1");
  }

  @Test
  void missingSecretFailsTheInitAndIsPostedToInitError() throws Exception {
    Map<String, String> env = peers.environment(unzipped);
    env.remove("SHARED_SECRET_PARAM");
    env.put("CABAL_AOT_MODE", "on");
    launch(unzipped, env);

    RuntimeApiStandIn.Posted posted = peers.api().initError()
        .get(LIMIT.toMillis(), TimeUnit.MILLISECONDS);

    assertEquals(1, exitStatus());
    assertEquals("Runtime.ConfigInvalid", posted.headers().get(RuntimeApi.ERROR_TYPE));
    assertTrue(posted.text().contains("\"errorType\":\"com.cabalmail.alert.ConfigException\""),
        posted.text());
    assertTrue(posted.text().contains("ALERT_SECRET"), posted.text());
    assertFalse(posted.text().contains(PushoverStandIn.APP_TOKEN), "no secret in the report");
  }

  /**
   * The sink answers every event it can read, so the handler only fails on a defect: here a
   * damaged deployment whose jar lacks the class writing 207 bodies. The event needing it is
   * posted as an error; the loop lives on and answers the next event.
   */
  @Test
  void handlerFailureIsPostedAsAnErrorAndTheSameProcessAnswersTheNextEvent(@TempDir Path damaged)
      throws Exception {
    Peers.run(List.of("cp", "-a", unzipped + "/.", damaged.toString()), LIMIT);
    withoutEntry(damaged.resolve("sink-lambda.jar"), "com/cabalmail/sink/ReportBody.class");
    Map<String, String> env = peers.environment(damaged);
    // Without the delivery ledger, which would hold the rejected page and answer 200 again.
    env.put("ALERT_LEDGER", "none");
    // Without the AOT cache: it holds ReportBody since the training answers repeats with a
    // report (200), and JDK 25 serves a cached class whatever became of the jar's entry.
    env.put("CABAL_AOT_MODE", "off");
    launch(damaged, env);

    peers.pushoverAnswers(PushoverStandIn.invalidUser());
    RuntimeApiStandIn.Posted failed = invoke(PackagePeers.resource("functionurl-event.json"));
    peers.pushoverAnswers(PushoverStandIn.acceptedEmergency());
    RuntimeApiStandIn.Posted next = invoke(PackagePeers.resource("functionurl-event.json"));

    assertEquals("error", failed.kind(), failed.text());
    assertEquals("Function.NoClassDefFoundError", failed.headers().get(RuntimeApi.ERROR_TYPE));
    assertEquals("response", next.kind(), next.text());
    assertTrue(next.text().contains("\"statusCode\":204"), next.text());
    assertTrue(bootstrap.isAlive());
  }

  /** Rewrites {@code jar} without {@code name}. */
  private static void withoutEntry(Path jar, String name) throws IOException {
    Path copy = jar.resolveSibling("copy.jar");
    try (InputStream in = Files.newInputStream(jar); ZipInputStream zin = new ZipInputStream(in);
        OutputStream out = Files.newOutputStream(copy);
        ZipOutputStream zout = new ZipOutputStream(out)) {
      for (ZipEntry entry = zin.getNextEntry(); entry != null; entry = zin.getNextEntry()) {
        if (!entry.getName().equals(name)) {
          zout.putNextEntry(new ZipEntry(entry.getName()));
          zin.transferTo(zout);
          zout.closeEntry();
        }
      }
    }
    Files.move(copy, jar, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }
}
