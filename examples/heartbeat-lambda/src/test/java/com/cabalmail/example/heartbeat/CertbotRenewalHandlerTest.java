package com.cabalmail.example.heartbeat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Runs a real process standing in for certbot (a shell script printing what certbot prints). */
class CertbotRenewalHandlerTest extends HealthchecksServer {

  static void run(String script) throws Exception {
    new CertbotRenewalHandler(heartbeat(), List.of("sh", "-c", script))
        .handleRequest(new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream());
  }

  @Test
  void renewalThatSucceedsPingsExitStatusZeroWithTheOutput() throws Exception {
    run("echo 'Processing /etc/letsencrypt/renewal/mail.example.net.conf';"
        + " echo 'Congratulations, all renewals succeeded.'");

    List<LoggedRequest> pings = pings();
    assertEquals(1, pings.size());
    assertEquals(CHECK + "/0", pings.get(0).getUrl());
    assertEquals("Processing /etc/letsencrypt/renewal/mail.example.net.conf\n"
        + "Congratulations, all renewals succeeded.\n", pings.get(0).getBodyAsString());
  }

  @Test
  void renewalThatFailsPingsItsExitStatusWithTheErrorAndFailsTheInvocation() {
    IOException e = assertThrows(IOException.class, () -> run(
        "echo 'Processing /etc/letsencrypt/renewal/mail.example.net.conf';"
            + " echo 'Failed to renew certificate mail.example.net: DNS problem: SERVFAIL' >&2;"
            + " exit 1"));

    assertEquals("sh exited with status 1", e.getMessage());
    LoggedRequest ping = pings().get(0);
    assertEquals(CHECK + "/1", ping.getUrl());
    assertTrue(ping.getBodyAsString().endsWith(
        "Failed to renew certificate mail.example.net: DNS problem: SERVFAIL\n"));
  }

  @Test
  void certbotThatCannotStartPingsFail() {
    assertThrows(IOException.class, () -> new CertbotRenewalHandler(heartbeat(),
        List.of("/nonexistent/certbot", "renew")).handleRequest(
            new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream()));

    LoggedRequest ping = pings().get(0);
    assertEquals(CHECK + "/fail", ping.getUrl());
    assertTrue(ping.getBodyAsString().startsWith("could not start /nonexistent/certbot: "));
  }

  @Test
  void longOutputKeepsItsEnd() throws Exception {
    assertThrows(IOException.class, () -> run(
        "i=0; while [ $i -lt 2000 ]; do echo \"renewal step $i ok\"; i=$((i+1)); done;"
            + " echo 'FINAL ERROR: rate limit reached'; exit 2"));

    byte[] body = pings().get(0).getBody();
    assertTrue(body.length <= 10_000, "sent " + body.length);
    assertTrue(pings().get(0).getBodyAsString().endsWith("FINAL ERROR: rate limit reached\n"));
  }
}
