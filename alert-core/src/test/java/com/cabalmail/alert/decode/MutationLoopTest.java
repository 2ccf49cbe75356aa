package com.cabalmail.alert.decode;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.cabalmail.alert.Alert;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A seeded mutation loop over every fixture: byte and bit flips, truncations, deletions,
 * duplications, hostile insertions, type swaps, deep nesting, huge strings and numbers,
 * duplicate keys and splices of two fixtures. Each case must decode to a sane batch or throw
 * {@link DecodeException}, nothing else, within a time bound. A failure names the case index;
 * the loop is deterministic, so the index reproduces it.
 */
class MutationLoopTest {

  private static final long SEED = 0x5EED_CABA1L;
  private static final int CASES = 100_000;
  private static final long MAX_NANOS_PER_CASE = 1_000_000_000L;

  private static final String[] INSERTS = {
      "\"", "\\", "{", "}", "[", "]", ",", ":", "null", "0", "-", "1e999", "-0.0", "\\u0000",
      "\\ud800", "\\udc00\\ud800", "\u00c3", "\ud83d\udd25", "\u202e", "\t", "\r\n", " ",
      "\"severity\":\"critical\",", "\"alerts\":[],", "\"heartbeat\":null,",
      "\"status\":\"firing\",", "\"labels\":{},", "\"truncatedAlerts\":-1,", "true", "\"\"",
      "/*", "'", "NaN", "Infinity", "\"alertname\":\"\","};

  private static final String[] VALUES = {
      "null", "0", "-1", "3", "1.5e308", "true", "false", "\"x\"", "\"\"", "{}", "[]", "[1,2]",
      "{\"a\":\"b\"}", "\"critical\"", "\"firing\"", "\"resolved\"", "\"up\"",
      "\"0001-01-01T00:00:00Z\"", "\"2026-08-21 09:31:04.221\"", "\"https://x.example/\"",
      "\"\\u0000\\r\\n\"", "\"\\ud83d\"", "99999999999999999999", "[{}]",
      "[{\"status\":\"firing\",\"labels\":{\"alertname\":\"A\"}}]"};

  private static final byte[][] RAW = {
      {(byte) 0xff}, {(byte) 0xc0, (byte) 0x80}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
      {(byte) 0xef, (byte) 0xbb, (byte) 0xbf}, {0}, {(byte) 0xe2, (byte) 0x9c},
      {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}};

  private static final String[] CONTENT_TYPES = {
      null, "application/json", "application/x-www-form-urlencoded", "text/plain",
      "application/json; charset=iso-8859-1"};

  @Test
  void everyMutationDecodesOrIsADecodeExceptionWithinTheTimeBound() {
    List<byte[]> fixtures = new ArrayList<>();
    Payloads.VALID.forEach(name -> fixtures.add(Payloads.bytes(name)));
    Payloads.BROKEN.forEach(name -> fixtures.add(Payloads.bytes(name)));
    WebhookDecoder standard = WebhookDecoder.builder().build();
    WebhookDecoder tight = WebhookDecoder.builder().maxAlerts(2).maxBodyBytes(2048)
        .runbook("kuma", java.net.URI.create("https://runbooks.example/kuma")).build();
    WebhookFormat[] formats = WebhookFormat.values();
    SplittableRandom random = new SplittableRandom(SEED);

    int decoded = 0;
    int rejected = 0;
    long slowest = 0;
    long loopStart = System.nanoTime();
    java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long cpuStart = threads.getCurrentThreadCpuTime();
    for (int i = 0; i < CASES; i++) {
      byte[] original = fixtures.get(random.nextInt(fixtures.size()));
      byte[] input = original;
      int rounds = 1 + (random.nextInt(4) == 0 ? random.nextInt(3) : 0);
      for (int r = 0; r < rounds; r++) {
        input = mutate(input, fixtures, random);
      }
      WebhookDecoder decoder = i % 5 == 0 ? tight : standard;
      WebhookFormat format = random.nextInt(5) == 0
          ? formats[random.nextInt(formats.length)] : WebhookFormat.AUTO;
      String contentType = CONTENT_TYPES[random.nextInt(CONTENT_TYPES.length)];

      // The bound is on this thread's CPU time: a case is linear or it is not, while its wall
      // time also counts a GC pause or a busy machine's scheduler (a flaky bound).
      long start = threads.getCurrentThreadCpuTime();
      try {
        AlertBatch batch = decoder.decode(input, contentType, format);
        assertSane(batch, i);
        decoded++;
      } catch (DecodeException e) {
        assertNotNull(e.getMessage(), "case " + i);
        assertFalse(e.getMessage().isBlank(), "case " + i);
        rejected++;
      } catch (Throwable t) {
        fail("case " + i + " (seed " + SEED + ") threw " + t + " for input "
            + excerpt(input), t);
      }
      long elapsed = threads.getCurrentThreadCpuTime() - start;
      slowest = Math.max(slowest, elapsed);
      if (elapsed > MAX_NANOS_PER_CASE) {
        fail("case " + i + " took " + elapsed / 1_000_000 + " ms of CPU, over the bound of "
            + MAX_NANOS_PER_CASE / 1_000_000 + " ms");
      }
    }
    System.out.printf("mutation loop: %d cases, %d decoded, %d rejected, slowest %.1f ms of CPU,"
        + " %.1f s in all, %.1f s of CPU%n", CASES, decoded, rejected, slowest / 1e6,
        (System.nanoTime() - loopStart) / 1e9,
        (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpuStart) / 1e9);
    assertTrue(decoded > CASES / 20, "too few mutations decode (" + decoded
        + "): the loop would not reach past the parser");
    assertTrue(rejected > CASES / 5, "too few mutations are rejected (" + rejected + ")");
  }

