package com.cabalmail.sink;

import com.cabalmail.http.Redaction;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.IMarkerFactory;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The deployed sink's SLF4J backend: one line per event on standard output, which Lambda sends
 * to CloudWatch as one log event ({@code 2026-08-21T10:15:30.123Z WARN AlertRouter delivery
 * ...}). A stack trace stays on the same line, its line breaks written as {@code \n}. The level
 * comes from {@code LOG_LEVEL} ({@code error}, {@code warn}, {@code info} (default),
 * {@code debug}, {@code trace}). Found by SLF4J through {@code META-INF/services}; tests select
 * their own provider with {@code slf4j.provider}. Once the sink knows its secrets, every line is
 * scrubbed of them ({@link #redact}) before it is written, stack traces included, and of the
 * secrets the process learned at run time ({@link Redaction#process()}, e.g. AWS credentials
 * fetched from a container credentials endpoint).
 */
public final class StdoutLogging implements SLF4JServiceProvider {

  /** The environment variable holding the level. */
  public static final String LEVEL = "LOG_LEVEL";

  private final IMarkerFactory markers = new BasicMarkerFactory();
  private final MDCAdapter mdc = new NOPMDCAdapter();
  private volatile LineLoggers loggers;

  /** For {@link java.util.ServiceLoader}. */
  public StdoutLogging() {}

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
  public void initialize() {
    Level threshold = parse(System.getenv(LEVEL));
    loggers = new LineLoggers(threshold, utf8(System.out));
  }

  /**
   * {@code stream} writing UTF-8 whatever the locale: CloudWatch Logs reads UTF-8, and under the
   * POSIX locale (no {@code LANG}) the JDK's standard output would turn every non-ASCII
   * character of an alert into {@code ?}. Unicode is data.
   */
  static PrintStream utf8(PrintStream stream) {
    return new PrintStream(stream, true, StandardCharsets.UTF_8);
  }

  /**
   * Scrubs every secret {@code redaction} knows from each line the loggers of this process
   * write from now on, when this backend is SLF4J's (in the deployed sink); does nothing
   * otherwise (tests capture logs with their own backend).
   */
  static void redact(ILoggerFactory factory, Redaction redaction) {
    if (factory instanceof LineLoggers) {
      ((LineLoggers) factory).redaction = redaction;
    }
  }

  /** The loggers: one per name, sharing the threshold, the output and the redaction. */
  static final class LineLoggers implements ILoggerFactory {
    private final Level threshold;
    private final PrintStream out;
    private volatile Redaction redaction = Redaction.none();

    LineLoggers(Level threshold, PrintStream out) {
      this.threshold = threshold;
      this.out = out;
    }

    @Override
    public Logger getLogger(String name) {
      return new LineLogger(name, this);
    }

    void write(Level level, String logger, String message, Throwable thrown) {
      String line = redaction.scrub(line(Instant.now(), level, logger, message, thrown));
      out.println(Redaction.process().scrub(line)); // and what the process learned since
    }
  }

  static Level parse(String text) {
    if (text != null) {
      for (Level level : Level.values()) {
        if (level.name().equalsIgnoreCase(text.trim())) {
          return level;
        }
      }
    }
    return Level.INFO;
  }

  /** Formats one event as one line. */
  static String line(Instant at, Level level, String logger, String message, Throwable thrown) {
    StringBuilder line = new StringBuilder(128)
        .append(at).append(' ').append(level).append(' ')
        .append(logger.substring(logger.lastIndexOf('.') + 1)).append(' ');
    oneLine(message, line);
    if (thrown != null) {
      StringWriter trace = new StringWriter();
      thrown.printStackTrace(new PrintWriter(trace));
      line.append(" | ");
      oneLine(trace.toString().stripTrailing(), line);
    }
    return line.toString();
  }

  private static void oneLine(String text, StringBuilder into) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n') {
        into.append("\\n");
      } else if (c == '\r') {
        into.append("\\r");
      } else if (c == '\t') {
        into.append(' ');
      } else {
        into.append(c);
      }
    }
  }

  private static final class LineLogger extends LegacyAbstractLogger {
    private static final long serialVersionUID = 1L;
    private final transient Level threshold;
    private final transient LineLoggers loggers;

    LineLogger(String name, LineLoggers loggers) {
      this.name = name;
      this.threshold = loggers.threshold;
      this.loggers = loggers;
    }

    @Override
    protected String getFullyQualifiedCallerName() {
      return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(
        Level level, Marker marker, String pattern, Object[] arguments, Throwable throwable) {
      String message = MessageFormatter.basicArrayFormat(pattern, arguments);
      loggers.write(level, name, message == null ? "null" : message, throwable);
    }

    private boolean enabled(Level level) {
      return level.toInt() >= threshold.toInt();
    }

    @Override
    public boolean isTraceEnabled() {
      return enabled(Level.TRACE);
    }

    @Override
    public boolean isDebugEnabled() {
      return enabled(Level.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
      return enabled(Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
      return enabled(Level.WARN);
    }

    @Override
    public boolean isErrorEnabled() {
      return enabled(Level.ERROR);
    }
  }
}
