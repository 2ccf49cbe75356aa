package com.cabalmail.sink;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A small HTTP/1.1 reader and writer for one connection of the local server: one request per
 * connection ({@code Connection: close}), a request head of at most {@value #MAX_HEAD_BYTES}
 * bytes, a body by {@code Content-Length} or {@code chunked}, {@code Expect: 100-continue}
 * honoured. Every read is bounded by the connection's own deadlines, counted from the first
 * byte read (so time spent waiting for a worker never counts against a request that has
 * arrived): the head must arrive within {@link Limits#head()} of it, the whole request within
 * {@link Limits#request()}, and the first byte itself within {@link Limits#head()} of the
 * worker taking the connection. A client that trickles (one byte a second) is answered 408
 * and dropped when its deadline passes, holding nothing but its own worker until then. Every
 * write is bounded by {@link Limits#write()}: a client that does not read cannot hold a worker.
 * After an error answer, what the client is still sending is read and dropped
 * ({@link #drain}, bounded in bytes and time), so the answer reaches it instead of a reset.
 *
 * <p>The JDK's {@code HttpServer} has no per-connection read deadline (only process-wide
 * system properties, which a library must not set), hence this reader.
 */
final class LoopbackHttp {

  /** The request line and headers must arrive within this of the first byte. */
  static final Duration HEAD_DEADLINE = Duration.ofSeconds(5);
  /** The whole request must arrive within this of the first byte. */
  static final Duration REQUEST_DEADLINE = Duration.ofSeconds(15);
  /** An answer must be written within this. */
  static final Duration WRITE_DEADLINE = Duration.ofSeconds(5);
  /** The longest drain after an error answer. */
  static final Duration DRAIN_TIME = Duration.ofSeconds(3);
  /** A drain ends when the client has sent nothing for this long. */
  static final Duration DRAIN_IDLE = Duration.ofSeconds(1);
  /** The most bytes a drain reads: more than a Function URL's 6 MB request limit. */
  static final long DRAIN_BYTES = 8L * 1024 * 1024;
  static final int MAX_HEAD_BYTES = 32 * 1024;
  private static final int MAX_HEADERS = 100;

  /**
   * The time and byte bounds of one connection.
   *
   * @param head the request head's deadline, from the first byte (and the first byte's, from
   *     the worker taking the connection)
   * @param request the whole request's deadline, from the first byte
   * @param write the deadline of each answer's write
   * @param drainTime the longest drain after an error answer
   * @param drainIdle a drain ends after this long without a byte
   * @param drainBytes the most bytes a drain reads
   */
  record Limits(Duration head, Duration request, Duration write, Duration drainTime,
      Duration drainIdle, long drainBytes) {
    static final Limits DEFAULT = new Limits(HEAD_DEADLINE, REQUEST_DEADLINE, WRITE_DEADLINE,
        DRAIN_TIME, DRAIN_IDLE, DRAIN_BYTES);
  }

  private LoopbackHttp() {}

  /** A request that cannot be read: answered with {@code status} and {@code message}. */
  static final class Unreadable extends Exception {
    private static final long serialVersionUID = 1L;
    private final int status;

    Unreadable(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }

    int status() {
      return status;
    }
  }

  /** One request as read off the wire. */
  record Request(String method, String path, Map<String, List<String>> headers, byte[] body) {}

  /**
   * Reads one request from {@code socket}.
   *
   * @param maxBody the largest body read; a larger declared or sent body is a 413
   * @param nanoTime the clock of the deadlines
   * @param servedAt when a worker took the connection, on {@code nanoTime}: the first byte
   *     must arrive within {@link Limits#head()} of it
   */
  static Request read(Socket socket, int maxBody, LongSupplier nanoTime, long servedAt,
      Limits limits) throws IOException, Unreadable {
    Reader in = new Reader(socket, nanoTime, servedAt, limits);
    byte[] head = in.head();
    String text = new String(head, StandardCharsets.ISO_8859_1);
    String[] lines = text.split("\r?\n");
    String[] requestLine = lines[0].split(" ");
    if (requestLine.length != 3 || !requestLine[2].startsWith("HTTP/1.")
        || !requestLine[0].matches("[A-Za-z]{1,16}")) {
      throw new Unreadable(400, "malformed request line");
    }
    Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (int i = 1; i < lines.length; i++) {
      String line = lines[i];
      if (line.isEmpty()) {
        continue;
      }
      int colon = line.indexOf(':');
      if (colon <= 0 || line.charAt(0) == ' ' || line.charAt(0) == '\t' || i > MAX_HEADERS) {
        throw new Unreadable(400, "malformed or too many header lines");
      }
      String name = line.substring(0, colon).trim();
      // Header bytes are UTF-8 in practice (names of monitors in custom headers).
      String value = new String(line.substring(colon + 1).trim()
          .getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
      headers.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
    }
    String target = requestLine[1];
    String path = pathOf(target);
    byte[] body = body(in, socket, headers, maxBody, limits);
    return new Request(requestLine[0].toUpperCase(Locale.ROOT), path, headers, body);
  }

  private static String pathOf(String target) {
    String path = target;
    int scheme = path.indexOf("://");
    if (scheme > 0) {
      int slash = path.indexOf('/', scheme + 3);
      path = slash < 0 ? "/" : path.substring(slash);
    }
    int query = path.indexOf('?');
    return query < 0 ? path : path.substring(0, query);
  }

  private static byte[] body(Reader in, Socket socket, Map<String, List<String>> headers,
      int maxBody, Limits limits) throws IOException, Unreadable {
    List<String> encoding = headers.getOrDefault("transfer-encoding", List.of());
    List<String> length = headers.getOrDefault("content-length", List.of());
    boolean expectContinue = headers.getOrDefault("expect", List.of()).stream()
        .anyMatch(v -> v.equalsIgnoreCase("100-continue"));
    if (!encoding.isEmpty()) {
      String coding = String.join(",", encoding).trim().toLowerCase(Locale.ROOT);
      if (!coding.equals("chunked")) {
        throw new Unreadable(501, "Transfer-Encoding '" + coding + "' is not supported");
      }
      if (!length.isEmpty()) {
        throw new Unreadable(400, "both Transfer-Encoding and Content-Length");
      }
      continueIfAsked(expectContinue, socket, limits);
      return in.chunked(maxBody);
    }
    if (length.isEmpty()) {
      return new byte[0];
    }
    long declared;
    try {
      declared = Long.parseLong(length.get(0).trim());
      for (String other : length) {
        if (Long.parseLong(other.trim()) != declared) {
          throw new Unreadable(400, "conflicting Content-Length headers");
        }
      }
    } catch (NumberFormatException e) {
      throw new Unreadable(400, "Content-Length is not a number");
    }
    if (declared < 0) {
      throw new Unreadable(400, "Content-Length is negative");
    }
    if (declared > maxBody) {
      throw new Unreadable(413, "body of " + declared + " bytes is over the limit of " + maxBody
          + " bytes");
    }
    continueIfAsked(expectContinue, socket, limits);
    return in.exactly((int) declared);
  }

  private static void continueIfAsked(boolean expectContinue, Socket socket, Limits limits)
      throws IOException {
    if (expectContinue) {
      writeBy(socket, limits.write(),
          "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII), null);
    }
  }

  /**
   * Writes the answer within {@code deadline}, else closes the socket and throws; nothing is
   * written for HEAD but the head.
   */
  static void write(Socket socket, int status, Map<String, String> headers, byte[] body,
      boolean head, Duration deadline) throws IOException {
    StringBuilder out = new StringBuilder("HTTP/1.1 ").append(status).append(' ')
        .append(reason(status)).append("\r\n");
    Map<String, String> all = new LinkedHashMap<>(headers);
    all.put("content-length", Integer.toString(body.length));
    all.put("connection", "close");
    all.forEach((name, value) -> out.append(name).append(": ")
        .append(value.replaceAll("[\\r\\n]", " ")).append("\r\n"));
    out.append("\r\n");
    writeBy(socket, deadline, out.toString().getBytes(StandardCharsets.UTF_8),
        head || status == 204 || status == 304 ? null : body);
  }

  /**
   * Writes {@code first} then {@code second} (if not null), closing the socket when
   * {@code deadline} passes first: a blocking socket write has no timeout of its own.
   */
  private static void writeBy(Socket socket, Duration deadline, byte[] first, byte[] second)
      throws IOException {
    boolean[] cut = {false};
    ScheduledFuture<?> guard = Cutter.EXECUTOR.schedule(() -> {
      synchronized (cut) {
        cut[0] = true;
      }
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing is all that is wanted
      }
    }, deadline.toNanos(), TimeUnit.NANOSECONDS);
    try {
      OutputStream stream = socket.getOutputStream();
      stream.write(first);
      if (second != null) {
        stream.write(second);
      }
      stream.flush();
    } catch (IOException e) {
      synchronized (cut) {
        if (cut[0]) {
          throw new SocketTimeoutException("the answer was not written within "
              + deadline.toMillis() + " ms: the client does not read");
        }
      }
      throw e;
    } finally {
      guard.cancel(false);
    }
  }

  /** The one daemon thread that closes sockets whose writes overran their deadline. */
  private static final class Cutter {
    static final ScheduledThreadPoolExecutor EXECUTOR = create();

    private static ScheduledThreadPoolExecutor create() {
      ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, task -> {
        Thread thread = new Thread(task, "cabal-sink-write-deadline");
        thread.setDaemon(true);
        return thread;
      });
      executor.setRemoveOnCancelPolicy(true);
      executor.setKeepAliveTime(30, TimeUnit.SECONDS);
      executor.allowCoreThreadTimeOut(true);
      return executor;
    }
  }

  /**
   * Ends the exchange gracefully after an answer written before the request was read whole:
   * says the server is done sending, then reads and drops what the client still sends until
   * it closes, pauses for {@link Limits#drainIdle()}, has sent {@link Limits#drainBytes()} or
   * {@link Limits#drainTime()} has passed. Without this, closing a socket with unread bytes
   * resets the connection and the client loses the answer. Never throws.
   */
  static void drain(Socket socket, Limits limits) {
    long until = System.nanoTime() + limits.drainTime().toNanos();
    long read = 0;
    byte[] sink = new byte[16 * 1024];
    try {
      socket.shutdownOutput();
      InputStream in = socket.getInputStream();
      while (read < limits.drainBytes()) {
        long left = until - System.nanoTime();
        if (left <= 0) {
          return;
        }
        socket.setSoTimeout((int) Math.max(1,
            Math.min(limits.drainIdle().toMillis(), left / 1_000_000)));
        int n = in.read(sink);
        if (n < 0) {
          return;
        }
        read += n;
      }
    } catch (IOException e) {
      // the client stopped sending, reset or went silent: the drain is over
    }
  }

  private static String reason(int status) {
    switch (status) {
      case 200: return "OK";
      case 204: return "No Content";
      case 207: return "Multi-Status";
      case 400: return "Bad Request";
      case 401: return "Unauthorized";
      case 404: return "Not Found";
      case 405: return "Method Not Allowed";
      case 408: return "Request Timeout";
      case 413: return "Content Too Large";
      case 415: return "Unsupported Media Type";
      case 431: return "Request Header Fields Too Large";
      case 500: return "Internal Server Error";
      case 501: return "Not Implemented";
      case 502: return "Bad Gateway";
      case 503: return "Service Unavailable";
      default: return "Status " + status;
    }
  }

  /** Reads the socket under the connection's deadlines. */
  private static final class Reader {
    private final Socket socket;
    private final InputStream in;
    private final LongSupplier nanoTime;
    private final Limits limits;
    private boolean started;
    private long headBy;
    private long requestBy;
    private final byte[] buffer = new byte[8192];
    private int start;
    private int end;

    Reader(Socket socket, LongSupplier nanoTime, long servedAt, Limits limits)
        throws IOException {
      this.socket = socket;
      this.in = socket.getInputStream();
      this.nanoTime = nanoTime;
      this.limits = limits;
      // Until the first byte: it must come within the head deadline of the worker taking it.
      this.headBy = servedAt + limits.head().toNanos();
      this.requestBy = headBy;
    }

    /** The head, up to and without the blank line; the rest stays buffered. */
    byte[] head() throws IOException, Unreadable {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      int lineEnds = 0; // consecutive line ends (a CR before an LF is not counted)
      while (true) {
        int b = next(headBy, "request head");
        if (b < 0) {
          throw new Unreadable(400, "connection closed before the request head ended");
        }
        if (head.size() == 0 && (b == '\r' || b == '\n')) {
          continue; // blank lines before the request line are ignored (RFC 9112)
        }
        if (b == '\n') {
          if (++lineEnds == 2) {
            byte[] bytes = head.toByteArray();
            int cut = bytes.length;
            while (cut > 0 && (bytes[cut - 1] == '\r' || bytes[cut - 1] == '\n')) {
              cut--;
            }
            return java.util.Arrays.copyOf(bytes, cut);
          }
        } else if (b != '\r') {
          lineEnds = 0;
        }
        head.write(b);
        if (head.size() > MAX_HEAD_BYTES) {
          throw new Unreadable(431, "request head over " + MAX_HEAD_BYTES + " bytes");
        }
      }
    }

    byte[] exactly(int length) throws IOException, Unreadable {
      byte[] body = new byte[length];
      int filled = 0;
      while (filled < length) {
        if (start == end && !fill(requestBy, "request body")) {
          throw new Unreadable(400, "connection closed after " + filled + " of " + length
              + " body bytes");
        }
        int n = Math.min(end - start, length - filled);
        System.arraycopy(buffer, start, body, filled, n);
        start += n;
        filled += n;
      }
      return body;
    }

    byte[] chunked(int maxBody) throws IOException, Unreadable {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      while (true) {
        String sizeLine = line();
        int semicolon = sizeLine.indexOf(';');
        String hex = (semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim();
        int size;
        try {
          size = Integer.parseInt(hex, 16);
        } catch (NumberFormatException e) {
          throw new Unreadable(400, "malformed chunk size");
        }
        if (size < 0 || (long) body.size() + size > maxBody) {
          throw new Unreadable(413, "chunked body is over the limit of " + maxBody + " bytes");
        }
        if (size == 0) {
          while (!line().isEmpty()) {
            // trailer fields are ignored
          }
          return body.toByteArray();
        }
        body.write(exactly(size));
        if (!line().isEmpty()) {
          throw new Unreadable(400, "chunk not followed by a line end");
        }
      }
    }

    private String line() throws IOException, Unreadable {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      while (true) {
        int b = next(requestBy, "request body");
        if (b < 0) {
          throw new Unreadable(400, "connection closed inside the chunked body");
        }
        if (b == '\n') {
          byte[] bytes = line.toByteArray();
          int cut = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1
              : bytes.length;
          return new String(bytes, 0, cut, StandardCharsets.ISO_8859_1);
        }
        line.write(b);
        if (line.size() > 1024) {
          throw new Unreadable(400, "chunk line too long");
        }
      }
    }

    private int next(long by, String what) throws IOException, Unreadable {
      if (start == end && !fill(by, what)) {
        return -1;
      }
      return buffer[start++] & 0xff;
    }

    /** Reads more bytes before {@code by}; false at the end of the stream. */
    private boolean fill(long by, String what) throws IOException, Unreadable {
      long left = by - nanoTime.getAsLong();
      if (left <= 0) {
        throw timeout(what);
      }
      socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, left / 1_000_000)));
      try {
        int n = in.read(buffer, 0, buffer.length);
        if (n < 0) {
          return false;
        }
        if (!started) {
          // The deadlines count from the first byte: a request that waited for a worker has
          // arrived, and is read in full.
          started = true;
          long first = nanoTime.getAsLong();
          headBy = first + limits.head().toNanos();
          requestBy = first + limits.request().toNanos();
        }
        start = 0;
        end = n;
        return true;
      } catch (SocketTimeoutException e) {
        throw timeout(what);
      }
    }

    private Unreadable timeout(String what) {
      if (!started) {
        return new Unreadable(408, "no request arrived within " + limits.head().toMillis()
            + " ms");
      }
      Duration limit = what.equals("request head") ? limits.head() : limits.request();
      return new Unreadable(408, "the " + what + " did not arrive within " + limit.toMillis()
          + " ms of its first byte");
    }
  }
}
