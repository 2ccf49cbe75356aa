package com.cabalmail.example.heartbeat;

import com.cabalmail.heartbeat.Heartbeat;
import com.cabalmail.heartbeat.PingOutcome;
import com.cabalmail.http.Json;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DMARC ingest: a Lambda on S3 {@code ObjectCreated} notifications for aggregate reports. It
 * pings start in the background as it begins, ingests each report, then pings success with the
 * count in the body ("ingested 3 DMARC reports"), or fail with the error. Start and end share a
 * run id, so overlapping invocations are paired correctly.
 *
 * <p>The ingest step here records each report as one JSON log line (bucket, key, size) for
 * CloudWatch Logs Insights; a site that stores reports elsewhere passes its own
 * {@link ReportIngester}.
 *
 * <p>Handler string: {@code com.cabalmail.example.heartbeat.DmarcIngestHandler::handleRequest}.
 */
public final class DmarcIngestHandler {

  private static final Logger log = LoggerFactory.getLogger(DmarcIngestHandler.class);

  static final String PING_PARAMETER = "/cabal/healthcheck_ping_dmarc-ingest";

  /** One report object named by the notification. */
  record Report(String bucket, String key, long size) {}

  /** Where a report goes. */
  @FunctionalInterface
  interface ReportIngester {
    void ingest(Report report) throws IOException;
  }

  private final Heartbeat heartbeat;
  private final ReportIngester ingester;

  /** For the Lambda runtime: the ping URL is read from SSM once, at cold start. */
  public DmarcIngestHandler() {
    this(Heartbeat.fromSsmParameter(PING_PARAMETER), DmarcIngestHandler::logReport);
  }

  DmarcIngestHandler(Heartbeat heartbeat, ReportIngester ingester) {
    this.heartbeat = heartbeat;
    this.ingester = ingester;
  }

  /** Ingests the reports the notification names. */
  public void handleRequest(InputStream input, OutputStream output) throws IOException {
    Heartbeat run = heartbeat.newRun();
    CompletableFuture<PingOutcome> started = run.async(Heartbeat::start);
    int ingested = 0;
    try {
      for (Report report : reports(input)) {
        ingester.ingest(report);
        ingested++;
      }
    } catch (IOException | RuntimeException e) {
      started.join(); // bounded by the heartbeat's deadline; never completes exceptionally
      run.fail("ingested " + ingested + " DMARC reports, then " + e);
      throw e;
    }
    started.join();
    run.success("ingested " + ingested + " DMARC reports");
  }

  /** The objects of an S3 event notification's {@code Records}. */
  static List<Report> reports(InputStream event) throws IOException {
    List<Report> reports = new ArrayList<>();
    try (JsonParser json = Json.factory().createParser(event)) {
      if (json.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("the event is not a JSON object");
      }
      while (json.nextToken() == JsonToken.FIELD_NAME) {
        String field = json.currentName();
        JsonToken value = json.nextToken();
        if (field.equals("Records") && value == JsonToken.START_ARRAY) {
          while (json.nextToken() == JsonToken.START_OBJECT) {
            reports.add(record(json));
          }
        } else {
          json.skipChildren();
        }
      }
    }
    return reports;
  }

  private static Report record(JsonParser json) throws IOException {
    String bucket = null;
    String key = null;
    long size = -1;
    while (json.nextToken() == JsonToken.FIELD_NAME) {
      String field = json.currentName();
      JsonToken value = json.nextToken();
      if (field.equals("s3") && value == JsonToken.START_OBJECT) {
        while (json.nextToken() == JsonToken.FIELD_NAME) {
          String part = json.currentName();
          JsonToken partValue = json.nextToken();
          if (part.equals("bucket") && partValue == JsonToken.START_OBJECT) {
            bucket = stringField(json, "name");
          } else if (part.equals("object") && partValue == JsonToken.START_OBJECT) {
            while (json.nextToken() == JsonToken.FIELD_NAME) {
              String name = json.currentName();
              JsonToken v = json.nextToken();
              if (name.equals("key") && v == JsonToken.VALUE_STRING) {
                key = json.getText();
              } else if (name.equals("size") && v == JsonToken.VALUE_NUMBER_INT) {
                size = json.getLongValue();
              } else {
                json.skipChildren();
              }
            }
          } else {
            json.skipChildren();
          }
        }
      } else {
        json.skipChildren();
      }
    }
    if (bucket == null || key == null) {
      throw new IOException("an S3 record without s3.bucket.name or s3.object.key, before "
          + json.currentLocation().offsetDescription());
    }
    // S3 notifications URL-encode keys (a space arrives as '+').
    return new Report(bucket, URLDecoder.decode(key, StandardCharsets.UTF_8), size);
  }

  private static String stringField(JsonParser json, String wanted) throws IOException {
    String found = null;
    while (json.nextToken() == JsonToken.FIELD_NAME) {
      String name = json.currentName();
      JsonToken value = json.nextToken();
      if (name.equals(wanted) && value == JsonToken.VALUE_STRING) {
        found = json.getText();
      } else {
        json.skipChildren();
      }
    }
    return found;
  }

  static void logReport(Report report) {
    String line = new String(Json.write(json -> {
      json.writeStartObject();
      json.writeStringField("event", "dmarc-report");
      json.writeStringField("bucket", report.bucket());
      json.writeStringField("key", report.key());
      json.writeNumberField("size", report.size());
      json.writeEndObject();
    }), StandardCharsets.UTF_8);
    log.info(line);
  }
}