  private static void assertSane(AlertBatch batch, int index) {
    assertFalse(batch.alerts().isEmpty(), "case " + index);
    for (Alert alert : batch.alerts()) {
      assertFalse(alert.summary().isBlank(), "case " + index);
      assertNoControl(alert.source(), false, index);
      assertNoControl(alert.summary(), true, index);
      for (Map.Entry<String, String> label : alert.labels().entrySet()) {
        assertNoControl(label.getKey(), false, index);
        assertNoControl(label.getValue(), false, index);
      }
    }
  }

  private static void assertNoControl(String text, boolean multiline, int index) {
    for (int k = 0; k < text.length(); k++) {
      char c = text.charAt(k);
      boolean allowed = multiline && (c == '\n' || c == '\t');
      if (!allowed && Character.getType(c) == Character.CONTROL) {
        fail("case " + index + ": control character U+" + Integer.toHexString(c)
            + " in decoded text");
      }
      if (Character.isHighSurrogate(c)
          && (k + 1 == text.length() || !Character.isLowSurrogate(text.charAt(k + 1)))) {
        fail("case " + index + ": unpaired surrogate in decoded text");
      }
      if (Character.isLowSurrogate(c) && (k == 0 || !Character.isHighSurrogate(text.charAt(k - 1)))) {
        fail("case " + index + ": unpaired surrogate in decoded text");
      }
    }
  }

  // Mutations.

