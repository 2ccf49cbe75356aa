package com.cabalmail.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * Scrubbing by pattern is linear: 256 KiB of text built to make backtracking patterns slow is
 * scrubbed within {@link #BOUND_MILLIS} per text. Linear scrubbing takes a few milliseconds
 * here; the cubic pattern this replaced took 10 s on 6,000 characters of {@code token-}, so on
 * 256 KiB it would run for days and fail this bound by orders of magnitude.
 */
class RedactionLinearTimeTest {

  /** Per 256 KiB text: generous, so that a loaded 2-core machine cannot make it flake. */
  static final long BOUND_MILLIS = 3_000;
  static final int SIZE = 256 * 1024;

  static String repeat(String unit) {
    StringBuilder text = new StringBuilder(SIZE + unit.length());
    while (text.length() < SIZE) {
      text.append(unit);
    }
    return text.substring(0, SIZE);
  }

  static String randomOf(String alphabet, long seed) {
    Random random = new Random(seed); // fixed seed: the same text on every run
    StringBuilder text = new StringBuilder(SIZE);
    for (int i = 0; i < SIZE; i++) {
      text.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return text.toString();
  }

  static Map<String, String> adversarial() {
    Map<String, String> texts = new LinkedHashMap<>();
    texts.put("token- repeated", repeat("token-"));
    texts.put("token- repeated, then =", repeat("token-").substring(1) + "=");
    texts.put("random -_a-z", randomOf("-_abcdefghijklmnopqrstuvwxyz", 23));
    texts.put("random -_a-z with separators", randomOf("-_abcdefghijklmnopqrstuvwxyz =:", 42));
    texts.put("one run of a", repeat("a"));
    texts.put("password then spaces", "password" + repeat(" "));
    texts.put("short values", repeat("token=ab "));
    texts.put("name=name=", repeat("a="));
    texts.put("scheme starts a.a.a", repeat("a."));
    texts.put("schemes without user info", repeat("a://b"));
    texts.put("user info never closed", "http://" + repeat("u:p"));
    texts.put("scheme run then ://", repeat("a+b.c-") + "://x@y");
    texts.put("bearer then spaces", "Bearer" + repeat(" \t"));
    texts.put("bearer repeated", repeat("bearer "));
    texts.put("key id run never ending on a boundary", "AKIA" + repeat("A") + "a");
    texts.put("key id starts", repeat("AKIA-"));
    return texts;
  }

  @Test
  void adversarialTextIsScrubbedInLinearTime() throws Exception {
    Redaction redaction = Redaction.of(Secret.of("s3cret-value-1")).withPatterns();
    for (Map.Entry<String, String> text : adversarial().entrySet()) {
      long began = System.nanoTime();
      CompletableFuture<String> scrubbed = new CompletableFuture<>();
      // A daemon thread: if the bound is missed, the runaway scrub cannot keep the JVM alive.
      Thread thread = new Thread(() -> scrubbed.complete(redaction.scrub(text.getValue())));
      thread.setDaemon(true);
      thread.start();
      try {
        scrubbed.get(BOUND_MILLIS, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        throw new AssertionError(text.getKey() + ": not scrubbed within " + BOUND_MILLIS + " ms");
      }
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
      assertTrue(millis < BOUND_MILLIS, text.getKey() + " took " + millis + " ms");
    }
  }

  @Test
  void theLinearPatternsBlankWhatTheOldOnesDid() {
    Redaction r = Redaction.none().withPatterns();
    assertEquals("abc=xtoken=<redacted>", r.scrub("abc=xtoken=abcdef"));
    assertEquals("x-Api-Key : <redacted>, next", r.scrub("x-Api-Key : k3y-value, next"));
    assertEquals("DB_PASSWORD=<redacted>&user=x", r.scrub("DB_PASSWORD=hunter2x&user=x"));
    assertEquals("token=abc left alone", r.scrub("token=abc left alone"));
    assertEquals("tokens are words", r.scrub("tokens are words"));
    assertEquals("see .https://<redacted>@host/x", r.scrub("see .https://ops:pw@host/x"));
    assertEquals("git+ssh://<redacted>@host", r.scrub("git+ssh://me:pw@host"));
    assertEquals("https://host/a@b", r.scrub("https://host/a@b"));
    assertEquals("Authorization: Basic <redacted>", r.scrub("Authorization: Basic dXNlcjpwdw=="));
    assertEquals("<redacted> then AKIAshort", r.scrub("AKIAIOSFODNN7EXAMPLE then AKIAshort"));
    assertFalse(r.scrub(repeat("token-") + "=" + "hunter22").contains("hunter22"));
  }
}
