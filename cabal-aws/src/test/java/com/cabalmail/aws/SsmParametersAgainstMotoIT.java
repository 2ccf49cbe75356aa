package com.cabalmail.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cabalmail.http.Deadline;
import com.cabalmail.http.HttpDelivery;
import com.cabalmail.http.Secret;
import com.cabalmail.aws.testkit.MotoServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The client against a real SSM JSON-protocol peer: moto's server on a free loopback port,
 * seeded with SecureString parameters.
 */
class SsmParametersAgainstMotoIT {

  static MotoServer moto;
  static SsmParameters ssm;

  @BeforeAll
  static void startMoto() throws Exception {
    moto = MotoServer.start();
    Map<String, String> environment = moto.environment("AWS_ENDPOINT_URL_SSM");
    // the region from the fallback variable, as the AWS CLI's users often set it
    environment.put("AWS_DEFAULT_REGION", environment.remove("AWS_REGION"));
    ssm = SsmParameters.fromEnvironment(environment, HttpDelivery.shared());
  }

  @AfterAll
  static void stopMoto() throws IOException {
    if (moto != null) {
      moto.close();
    }
  }

  static Deadline deadline() {
    return Deadline.after(Duration.ofSeconds(20));
  }

  static void putSecureString(String name, String value) throws Exception {
    moto.putSecureString(name, value);
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
  void missingParameterIsATypedResult() throws Exception {
    putSecureString("/cabal/healthcheck_ping_dmarc-ingest", "paused");

    SsmParameters.Lookup lookup = ssm.read(
        List.of("/cabal/healthcheck_ping_nope", "/cabal/healthcheck_ping_dmarc-ingest"),
        deadline());

    assertEquals(List.of("/cabal/healthcheck_ping_nope"), lookup.missing());
    assertEquals(List.of("/cabal/healthcheck_ping_dmarc-ingest"),
        List.copyOf(lookup.found().keySet()));
    assertTrue(ssm.read(List.of("/cabal/healthcheck_ping_dmarc-ingest"), deadline()).complete());
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