  private static byte[] mutate(byte[] in, List<byte[]> fixtures, SplittableRandom random) {
    int n = in.length;
    switch (random.nextInt(13)) {
      case 0: { // byte flips
        byte[] out = in.clone();
        for (int k = 1 + random.nextInt(4); k > 0 && n > 0; k--) {
          out[random.nextInt(n)] = (byte) random.nextInt(256);
        }
        return out;
      }
      case 1: { // bit flip
        byte[] out = in.clone();
        if (n > 0) {
          out[random.nextInt(n)] ^= (byte) (1 << random.nextInt(8));
        }
        return out;
      }
      case 2: // truncation
        return slice(in, 0, n == 0 ? 0 : random.nextInt(n));
      case 3: { // deletion of a range
        int from = random.nextInt(n + 1);
        int to = Math.min(n, from + random.nextInt(64));
        return join(slice(in, 0, from), slice(in, to, n));
      }
      case 4: { // duplication of a range
        int from = random.nextInt(n + 1);
        int to = Math.min(n, from + random.nextInt(128));
        int at = random.nextInt(n + 1);
        return join(slice(in, 0, at), slice(in, from, to), slice(in, at, n));
      }
      case 5: { // hostile insertion
        int at = random.nextInt(n + 1);
        byte[] insert = random.nextBoolean()
            ? utf8(INSERTS[random.nextInt(INSERTS.length)]) : RAW[random.nextInt(RAW.length)];
        return join(slice(in, 0, at), insert, slice(in, at, n));
      }
      case 6: // type swap
        return replaceValue(in, random, utf8(VALUES[random.nextInt(VALUES.length)]));
      case 7: { // deep nesting
        int depth = 1 + random.nextInt(200);
        String open = random.nextBoolean() ? "[" : "{\"a\":";
        String close = open.equals("[") ? "]" : "}";
        return replaceValue(in, random, utf8(open.repeat(depth) + "1" + close.repeat(depth)));
      }
      case 8: { // long string; rarely one around the parser's limit (a quarter megabyte each)
        if (random.nextInt(300) != 0) {
          return replaceValue(in, random, utf8("\"" + "y\u00e9\ud83d\udd25".repeat(
              1 + random.nextInt(200)) + "\""));
        }
        int length = 200_000 + random.nextInt(80_000);
        return replaceValue(in, random, utf8("\"" + "z".repeat(length) + "\""));
      }
      case 9: { // huge number
        return replaceValue(in, random, utf8("1".repeat(1 + random.nextInt(100))));
      }
      case 10: { // duplicate key right after an opening brace
        int at = indexOf(in, (byte) '{', random.nextInt(n + 1));
        if (at < 0) {
          return in;
        }
        byte[] key = utf8("\"" + pick(random, "severity", "status", "alertname", "alerts",
            "heartbeat", "summary", "labels", "name", "a") + "\":\"x\",");
        return join(slice(in, 0, at + 1), key, key, slice(in, at + 1, n));
      }
      case 11: { // splice of two fixtures
        byte[] other = fixtures.get(random.nextInt(fixtures.size()));
        return join(slice(in, 0, random.nextInt(n + 1)),
            slice(other, random.nextInt(other.length + 1), other.length));
      }
      default: { // swap two bytes
        byte[] out = in.clone();
        if (n > 1) {
          int a = random.nextInt(n);
          int b = random.nextInt(n);
          byte t = out[a];
          out[a] = out[b];
          out[b] = t;
        }
        return out;
      }
    }
  }

  /** Replaces the value after a random {@code ":"} with {@code value}. */
  private static byte[] replaceValue(byte[] in, SplittableRandom random, byte[] value) {
    int colon = indexOf(in, (byte) ':', random.nextInt(in.length + 1));
    if (colon < 0) {
      colon = indexOf(in, (byte) ':', 0);
      if (colon < 0) {
        return in;
      }
    }
    int start = colon + 1;
    while (start < in.length && (in[start] == ' ' || in[start] == '\n')) {
      start++;
    }
    int end = valueEnd(in, start);
    return join(slice(in, 0, start), value, slice(in, end, in.length));
  }

  /** Where the JSON value starting at {@code start} ends (exclusive), roughly. */
  private static int valueEnd(byte[] in, int start) {
    if (start >= in.length) {
      return in.length;
    }
    byte first = in[start];
    int i = start;
    if (first == '"') {
      for (i = start + 1; i < in.length; i++) {
        if (in[i] == '\\') {
          i++;
        } else if (in[i] == '"') {
          return i + 1;
        }
      }
      return in.length;
    }
    if (first == '{' || first == '[') {
      int depth = 0;
      boolean inString = false;
      for (; i < in.length; i++) {
        byte b = in[i];
        if (inString) {
          if (b == '\\') {
            i++;
          } else if (b == '"') {
            inString = false;
          }
        } else if (b == '"') {
          inString = true;
        } else if (b == '{' || b == '[') {
          depth++;
        } else if (b == '}' || b == ']') {
          if (--depth == 0) {
            return i + 1;
          }
        }
      }
      return in.length;
    }
    while (i < in.length && in[i] != ',' && in[i] != '}' && in[i] != ']' && in[i] != '\n') {
      i++;
    }
    return i;
  }

  private static int indexOf(byte[] in, byte b, int from) {
    for (int i = from; i < in.length; i++) {
      if (in[i] == b) {
        return i;
      }
    }
    return -1;
  }

  private static String pick(SplittableRandom random, String... options) {
    return options[random.nextInt(options.length)];
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] slice(byte[] in, int from, int to) {
    byte[] out = new byte[Math.max(0, to - from)];
    System.arraycopy(in, from, out, 0, out.length);
    return out;
  }

  private static byte[] join(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  private static String excerpt(byte[] input) {
    String text = new String(input, 0, Math.min(input.length, 600), StandardCharsets.UTF_8);
    return input.length + " bytes: " + text.replace("\n", "\\n");
  }
}
