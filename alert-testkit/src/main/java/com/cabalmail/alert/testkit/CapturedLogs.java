package com.cabalmail.alert.testkit;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * Every log line written through SLF4J during the tests, fully formatted with its throwable's
 * stack trace, so tests can assert that no secret is ever logged. Lines at INFO and above are
 * also echoed to standard error.
 *
 * <p>The kit binds the capture itself: its jar lists {@link Provider} in
 * {@code META-INF/services/org.slf4j.spi.SLF4JServiceProvider}, so a test class path with no
 * other SLF4J backend needs nothing more. Where another backend is on the class path too, choose
 * this one with the system property
 * {@code slf4j.provider=com.cabalmail.alert.testkit.CapturedLogs$Provider} (surefire's
 * {@code systemPropertyVariables}). Every method here first checks that the capture is the
 * active provider and fails the test otherwise, so "no secret in the logs" never passes because
 * the logs went elsewhere.
 */
public final class CapturedLogs {

  private static final List<String> LINES = new CopyOnWriteArrayList<>();
  private static final java.util.concurrent.atomic.AtomicInteger MUTED =
      new java.util.concurrent.atomic.AtomicInteger();

  private CapturedLogs() {}

  /**
   * Runs {@code work} with the capture and its echo off, on every thread: for a test that logs
   * by the hundred thousand (a model run), whose lines nobody reads.
   */
  public static <T> T quietly(java.util.function.Supplier<T> work) {
    MUTED.incrementAndGet();
    try {
      return work.get();
    } finally {
      MUTED.decrementAndGet();
    }
  }

  /** Forgets what was captured so far. */
  public static void clear() {
    requireActive();
    LINES.clear();
  }

  /** What was captured since the last {@link #clear()}, one entry per log call. */
  public static List<String> lines() {
    requireActive();
    return List.copyOf(LINES);
  }

  /** Everything captured, joined by new lines. */
  public static String text() {
    requireActive();
    return String.join("\n", LINES);
  }

  /**
   * Fails, saying how to bind the capture, unless SLF4J logs through it.
   *
   * @throws AssertionError when another SLF4J provider (or none) is active
   */
  public static void requireActive() {
    ILoggerFactory active = LoggerFactory.getILoggerFactory();
    if (!(active instanceof CapturingLoggerFactory)) {
      throw new AssertionError("SLF4J logs through " + active.getClass().getName()
          + ", not the test kit's capture, so log assertions would pass without seeing a line."
          + " Run the tests with the system property slf4j.provider="
          + Provider.class.getName() + " (surefire/failsafe systemPropertyVariables), or"
          + " remove the other SLF4J backend from the test class path.");
    }
  }

  /** The SLF4J provider that feeds {@link CapturedLogs}; SLF4J finds and builds it. */
  public static final class Provider implements SLF4JServiceProvider {
    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final MDCAdapter mdc = new NOPMDCAdapter();
    private final ILoggerFactory loggers = new CapturingLoggerFactory();

    /** Called by SLF4J's service loading. */
    public Provider() {}

    @Override
    public ILoggerFactory getLoggerFactory() {
      return loggers;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
      return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
      return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
      return "2.0.99";
    }

    @Override
    public void initialize() {}
  }

  private static final class CapturingLoggerFactory implements ILoggerFactory {
    @Override
    public org.slf4j.Logger getLogger(String name) {
      return new CapturingLogger(name);
    }
  }

  private static final class CapturingLogger extends LegacyAbstractLogger {
    private static final long serialVersionUID = 1L;

    CapturingLogger(String name) {
      this.name = name;
    }

    @Override
    protected String getFullyQualifiedCallerName() {
      return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(
        Level level, Marker marker, String pattern, Object[] arguments, Throwable throwable) {
      if (MUTED.get() > 0) {
        return;
      }
      String message = MessageFormatter.basicArrayFormat(pattern, arguments);
      StringBuilder line = new StringBuilder()
          .append(level).append(' ').append(name).append(" - ").append(message);
      if (throwable != null) {
        StringWriter trace = new StringWriter();
        throwable.printStackTrace(new PrintWriter(trace));
        line.append('\n').append(trace);
      }
      LINES.add(line.toString());
      if (level.toInt() >= Level.INFO.toInt() && name.startsWith("com.cabalmail")) {
        System.err.println(line);
      }
    }

    @Override
    public boolean isTraceEnabled() {
      return false;
    }

    @Override
    public boolean isDebugEnabled() {
      return true;
    }

    @Override
    public boolean isInfoEnabled() {
      return true;
    }

    @Override
    public boolean isWarnEnabled() {
      return true;
    }

    @Override
    public boolean isErrorEnabled() {
      return true;
    }
  }
}
