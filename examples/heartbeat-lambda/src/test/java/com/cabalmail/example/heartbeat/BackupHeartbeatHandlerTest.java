package com.cabalmail.example.heartbeat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cabalmail.alert.testkit.CapturedLogs;
import com.cabalmail.alert.testkit.ManualTicker;
import com.cabalmail.heartbeat.Heartbeat;
import com.cabalmail.http.HttpDelivery;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackupHeartbeatHandlerTest extends HealthchecksServer {

  final BackupHeartbeatHandler handler = new BackupHeartbeatHandler(heartbeat());

  void handle(String event) throws IOException {
    handler.handleRequest(event(event), new ByteArrayOutputStream());
  }

  @Test
  void completedJobPingsSuccess() throws Exception {
    handle("backup-job-completed.json");

    List<LoggedRequest> pings = pings();
    assertEquals(1, pings.size());
    assertEquals(CHECK, pings.get(0).getUrl());
    assertEquals("backup job 7D8E3F0A-2B1C-4D5E-8F9A-0B1C2D3E4F5A of EFS arn:aws:"
        + "elasticfilesystem:eu-west-1:123456789012:file-system/fs-0a1b2c3d4e5f60718 into vault"
        + " cabal-backup COMPLETED", pings.get(0).getBodyAsString());
  }

  @Test
  void completedWithIssuesPingsSuccessCarryingTheMessage() throws Exception {
    handle("backup-job-completed-with-issues.json");

    assertEquals(CHECK, pings().get(0).getUrl());
    assertTrue(pings().get(0).getBodyAsString().endsWith("COMPLETED with issues: Windows VSS"
        + " backup attempt failed because either Instance or SSM Agent has invalid state or"
        + " insufficient privileges."));
  }

  @Test
  void failedJobPingsFailWithTheReason() throws Exception {
    handle("backup-job-failed.json");

    List<LoggedRequest> pings = pings();
    assertEquals(1, pings.size());
    assertEquals(CHECK + "/fail", pings.get(0).getUrl());
    assertTrue(pings.get(0).getBodyAsString().endsWith(" FAILED: Access denied: IAM role arn:aws:"
        + "iam::123456789012:role/service-role/AWSBackupDefaultServiceRole is not authorized to"
        + " call elasticfilesystem:Backup"), pings.get(0).getBodyAsString());
  }

  @Test
  void abortedAndExpiredJobsPingFail() throws Exception {
    for (String state : List.of("ABORTED", "EXPIRED")) {
      answerOk();
      String event = new String(event("backup-job-running.json").readAllBytes(),
          StandardCharsets.UTF_8).replace("\"RUNNING\"", "\"" + state + "\"");

      handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)),
          new ByteArrayOutputStream());

      assertEquals(CHECK + "/fail", pings().get(0).getUrl(), state);
      assertTrue(pings().get(0).getBodyAsString().endsWith(state + " (no status message)"),
          pings().get(0).getBodyAsString());
    }
  }

  @Test
  void runningAndOtherStatesAreIgnored() throws Exception {
    handle("backup-job-running.json");

    assertEquals(List.of(), pings());
  }

  @Test
  void eventOfAnotherTypeIsIgnoredWithAWarning() throws Exception {
    String event = new String(event("backup-job-completed.json").readAllBytes(),
        StandardCharsets.UTF_8).replace("Backup Job State Change", "Copy Job State Change");

    handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)),
        new ByteArrayOutputStream());

    assertEquals(List.of(), pings());
    assertTrue(CapturedLogs.text().contains("ignoring an event of type Copy Job State Change"));
  }

  @Test
  void healthchecksDownDoesNotFailTheInvocation() throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    BackupHeartbeatHandler unreachable = new BackupHeartbeatHandler(Heartbeat.builder()
        .delivery(HttpDelivery.create(new ManualTicker()))
        .forUrl("http://127.0.0.1:" + closed + CHECK));

    // Returns: the outage is logged, not thrown.
    unreachable.handleRequest(event("backup-job-completed.json"), new ByteArrayOutputStream());

    assertTrue(CapturedLogs.text().contains("heartbeat success for check 5f1c2b3a\u2026 at"
        + " 127.0.0.1 not delivered: healthchecks: connection refused"), CapturedLogs.text());
  }

  @Test
  void malformedEventIsAnErrorNamingTheProblem() {
    IOException e = assertThrows(IOException.class, () -> handler.handleRequest(
        new ByteArrayInputStream("[]".getBytes(StandardCharsets.UTF_8)),
        new ByteArrayOutputStream()));

    assertEquals("the event is not a JSON object", e.getMessage());
  }
}
