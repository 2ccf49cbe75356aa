package com.cabalmail.bench;

import com.cabalmail.alert.decode.AlertBatch;
import com.cabalmail.alert.decode.DecodeException;
import com.cabalmail.alert.decode.WebhookDecoder;
import com.cabalmail.alert.decode.WebhookFormat;
import com.cabalmail.http.Json;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Decoding an Alertmanager webhook body of 10 alerts (Cabalmail's {@code max_alerts}) and of
 * 1,000 alerts (the decoder's default limit). The bodies have the shape Alertmanager 0.25
 * posts (recorded in alert-core's test resources): every alert with labels, annotations,
 * RFC 3339 times with nanoseconds, a generator URL and a fingerprint; severities alternate.
 *
 * <pre>
 * ./mvnw -B -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar DecodeBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DecodeBenchmark {

  private static final String[] SEVERITIES = {"critical", "warning", "info"};

  @Param({"10", "1000"})
  int alerts;

  private byte[] body;
  private WebhookDecoder decoder;

  @Setup
  public void setUp() throws DecodeException {
    decoder = WebhookDecoder.builder().build();
    body = alertmanagerBody(alerts);
    AlertBatch batch = decoder.decode(body, "application/json", WebhookFormat.AUTO);
    if (batch.alerts().size() != alerts) {
      throw new IllegalStateException("decoded " + batch.alerts().size() + " alerts");
    }
  }

  @Benchmark
  public AlertBatch decode() throws DecodeException {
    return decoder.decode(body, "application/json", WebhookFormat.AUTO);
  }

  static byte[] alertmanagerBody(int count) {
    return Json.write(json -> {
      json.writeStartObject();
      json.writeStringField("receiver", "cabal-sink");
      json.writeStringField("status", "firing");
      json.writeArrayFieldStart("alerts");
      for (int i = 0; i < count; i++) {
        writeAlert(json, i);
      }
      json.writeEndArray();
      json.writeObjectFieldStart("groupLabels");
      json.writeStringField("service", "mail");
      json.writeEndObject();
      json.writeObjectFieldStart("commonLabels");
      json.writeStringField("service", "mail");
      json.writeEndObject();
      json.writeObjectFieldStart("commonAnnotations");
      json.writeEndObject();
      json.writeStringField("externalURL", "http://alertmanager.cabal.internal:9093");
      json.writeStringField("version", "4");
      json.writeStringField("groupKey", "{}/{service=\"mail\"}:{service=\"mail\"}");
      json.writeNumberField("truncatedAlerts", 0);
      json.writeEndObject();
    });
  }

  private static void writeAlert(JsonGenerator json, int i) throws IOException {
    json.writeStartObject();
    json.writeStringField("status", i % 7 == 6 ? "resolved" : "firing");
    json.writeObjectFieldStart("labels");
    json.writeStringField("alertname", "PostfixQueueBacklog" + (i % 13));
    json.writeStringField("cluster", "cabal-prod");
    json.writeStringField("instance", "mail-" + i + ".cabal.internal:9154");
    json.writeStringField("job", "postfix");
    json.writeStringField("service", "mail");
    json.writeStringField("severity", SEVERITIES[i % SEVERITIES.length]);
    json.writeEndObject();
    json.writeObjectFieldStart("annotations");
    json.writeStringField("description", "Postfix on mail-" + i + " has 2318 messages in the"
        + " deferred queue for more than 15 minutes; outbound mail is not leaving.");
    json.writeStringField("runbook_url",
        "https://runbooks.cabal.example/mail/postfix-queue-backlog");
    json.writeStringField("summary", "Postfix deferred queue above 1000 on mail-" + i);
    json.writeEndObject();
    json.writeStringField("startsAt", "2026-11-23T17:16:36.59040243Z");
    json.writeStringField("endsAt", "0001-01-01T00:00:00Z");
    json.writeStringField("generatorURL", "http://prometheus.cabal.internal:9090/graph?g0.expr="
        + "postfix_showq_message_size_bytes_count%7Bqueue%3D%22deferred%22%7D+%3E+1000&g0.tab=1");
    json.writeStringField("fingerprint", String.format("%016x", 0x3f2a9c1d7b4e0000L + i));
    json.writeEndObject();
  }
}
