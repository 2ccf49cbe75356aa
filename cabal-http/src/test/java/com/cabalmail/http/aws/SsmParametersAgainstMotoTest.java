package com.cabalmail.http.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.cabalmail.http.Deadline;
import com.cabalmail.http.HttpDelivery;
import com.cabalmail.http.Json;
import com.cabalmail.http.Secret;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The client against a real SSM JSON-protocol peer: moto's server, started here on a free
 * loopback port, seeded with SecureString parameters through a signed {@code PutParameter}.
 */
class SsmParametersAgainstMotoTest {

  static Process moto;
  static final StringBuffer output = new StringBuffer();
  static SsmParameters ssm;

  @BeforeAll
  static void startMoto() throws Exception {
    assumeTrue(motoInstalled(),
        "python3 -c 'import moto' failed: moto is not installed, so the real-peer SSM test is"
            + " skipped (pip install 'moto[server]' to run it)");
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    moto = new ProcessBuilder("python3", "-m", "moto.server", "-H", "127.0.0.1", "-p",
        String.valueOf(port)).redirectErrorStream(true).start();
    CompletableFuture<Void> listening = new CompletableFuture<>();
    Thread drain = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(
          new InputStreamReader(moto.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
          output.append(line).append('\n');
          if (line.contains("Running on http://127.0.0.1:" + port)) {
            listening.complete(null);
          }
        }
      } catch (IOException e) {
        listening.completeExceptionally(e);
      }
      listening.completeExceptionally(new IOException("moto exited before listening"));
    }, "moto-output");
    drain.setDaemon(true);
    drain.start();
    try {
      listening.get(60, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("moto did not start within 60 s:\n" + output, e);
    }

    Map<String, String> environment = new LinkedHashMap<>();
    environment.put("AWS_ACCESS_KEY_ID", "AKIDMOTOTEST");
    environment.put("AWS_SECRET_ACCESS_KEY", "moto-test-secret-access-key");
    environment.put("AWS_SESSION_TOKEN", "moto-test-session-token");
    environment.put("AWS_DEFAULT_REGION", "eu-west-1");
    environment.put("AWS_ENDPOINT_URL_SSM", "http://127.0.0.1:" + port);
    ssm = SsmParameters.fromEnvironment(environment, HttpDelivery.shared());
  }

  @AfterAll
  static void stopMoto() throws InterruptedException {
    if (moto != null) {
      moto.destroy();
      if (!moto.waitFor(10, TimeUnit.SECONDS)) {
        moto.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  static boolean motoInstalled() {
    try {
      Process probe = new ProcessBuilder("python3", "-c", "import moto")
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  static Deadline deadline() {
    return Deadline.after(Duration.ofSeconds(20));
  }

  static void putSecureString(String name, String value) throws SsmException {
    byte[] body = Json.write(json -> {
      json.writeStartObject();
      json.writeStringField("Name", name);
      json.writeStringField("Value", value);
      json.writeStringField("Type", "SecureString");
      json.writeBooleanField("Overwrite", true);
      json.writeEndObject();
    });
    ssm.call("PutParameter", body, deadline(), "seeding " + name);
  }

  @Test
  void readsBackDecryptedSecureStringsAcrossSeveralCalls() throws Exception {
    Map<String, String> seeded = new LinkedHashMap<>();
    seeded.put("/cabal/alert_sink_secret", "s3cr3t \"quoted\" \\ slash");
    seeded.put("/cabal/pushover_app_token", "azGDORePK8gMaC0QOYAMyEEuzJnyUi");
    seeded.put("/cabal/ntfy_publisher_token", "tk_Zürich ✓ 日本");
    for (int i = 1; i <= 10; i++) {
      seeded.put("/cabal/healthcheck_ping_job" + i, "https://hc.example.net/ping/" + i);
    }
    for (Map.Entry<String, String> parameter : seeded.entrySet()) {
      putSecureString(parameter.getKey(), parameter.getValue());
    }

    Map<String, Secret> values = ssm.get(new ArrayList<>(seeded.keySet()), deadline());

    assertEquals(List.copyOf(seeded.keySet()), List.copyOf(values.keySet()));
    for (Map.Entry<String, String> parameter : seeded.entrySet()) {
      assertEquals(parameter.getValue(), values.get(parameter.getKey()).reveal(),
          parameter.getKey() + " decrypted");
    }
  }

  @Test
  void missingParameterIsNamed() throws Exception {
    putSecureString("/cabal/healthcheck_ping_dmarc-ingest", "paused");

    SsmException e = assertThrows(SsmException.class, () -> ssm.get(
        List.of("/cabal/healthcheck_ping_dmarc-ingest", "/cabal/healthcheck_ping_nope"),
        deadline()));

    assertEquals("SSM parameter not found: /cabal/healthcheck_ping_nope", e.getMessage());
    assertTrue(ssm.get(List.of("/cabal/healthcheck_ping_dmarc-ingest"), deadline())
        .get("/cabal/healthcheck_ping_dmarc-ingest").matches(
            "paused".getBytes(StandardCharsets.UTF_8)));
  }
}
