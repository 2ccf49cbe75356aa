package com.cabalmail.example.heartbeat;

import com.cabalmail.heartbeat.Heartbeat;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Certificate renewal: runs {@code certbot renew} and reports its exit status to Healthchecks
 * with its output (the client keeps the end of long output, where certbot prints its errors).
 * Success pings success; a non-zero exit or a certbot that cannot start pings fail, and the
 * invocation fails too, so Lambda's own error metrics see it.
 *
 * <p>Handler string: {@code com.cabalmail.example.heartbeat.CertbotRenewalHandler::handleRequest}.
 */
public final class CertbotRenewalHandler {

  static final String PING_PARAMETER = "/cabal/healthcheck_ping_certbot-renewal";
  static final List<String> CERTBOT =
      List.of("certbot", "renew", "--non-interactive", "--no-random-sleep-on-renew");

  private final Heartbeat heartbeat;
  private final List<String> command;

  /** For the Lambda runtime: the ping URL is read from SSM once, at cold start. */
  public CertbotRenewalHandler() {
    this(Heartbeat.fromSsmParameter(PING_PARAMETER), CERTBOT);
  }

  CertbotRenewalHandler(Heartbeat heartbeat, List<String> command) {
    this.heartbeat = heartbeat;
    this.command = List.copyOf(command);
  }

  /** Renews; the scheduled event itself carries nothing needed. */
  public void handleRequest(InputStream input, OutputStream output)
      throws IOException, InterruptedException {
    Process certbot;
    try {
      certbot = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      heartbeat.fail("could not start " + command.get(0) + ": " + e.getMessage());
      throw e;
    }
    certbot.getOutputStream().close();
    String log = new String(certbot.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int status = certbot.waitFor();
    heartbeat.exitStatus(status, log);
    if (status != 0) {
      throw new IOException(command.get(0) + " exited with status " + status);
    }
  }
}
