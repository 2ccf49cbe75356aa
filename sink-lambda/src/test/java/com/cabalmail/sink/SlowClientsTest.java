package com.cabalmail.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Clients that trickle their requests one byte a second never hold up a normal alert: each
 * connection has its own read deadlines and its own worker. Only as many tricklers as there
 * are workers delay a caller, and then only until the first trickler's head deadline passes.
 */
class SlowClientsTest {

  private final HttpClient client = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(10)).build();
  private final ScheduledExecutorService trickle = Executors.newScheduledThreadPool(1);
  private final List<Socket> slow = new ArrayList<>();

  @AfterEach
  void stop() throws IOException {
    trickle.shutdownNow();
    for (Socket socket : slow) {
      socket.close();
    }
  }

  /** Opens {@code count} connections that each send one byte of a request head per second. */
  private void trickleInto(int port, int count) throws IOException {
    byte[] head = ("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Alert-Secret: " + SinkTest.SECRET
        + "\r\nContent-Length: 2\r\n\r\n{}").getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i < count; i++) {
      Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
      slow.add(socket);
      OutputStream out = socket.getOutputStream();
      int[] next = {0};
      trickle.scheduleAtFixedRate(() -> {
        try {
          if (next[0] < head.length) {
            out.write(head[next[0]++]);
            out.flush();
          }
        } catch (IOException closedByServer) {
          // the deadline passed and the server hung up: that is the point
        }
      }, 0, 1, TimeUnit.SECONDS);
    }
  }

  private long normalAlertMillis(int port) throws Exception {
    long started = System.nanoTime();
    HttpResponse<String> response = client.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + "/"))
        .header("X-Alert-Secret", SinkTest.SECRET)
        .timeout(Duration.ofSeconds(20))
        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
        HttpResponse.BodyHandlers.ofString());
    long millis = (System.nanoTime() - started) / 1_000_000;
    assertEquals(204, response.statusCode(), response.body());
    return millis;
  }

  private static Sink sink() {
    return new SinkTest().sink(SinkTest.sending("p"), SinkTest.sending("n"),
        List.of(SinkTest.critical("disk full")));
  }

  @Test
  void normalAlertGets204WithinASecondWhileSeveralClientsTrickle() throws Exception {
    try (LocalServer server = LocalServer.start(sink(), 0)) {
      trickleInto(server.port(), 8);
      normalAlertMillis(server.port()); // warms the client up; the trickle has begun
      long millis = normalAlertMillis(server.port());
      System.out.println("slow clients: a normal alert took " + millis + " ms beside 8 tricklers");
      assertTrue(millis < 1000, "a normal alert took " + millis + " ms beside 8 tricklers");
    }
  }

  @Test
  void asManyTricklersAsWorkersDelayACallerOnlyUntilAHeadDeadline() throws Exception {
    int workers = 4;
    try (LocalServer server = LocalServer.start(sink(), 0, workers)) {
      trickleInto(server.port(), workers);
      long millis = normalAlertMillis(server.port());
      System.out.println("slow clients: with all " + workers + " workers trickled, a normal"
          + " alert took " + millis + " ms");
      long deadline = LoopbackHttp.HEAD_DEADLINE.toMillis();
      assertTrue(millis >= deadline - 1500 && millis < deadline + 3000,
          "with every worker held by a trickler, a caller waits for the first head deadline ("
              + deadline + " ms); took " + millis + " ms");
      InputStream in = slow.get(0).getInputStream();
      String answer = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
      assertTrue(answer.startsWith("HTTP/1.1 408 "), answer);
    }
  }
}
