package com.cabalmail.example.heartbeat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cabalmail.alert.testkit.CapturedLogs;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DmarcIngestHandlerTest extends HealthchecksServer {

  @Test
  void startThenSuccessWithTheCountUnderOneRunId() throws Exception {
    List<DmarcIngestHandler.Report> ingested = new ArrayList<>();

    new DmarcIngestHandler(heartbeat(), ingested::add)
        .handleRequest(event("s3-dmarc-reports.json"), new ByteArrayOutputStream());

    assertEquals(3, ingested.size());
    assertEquals(new DmarcIngestHandler.Report("cabal-dmarc-reports",
        "rua/Yahoo Inc!example.net!1787184000!1787270399.xml", 2210), ingested.get(2));
    List<LoggedRequest> pings = pings();
    assertEquals(List.of(CHECK + "/start", CHECK), List.of(path(pings.get(0)), path(pings.get(1))));
    assertEquals("ingested 3 DMARC reports", pings.get(1).getBodyAsString());
    String rid = pings.get(0).queryParameter("rid").firstValue();
    assertEquals(rid, pings.get(1).queryParameter("rid").firstValue());
  }

  @Test
  void ingestErrorPingsFailWithTheErrorAndIsRethrown() {
    IOException broken = new IOException("DynamoDB write failed");

    IOException thrown = assertThrows(IOException.class, () -> new DmarcIngestHandler(heartbeat(),
        report -> {
          if (report.key().contains("outlook")) {
            throw broken;
          }
        }).handleRequest(event("s3-dmarc-reports.json"), new ByteArrayOutputStream()));

    assertSame(broken, thrown);
    LoggedRequest fail = pings().get(1);
    assertEquals(CHECK + "/fail", path(fail));
    assertEquals("ingested 1 DMARC reports, then java.io.IOException: DynamoDB write failed",
        fail.getBodyAsString());
  }

  @Test
  void defaultIngestLogsOneJsonLinePerReport() throws Exception {
    new DmarcIngestHandler(heartbeat(), DmarcIngestHandler::logReport)
        .handleRequest(event("s3-dmarc-reports.json"), new ByteArrayOutputStream());

    assertTrue(CapturedLogs.lines().contains("INFO com.cabalmail.example.heartbeat."
        + "DmarcIngestHandler - {\"event\":\"dmarc-report\",\"bucket\":\"cabal-dmarc-reports\","
        + "\"key\":\"rua/Yahoo Inc!example.net!1787184000!1787270399.xml\",\"size\":2210}"),
        CapturedLogs.text());
    assertEquals("ingested 3 DMARC reports", pings().get(1).getBodyAsString());
  }
}
