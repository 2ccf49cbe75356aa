package com.cabalmail.http;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The cold path's timeline, for benchmarks: when the process's milestones passed and when each
 * round trip (every {@link HttpDelivery#send}, the Runtime API's exchanges) started and ended,
 * in milliseconds since the JVM's first use of this class, each with the CPU time its thread
 * had used by then. Off, and free, unless the system
 * property {@value #PROPERTY} is {@code true}; then the first {@value #CAPACITY} marks are kept
 * and {@link #print} writes them once, e.g. after the first response (the custom runtime does).
 */
public final class Timeline {

  /** The system property that turns the timeline on. */
  public static final String PROPERTY = "com.cabalmail.timeline";
  /** The marks kept; later ones are dropped (a cold start has a few dozen). */
  static final int CAPACITY = 128;

  private static final boolean ON = Boolean.getBoolean(PROPERTY);
  private static final long ORIGIN = System.nanoTime();
  private static final long[] AT = new long[ON ? CAPACITY : 0];
  private static final String[] WHAT = new String[ON ? CAPACITY : 0];
  private static final String[] THREAD = new String[ON ? CAPACITY : 0];
  private static final long[] CPU = new long[ON ? CAPACITY : 0];
  private static int count;
  private static boolean printed;

  private Timeline() {}

  /** Whether marks are kept. */
  public static boolean on() {
    return ON;
  }

  /** Marks {@code subject}'s {@code event} now ({@code "ssm", "start"}); a no-op when off. */
  public static void mark(String subject, String event) {
    if (!ON) {
      return;
    }
    long now = System.nanoTime();
    String thread = Thread.currentThread().getName();
    long cpu = threadCpuNanos();
    synchronized (Timeline.class) {
      if (count < CAPACITY) {
        AT[count] = now;
        CPU[count] = cpu;
        WHAT[count] = subject + " " + event;
        THREAD[count] = thread;
        count++;
      }
    }
  }

  /** The calling thread's time on a CPU so far (Linux: {@code /proc/thread-self/schedstat}). */
  private static long threadCpuNanos() {
    try {
      String stat = new String(java.nio.file.Files.readAllBytes(java.nio.file.Path.of(
          "/proc/thread-self/schedstat")), java.nio.charset.StandardCharsets.US_ASCII);
      return Long.parseLong(stat.substring(0, stat.indexOf(' ')));
    } catch (java.io.IOException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * Writes the marks so far to {@code out}, one line each ({@code timeline +12.3 ms [thread]
   * what}), once: later calls write nothing.
   */
  public static void print(PrintStream out) {
    if (!ON) {
      return;
    }
    StringBuilder text = new StringBuilder();
    synchronized (Timeline.class) {
      if (printed) {
        return;
      }
      printed = true;
      long sinceLaunch = ProcessHandle.current().info().startInstant()
          .map(start -> java.time.Duration.between(start, java.time.Instant.now()).toMillis())
          .orElse(-1L);
      text.append(String.format(Locale.ROOT, "timeline (the process was launched about %d ms"
          + " before this line; +0 is the JVM's first mark)%n", sinceLaunch));
      for (int i = 0; i < count; i++) {
        text.append(String.format(Locale.ROOT, "timeline %+8.1f ms (thread CPU %6.1f ms) [%s] %s%n",
            (AT[i] - ORIGIN) / 1e6, CPU[i] / 1e6, THREAD[i], WHAT[i]));
      }
    }
    out.print(text);
    out.flush();
  }
}
