package com.cabalmail.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cabalmail.http.Redaction;
import com.cabalmail.http.Secret;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

class StdoutLoggingTest {

  @Test
  void oneEventIsOneLineWithTimeLevelAndLoggerName() {
    String line = StdoutLogging.line(Instant.parse("2026-08-21T10:15:30.123Z"), Level.WARN,
        "com.cabalmail.alert.AlertRouter", "delivery outcome=failed", null);
    assertEquals("2026-08-21T10:15:30.123Z WARN AlertRouter delivery outcome=failed", line);
  }

  @Test
  void stackTraceStaysOnTheEventsLine() {
    String line = StdoutLogging.line(Instant.EPOCH, Level.ERROR, "com.cabalmail.sink.Sink",
        "request r-1 failed\nunexpectedly", new IllegalStateException("boom"));
    assertFalse(line.contains("\n"), line);
    assertTrue(line.contains("request r-1 failed\\nunexpectedly | java.lang.IllegalStateException:"
        + " boom\\n at com.cabalmail.sink.StdoutLoggingTest"), line);
  }

  @Test
  void levelComesFromTheEnvironmentValueDefaultingToInfo() {
    assertEquals(Level.DEBUG, StdoutLogging.parse(" debug "));
    assertEquals(Level.INFO, StdoutLogging.parse(null));
    assertEquals(Level.INFO, StdoutLogging.parse("loud"));
  }

  @Test
  void onceRedactedEveryLineAndStackTraceIsScrubbedOfEverySecret() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    StdoutLogging.LineLoggers loggers = new StdoutLogging.LineLoggers(
        Level.INFO, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    StdoutLogging.redact(loggers, Redaction.of(Secret.of("tk_AgQdq7mVBoFD37zQVN29"),
        Secret.of("aws-secret-access-key-value")));
    loggers.getLogger("com.cabalmail.Test").warn("ntfy said Bearer {}",
        "tk_AgQdq7mVBoFD37zQVN29", new IllegalStateException("key aws-secret-access-key-value"));
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(out.contains("ntfy said Bearer <redacted>"), out);
    assertTrue(out.contains("IllegalStateException: key <redacted>"), out);
    assertFalse(out.contains("tk_AgQdq7") || out.contains("aws-secret"), out);
  }

  @Test
  void secretsTheProcessLearnsLaterAreScrubbedToo() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    StdoutLogging.LineLoggers loggers = new StdoutLogging.LineLoggers(
        Level.INFO, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    StdoutLogging.redact(loggers, Redaction.of(Secret.of("configured-secret-1")));
    String source = "StdoutLoggingTest";
    try {
      Redaction.learned(source, java.util.List.of(Secret.of("fetched-later-secret-2")));
      loggers.getLogger("com.cabalmail.Test").warn("configured-secret-1 and fetched-later-secret-2");
    } finally {
      Redaction.learned(source, java.util.List.of());
    }
    assertTrue(bytes.toString(StandardCharsets.UTF_8).contains("<redacted> and <redacted>"),
        bytes.toString(StandardCharsets.UTF_8));
  }
}
