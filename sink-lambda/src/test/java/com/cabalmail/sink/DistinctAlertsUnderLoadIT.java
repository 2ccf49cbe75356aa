package com.cabalmail.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Thousands of distinct alerts sent at once through the served sink with its default ledger
 * (in memory): {@value #ALERTS} alerts from {@value #SOURCES} sources, every third critical, by
 * {@value #CLIENTS} clients at once, the providers answering at once. Each alert is delivered
 * exactly once on each channel of its route (nothing held back as "the same alert", nothing
 * sent twice), and every request is answered 204. Prints the throughput.
 */
class DistinctAlertsUnderLoadIT {

  static final int ALERTS = 3_000;
  static final int SOURCES = 97;
  static final int CLIENTS = 16;
  static final String SECRET = "distinct-alerts-under-load-0123456789";

  @RegisterExtension
  final ProviderStubs stubs = new ProviderStubs();

  @Test
  void eachDistinctAlertIsDeliveredExactlyOnce() throws Exception {
    Map<String, String> env = new HashMap<>(stubs.settings());
    env.put("ALERT_SECRET", SECRET);
    HttpClient client = HttpClient.newHttpClient();
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    try (LocalServer server = LocalServer.start(
        SinkSetup.create(env, SinkSetup.SSM, getClass().getClassLoader(), null), 0)) {
      URI uri = URI.create("http://127.0.0.1:" + server.port() + "/");
      AtomicInteger next = new AtomicInteger();
      List<Future<List<String>>> runs = new ArrayList<>();
      long started = System.nanoTime();
      for (int c = 0; c < CLIENTS; c++) {
        runs.add(clients.submit(() -> {
          List<String> odd = new ArrayList<>();
          for (int i = next.getAndIncrement(); i < ALERTS; i = next.getAndIncrement()) {
            String body = "{\"severity\":\"" + (i % 3 == 0 ? "critical" : "warning")
                + "\",\"source\":\"load/source-" + (i % SOURCES) + "\",\"summary\":\"problem "
                + i + "\"}";
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri)
                .header("X-Alert-Secret", SECRET).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 204) {
              odd.add(i + ": " + r.statusCode() + " " + r.body());
            }
          }
          return odd;
        }));
      }
      List<String> odd = new ArrayList<>();
      for (Future<List<String>> run : runs) {
        odd.addAll(run.get());
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      System.out.printf("distinct alerts under load: %d alerts (%d critical) from %d sources,"
          + " %d clients, in %.2f s: %.0f alerts/s%n", ALERTS, (ALERTS + 2) / 3, SOURCES,
          CLIENTS, seconds, ALERTS / seconds);

      assertEquals(List.of(), odd.subList(0, Math.min(5, odd.size())), odd.size() + " odd");
      assertEquals((ALERTS + 2) / 3, distinct(stubs.pushoverMessages(), "message"),
          "every critical paged exactly once");
      assertEquals(ALERTS, distinct(stubs.ntfyMessages(), "message"),
          "every alert on ntfy exactly once");
    } finally {
      clients.shutdownNow();
    }
  }

  /** How many messages there are, after checking that no two carry the same text. */
  static int distinct(List<Map<String, String>> messages, String field) {
    Set<String> texts = new HashSet<>();
    for (Map<String, String> m : messages) {
      String text = m.get(field);
      assertTrue(text != null && texts.add(text.lines().findFirst().orElse(text)),
          "sent twice or without text: " + m);
    }
    return messages.size();
  }
}
