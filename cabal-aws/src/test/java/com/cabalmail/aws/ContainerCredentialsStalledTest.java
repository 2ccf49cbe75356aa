package com.cabalmail.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cabalmail.alert.testkit.TestClock;
import com.cabalmail.http.Deadline;
import com.cabalmail.http.HttpDelivery;
import com.cabalmail.http.Redaction;
import com.cabalmail.http.Ticker;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Container credentials never block on a stalled endpoint, over real HTTP: a loopback server
 * that answers the first {@code answered} requests and then accepts connections and never
 * answers.
 */
class ContainerCredentialsStalledTest {

  static final Instant NOW = Instant.parse("2026-08-21T12:00:00Z");
  /** A call's deadline: far longer than "at once", so that a call that waits is seen. */
  static final Duration CALL_DEADLINE = Duration.ofSeconds(3);
  /** What "at once" means for 20 calls on a loaded 2-core machine: generous. */
  static final Duration AT_ONCE = Duration.ofMillis(1_000);

  final TestClock clock = new TestClock(NOW);
  final HttpDelivery delivery = HttpDelivery.create(Ticker.system());
  final AtomicInteger answered = new AtomicInteger();
  final AtomicInteger requests = new AtomicInteger();
  final List<Socket> held = new CopyOnWriteArrayList<>();
  ServerSocket server;

  @BeforeEach
  void start() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::serve, "stalled-credentials-endpoint");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  @AfterEach
  void stop() throws IOException {
    server.close();
    for (Socket socket : held) {
      socket.close();
    }
  }

  /** Answers while {@link #answered} is positive (counting down), then holds every request. */
  private void serve() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        held.add(socket);
        Thread reader = new Thread(() -> handle(socket), "stalled-credentials-connection");
        reader.setDaemon(true);
        reader.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void handle(Socket socket) {
    try {
      InputStream in = socket.getInputStream();
      OutputStream out = socket.getOutputStream();
      while (readHead(in)) {
        requests.incrementAndGet();
        if (answered.getAndDecrement() <= 0) {
          return; // stalled: the connection stays open, no answer ever comes
        }
        byte[] body = ("{\"AccessKeyId\":\"ASIAFIRST\",\"SecretAccessKey\":\"secret-of-first-"
            + "stalled\",\"Token\":\"session-of-first\",\"Expiration\":\""
            + NOW.plus(Duration.ofMinutes(10)) + "\"}").getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
            + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
      }
    } catch (IOException e) {
      // closed by the test
    }
  }

  /** Reads one request head (a GET has no body); false at the end of the stream. */
  private static boolean readHead(InputStream in) throws IOException {
    int matched = 0;
    int b;
    while ((b = in.read()) >= 0) {
      matched = (b == '\r' && matched % 2 == 0) || (b == '\n' && matched % 2 == 1)
          ? matched + 1 : 0;
      if (matched == 4) {
        return true;
      }
    }
    return false;
  }

  CredentialsProvider provider() {
    List<String> problems = new ArrayList<>();
    CredentialsProvider provider = CredentialsProvider.fromEnvironment(Map.of(
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            "http://127.0.0.1:" + server.getLocalPort() + "/creds",
            "AWS_CONTAINER_AUTHORIZATION_TOKEN", "stalled-endpoint-token"),
        delivery, clock, URI.create("http://127.0.0.1:" + server.getLocalPort()), problems);
    assertEquals(List.of(), problems);
    return provider;
  }

  @Test
  void validCachedCredentialsReturnAtOnceWhileTheRefreshStalls() throws Exception {
    answered.set(1);
    CredentialsProvider provider = provider();
    AwsCredentials first = provider.credentials(Deadline.after(CALL_DEADLINE));
    clock.advance(Duration.ofMinutes(6)); // 4 minutes left: in the refresh window

    long began = System.nanoTime();
    for (int i = 0; i < 20; i++) {
      assertEquals(first, provider.credentials(Deadline.after(CALL_DEADLINE)));
    }
    Duration took = Duration.ofNanos(System.nanoTime() - began);

    // Before: the first call in the window fetched under a lock and waited for its deadline.
    assertTrue(took.compareTo(AT_ONCE) < 0, "20 calls took " + took);
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (requests.get() < 2 && System.nanoTime() - until < 0) {
      Thread.sleep(10);
    }
    assertEquals(2, requests.get(), "one refresh, in the background, for all 20 calls");
  }

  @Test
  void aCallWithNoValidCredentialsWaitsNoLongerThanItsDeadline() throws Exception {
    answered.set(0);
    CredentialsProvider provider = provider();
    // A first caller with a long deadline starts the fetch and waits for it.
    CompletableFuture<Object> patient = CompletableFuture.supplyAsync(() -> {
      try {
        return provider.credentials(Deadline.after(Duration.ofSeconds(30)));
      } catch (AwsException e) {
        return e;
      }
    });
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (requests.get() < 1 && System.nanoTime() - until < 0) {
      Thread.sleep(10);
    }
    Duration deadline = Duration.ofMillis(300);

    long began = System.nanoTime();
    AwsException e = assertThrows(AwsException.class,
        () -> provider.credentials(Deadline.after(deadline)));
    Duration took = Duration.ofNanos(System.nanoTime() - began);

    // Before: the second caller queued on the first one's lock, whatever its own deadline.
    assertTrue(took.compareTo(deadline.minusMillis(50)) >= 0, "gave up early: " + took);
    assertTrue(took.compareTo(deadline.plusMillis(1_000)) < 0, "waited " + took);
    assertTrue(e.getMessage().contains("not fetched within the call's deadline"), e.getMessage());
    assertFalse(e.getMessage().contains("stalled-endpoint-token"), e.getMessage());
    assertFalse(patient.isDone(), "the fetch itself goes on");
  }

  @Test
  void fetchedCredentialsJoinTheProcessRedaction() throws Exception {
    answered.set(1);

    provider().credentials(Deadline.after(CALL_DEADLINE));

    assertEquals("key <redacted>, token <redacted>", Redaction.process()
        .scrub("key secret-of-first-stalled, token session-of-first"));
  }
}
