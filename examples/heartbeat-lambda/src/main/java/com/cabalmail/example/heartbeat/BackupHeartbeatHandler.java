package com.cabalmail.example.heartbeat;

import com.cabalmail.heartbeat.Heartbeat;
import com.cabalmail.heartbeat.PingOutcome;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AWS-Backup heartbeat: a Lambda on EventBridge {@code Backup Job State Change} events
 * ({@code source: aws.backup}). A {@code COMPLETED} job pings success (with the status message
 * of a job "completed with issues"); {@code FAILED}, {@code ABORTED} and {@code EXPIRED} ping
 * fail with the reason; other states ({@code CREATED}, {@code RUNNING}...) are ignored.
 *
 * <p>Handler string: {@code com.cabalmail.example.heartbeat.BackupHeartbeatHandler::handleRequest}.
 */
public final class BackupHeartbeatHandler {

  private static final Logger log = LoggerFactory.getLogger(BackupHeartbeatHandler.class);

  static final String PING_PARAMETER = "/cabal/healthcheck_ping_aws-backup";
  private static final Set<String> FIELDS = Set.of("detail-type", "detail.state",
      "detail.statusMessage", "detail.backupJobId", "detail.resourceType", "detail.resourceArn",
      "detail.backupVaultName");
  private static final Set<String> FAILED_STATES = Set.of("FAILED", "ABORTED", "EXPIRED");

  private final Heartbeat heartbeat;

  /** For the Lambda runtime: the ping URL is read from SSM once, at cold start. */
  public BackupHeartbeatHandler() {
    this(Heartbeat.fromSsmParameter(PING_PARAMETER));
  }

  BackupHeartbeatHandler(Heartbeat heartbeat) {
    this.heartbeat = heartbeat;
  }

  /** Handles one event; writes no output. */
  public void handleRequest(InputStream input, OutputStream output) throws IOException {
    Map<String, String> event = EventFields.read(input, FIELDS);
    String type = event.get("detail-type");
    if (!"Backup Job State Change".equals(type)) {
      log.warn("ignoring an event of type {}: the EventBridge rule should match only"
          + " 'Backup Job State Change'", type);
      return;
    }
    String state = event.getOrDefault("detail.state", "");
    String job = "backup job " + event.getOrDefault("detail.backupJobId", "?") + " of "
        + event.getOrDefault("detail.resourceType", "?") + " "
        + event.getOrDefault("detail.resourceArn", "?") + " into vault "
        + event.getOrDefault("detail.backupVaultName", "?");
    String message = event.get("detail.statusMessage");
    PingOutcome outcome;
    if (state.equals("COMPLETED")) {
      outcome = heartbeat.success(job + " COMPLETED"
          + (message == null ? "" : " with issues: " + message));
    } else if (FAILED_STATES.contains(state)) {
      outcome = heartbeat.fail(job + " " + state
          + (message == null ? " (no status message)" : ": " + message));
    } else {
      log.debug("ignoring {} in state {}", job, state);
      return;
    }
    log.info("{} {}: heartbeat {}", job, state, outcome.kind());
  }
}
