package com.cabalmail.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cabalmail.alert.Outcome;
import com.cabalmail.alert.decode.AlertBatch;
import com.cabalmail.alert.decode.WebhookFormat;
import com.cabalmail.alert.spi.Transport;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The local server's answers reach the client: an error answered before the request was read
 * whole is followed by a drain (no reset), a write to a client that does not read gives up at
 * its deadline, and a complete request that waited for a worker is served, not answered 408.
 * Everything over real loopback sockets.
 */
class AnswersThatArriveTest {

  private static final int SIX_MB = 6 * 1024 * 1024;

  private final HttpClient client = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(10)).build();

  /** The first delivery waits for {@code release}; every later one is sent at once. */
  private static final class FirstWaits implements Transport {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public Outcome deliver(com.cabalmail.alert.Alert alert, int priority,
        com.cabalmail.http.Deadline deadline) {
      if (calls.getAndIncrement() == 0) {
        entered.countDown();
        try {
          release.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return Outcome.sent("p", "queued", 1);
    }
  }

  private static Sink sink(Transport pushover) {
    // The router's own deadlines (2 s, 3 s) would end the held delivery: a long one here.
    com.cabalmail.alert.AlertRouter router = com.cabalmail.alert.AlertRouter.builder()
        .routes(SinkTest.table()).transport("pushover", pushover)
        .transport("ntfy", SinkTest.sending("n"))
        .transportTimeout(Duration.ofSeconds(30)).deadline(Duration.ofSeconds(30)).build();
    return new Sink(new SecretCheck(com.cabalmail.http.Secret.of(SinkTest.SECRET),
        java.util.Optional.empty()), (body, type, format) -> new AlertBatch(WebhookFormat.DIRECT,
        List.of(SinkTest.critical("x")), 0), router, 1024);
  }

  private static byte[] head(String extra) {
    return ("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Alert-Secret: " + SinkTest.SECRET + "\r\n"
        + extra + "\r\n").getBytes(StandardCharsets.US_ASCII);
  }

  /** What a client that sends its whole request before reading saw. */
  private record Seen(IOException writeFailure, String answer) {}

  /**
   * Sends {@code head} and {@code body} in full, as curl or a webhook client does, and only
   * then reads the answer. Without a drain the server's close resets the connection while the
   * body is still going out: the write fails and the answer is lost.
   */
  private static Seen sendWholeThenRead(int port, byte[] head, byte[] body) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      IOException writeFailure = null;
      try {
        OutputStream out = socket.getOutputStream();
        out.write(head);
        out.write(body);
        out.flush();
      } catch (IOException e) {
        writeFailure = e;
      }
      socket.setSoTimeout(20_000);
      String answer;
      try {
        answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        answer = "read failed: " + e;
      }
      return new Seen(writeFailure, answer);
    }
  }

  private static void assertAnswered(Seen seen, String statusLine) {
    assertEquals(null, seen.writeFailure(), "the body could not be sent in full");
    assertTrue(seen.answer().startsWith(statusLine), seen.answer());
  }

  @Test
  void aSixMegabyteBodyOverTheLimitIsDrainedAndItsSenderReads413() throws Exception {
    try (LocalServer server = LocalServer.start(sink(SinkTest.sending("p")), 0)) {
      Seen seen = sendWholeThenRead(server.port(), head("Content-Length: " + SIX_MB + "\r\n"),
          new byte[SIX_MB]);
      assertAnswered(seen, "HTTP/1.1 413 ");
      assertTrue(seen.answer().contains("over the limit of 1024 bytes"), seen.answer());
    }
  }

  @Test
  void aMalformedChunkFollowedBySixMegabytesIsDrainedAndItsSenderReads400() throws Exception {
    try (LocalServer server = LocalServer.start(sink(SinkTest.sending("p")), 0)) {
      Seen seen = sendWholeThenRead(server.port(), head("Transfer-Encoding: chunked\r\n"),
          ("zz\r\n" + "x".repeat(SIX_MB)).getBytes(StandardCharsets.US_ASCII));
      assertAnswered(seen, "HTTP/1.1 400 ");
      assertTrue(seen.answer().contains("malformed chunk size"), seen.answer());
    }
  }

  @Test
  void aSixMegabyteBodyOverTheLimitGetsA413TheClientReads() throws Exception {
    try (LocalServer server = LocalServer.start(sink(SinkTest.sending("p")), 0)) {
      HttpResponse<String> response = postSixMegabytes(server);
      assertEquals(413, response.statusCode());
      assertTrue(response.body().contains("over the limit of 1024 bytes"), response.body());
    }
  }

  @Test
  void aSixMegabyteBodyWithConflictingFramingGetsA400TheClientReads() throws Exception {
    try (LocalServer server = LocalServer.start(sink(SinkTest.sending("p")), 0)) {
      // The client frames the body by Content-Length; the extra header makes it ambiguous.
      HttpResponse<String> response = postSixMegabytes(server, "Transfer-Encoding", "chunked");
      assertEquals(400, response.statusCode());
      assertTrue(response.body().contains("both Transfer-Encoding and Content-Length"),
          response.body());
    }
  }

  @Test
  void aSixMegabyteRequestHeadOverItsLimitGetsA431TheClientReads() throws Exception {
    try (LocalServer server = LocalServer.start(sink(SinkTest.sending("p")), 0)) {
      HttpResponse<String> response = postSixMegabytes(server, "X-Padding",
          "p".repeat(2 * LoopbackHttp.MAX_HEAD_BYTES));
      assertEquals(431, response.statusCode());
    }
  }

  /** Six megabytes POSTed by the JDK's client, with the secret and {@code headers}. */
  private HttpResponse<String> postSixMegabytes(LocalServer server, String... headers)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + server.port() + "/"))
        .header("X-Alert-Secret", SinkTest.SECRET).timeout(Duration.ofSeconds(20));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return client.send(request.POST(HttpRequest.BodyPublishers.ofByteArray(new byte[SIX_MB]))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A first request, sent now, that {@code held} keeps in the server's one worker. */
  private CompletableFuture<HttpResponse<String>> holdTheWorker(LocalServer server,
      FirstWaits held) throws InterruptedException {
    CompletableFuture<HttpResponse<String>> first = client.sendAsync(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + server.port() + "/"))
        .header("X-Alert-Secret", SinkTest.SECRET).timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertTrue(held.entered.await(20, TimeUnit.SECONDS), "the first request holds the worker");
    return first;
  }

  @Test
  void aConnectionPastTheQueueGetsA503TheClientReads() throws Exception {
    FirstWaits held = new FirstWaits();
    try (LocalServer server = LocalServer.start(sink(held), 0, 1, 1,
        LoopbackHttp.Limits.DEFAULT)) {
      CompletableFuture<HttpResponse<String>> first = holdTheWorker(server, held);
      try (Socket queued = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
        // The worker is held and the one queue place taken: the next connection is refused.
        Seen seen = sendWholeThenRead(server.port(),
            head("Content-Length: " + SIX_MB + "\r\n"), new byte[SIX_MB]);
        assertAnswered(seen, "HTTP/1.1 503 ");
        assertTrue(seen.answer().contains("retry-after: 1"), seen.answer());
      } finally {
        held.release.countDown();
      }
      assertEquals(204, first.get(20, TimeUnit.SECONDS).statusCode());
    }
  }

  @Test
  void aCompleteRequestThatWaitedForAWorkerIsServedNotAnswered408() throws Exception {
    FirstWaits held = new FirstWaits();
    LoopbackHttp.Limits quick = new LoopbackHttp.Limits(Duration.ofMillis(300),
        Duration.ofMillis(600), LoopbackHttp.WRITE_DEADLINE, LoopbackHttp.DRAIN_TIME,
        LoopbackHttp.DRAIN_IDLE, LoopbackHttp.DRAIN_BYTES);
    try (LocalServer server = LocalServer.start(sink(held), 0, 1, LocalServer.QUEUED, quick)) {
      CompletableFuture<HttpResponse<String>> first = holdTheWorker(server, held);
      try (Socket waiting = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
        OutputStream out = waiting.getOutputStream();
        out.write(head("Content-Length: 2\r\n"));
        out.write("{}".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        // The whole request has arrived; it waits in the queue past both of its deadlines.
        Thread.sleep(3 * quick.request().toMillis());
        held.release.countDown();
        waiting.setSoTimeout(20_000);
        String answer = new String(waiting.getInputStream().readAllBytes(),
            StandardCharsets.UTF_8);
        assertTrue(answer.startsWith("HTTP/1.1 204 "), answer);
      } finally {
        held.release.countDown();
      }
      assertEquals(204, first.get(20, TimeUnit.SECONDS).statusCode());
    }
  }

  @Test
  void aConnectionThatSendsNothingIsAnswered408WhenItsWorkerHasWaitedTheHeadDeadline()
      throws Exception {
    LoopbackHttp.Limits quick = new LoopbackHttp.Limits(Duration.ofMillis(300),
        Duration.ofMillis(600), LoopbackHttp.WRITE_DEADLINE, LoopbackHttp.DRAIN_TIME,
        LoopbackHttp.DRAIN_IDLE, LoopbackHttp.DRAIN_BYTES);
    try (LocalServer server = LocalServer.start(sink(SinkTest.sending("p")), 0, 1,
        LocalServer.QUEUED, quick);
        Socket silent = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      silent.setSoTimeout(20_000);
      long started = System.nanoTime();
      String answer = new String(silent.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      long millis = (System.nanoTime() - started) / 1_000_000;
      assertTrue(answer.startsWith("HTTP/1.1 408 "), answer);
      assertTrue(millis < 10_000, "a silent connection held its worker " + millis + " ms");
    }
  }

  @Test
  void aWriteToAClientThatDoesNotReadGivesUpAtItsDeadline() throws Exception {
    try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Socket client = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
        Socket served = listener.accept()) {
      // 32 MB: far more than the two sockets' buffers hold, and the client never reads.
      byte[] body = new byte[32 * 1024 * 1024];
      long started = System.nanoTime();
      IOException e = assertTimeoutPreemptively(Duration.ofSeconds(20), () ->
          assertThrows(IOException.class, () -> LoopbackHttp.write(served, 200, Map.of(), body,
              false, Duration.ofMillis(500))));
      long millis = (System.nanoTime() - started) / 1_000_000;
      assertTrue(millis >= 400 && millis < 10_000, "gave up after " + millis + " ms");
      assertTrue(e.getMessage().contains("not written within 500 ms"), e.getMessage());
      assertTrue(served.isClosed());
    }
  }
}
