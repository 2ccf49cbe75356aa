package com.cabalmail.alert.testkit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Pushover's documented answers (Messages API, {@code https://pushover.net/api}), for a WireMock
 * standing in for {@code api.pushover.net}: JSON with {@code status} and {@code request}, the
 * application's monthly quota in {@code X-Limit-App-*} headers, errors as a list of sentences.
 * The credentials are the API page's own examples.
 *
 * <p>{@link #start()} runs a stand-in with state instead ({@link Server}): emergencies get
 * receipts, which can be read ({@code GET /1/receipts/{receipt}.json}), acknowledged (the
 * stand-in then calls back the message's {@code callback} URL as Pushover does) and cancelled,
 * by receipt or by tag; a receipt polled again within 5 s is answered 429, as Pushover
 * answers abuse of its polling rule.
 */
public final class PushoverStandIn {

  /** An application token in Pushover's format (the API page's example). */
  public static final String APP_TOKEN = "azGDORePK8gMaC0QOYAMyEEuzJnyUi";
  /** A user key in Pushover's format (the API page's example). */
  public static final String USER_KEY = "uQiRzpo4DXghDmr9QzzfQu27cmVRsG";
  /** The request id every answer carries. */
  public static final String REQUEST_ID = "5042853c-402d-4a18-abcb-168734a801de";
  /** The receipt of an accepted emergency-priority message. */
  public static final String RECEIPT = "rLqVuqTRh62UzxtmqiaLzQmVcPgiCy";
  /** Messages left of the monthly quota in answers that do not say otherwise. */
  public static final int REMAINING = 7496;

  private PushoverStandIn() {}

  /** Both credentials: what must never appear in an outcome or a log line. */
  public static List<String> secrets() {
    return List.of(APP_TOKEN, USER_KEY);
  }

  /**
   * A form-encoded body (or query string) decoded, as Pushover reads what a transport sends:
   * each field once, in order. A field sent twice, or a pair without {@code =}, is an {@link
   * AssertionError} naming it: a transport must never send either.
   */
  public static Map<String, String> form(String body) {
    Map<String, String> fields = new LinkedHashMap<>();
    if (body.isEmpty()) {
      return fields;
    }
    for (String pair : body.split("&", -1)) {
      int equals = pair.indexOf('=');
      if (equals < 1) {
        throw new AssertionError("not a form field: " + pair);
      }
      String name = URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8);
      if (fields.put(name, URLDecoder.decode(pair.substring(equals + 1),
          StandardCharsets.UTF_8)) != null) {
        throw new AssertionError("field " + name + " sent twice");
      }
    }
    return fields;
  }

  /** A Pushover answer: {@code status} and JSON {@code body}, {@link #REMAINING} messages left. */
  public static ResponseDefinitionBuilder json(int status, String body) {
    return json(status, body, REMAINING);
  }

  /** A Pushover answer: {@code status} and JSON {@code body}, {@code remaining} messages left. */
  public static ResponseDefinitionBuilder json(int status, String body, int remaining) {
    return aResponse().withStatus(status)
        .withHeader("Content-Type", "application/json; charset=utf-8")
        .withHeader("X-Limit-App-Limit", "10000")
        .withHeader("X-Limit-App-Remaining", Integer.toString(remaining))
        .withHeader("X-Limit-App-Reset", "1793516400")
        .withBody(body);
  }

  /** 200 {@code {"status":1,"request":…}}: the message was accepted. */
  public static ResponseDefinitionBuilder accepted() {
    return accepted(REMAINING);
  }

  /** 200, accepted, with {@code remaining} messages left this month. */
  public static ResponseDefinitionBuilder accepted(int remaining) {
    return json(200, "{\"status\":1,\"request\":\"" + REQUEST_ID + "\"}", remaining);
  }

  /** 200 with a {@code receipt}: an emergency-priority message was accepted. */
  public static ResponseDefinitionBuilder acceptedEmergency() {
    return json(200, "{\"status\":1,\"request\":\"" + REQUEST_ID + "\",\"receipt\":\""
        + RECEIPT + "\"}");
  }

  /** 200 {@code {"status":1,…}}: emergencies with the tag were cancelled ({@code cancel_by_tag}). */
  public static ResponseDefinitionBuilder cancelled() {
    return json(200, "{\"status\":1,\"request\":\"" + REQUEST_ID + "\"}");
  }

  /** 400: the application token is invalid. */
  public static ResponseDefinitionBuilder invalidToken() {
    return json(400, "{\"token\":\"invalid\",\"errors\":[\"application token is invalid, see"
        + " https://pushover.net/api\"],\"status\":0,\"request\":\"" + REQUEST_ID + "\"}");
  }

  /** 400: the user key is invalid. */
  public static ResponseDefinitionBuilder invalidUser() {
    return json(400, "{\"user\":\"invalid\",\"errors\":[\"user identifier is not a valid user,"
        + " group, or subscribed user key, see https://pushover.net/api#identifiers\"],"
        + "\"status\":0,\"request\":\"" + REQUEST_ID + "\"}");
  }

  /** 429: the application's monthly quota is used up (Pushover names the token in the text). */
  public static ResponseDefinitionBuilder quotaUsedUp() {
    return json(429, "{\"errors\":[\"application " + APP_TOKEN + " has exceeded its monthly"
        + " message limit\"],\"status\":0,\"request\":\"" + REQUEST_ID + "\"}", 0);
  }

  /**
   * Starts a {@link Server} on a free loopback port, its time from the system clock; close it
   * when done.
   */
  public static Server start() throws IOException {
    return start(Clock.systemUTC());
  }

  /**
   * Starts a {@link Server} whose time (receipts' timestamps, the 5 s poll rule) is read from
   * {@code clock}: a test moves it on rather than sleeping.
   */
  public static Server start(Clock clock) throws IOException {
    return new Server(clock);
  }

  /**
   * What the stand-in holds for one receipt: the emergency's message and what became of it.
   *
   * @param receipt the receipt (30 letters and digits)
   * @param message the form fields of the message, credentials left out
   * @param acknowledged whether it was acknowledged
   * @param acknowledgedAt when, Unix seconds (0 when not)
   * @param acknowledgedBy the user key that acknowledged it ("" when not)
   * @param device the device it was acknowledged on ("" when not)
   * @param cancelled whether it was cancelled (by receipt or by tag)
   * @param polls how many times the receipts API was asked about it, 429s included
   */
  public record Receipt(String receipt, Map<String, String> message, boolean acknowledged,
      long acknowledgedAt, String acknowledgedBy, String device, boolean cancelled, int polls) {

    /** Copies the message. */
    public Receipt {
      message = Map.copyOf(message);
    }
  }

  /**
   * A Pushover stand-in with state, over real HTTP on loopback: {@code POST /1/messages.json}
   * (an emergency, priority 2, gets a receipt), {@code GET /1/receipts/{receipt}.json?token=}
   * (integers {@code status}, {@code acknowledged}, {@code acknowledged_at},
   * {@code last_delivered_at}, {@code expired}, {@code expires_at}, {@code called_back},
   * {@code called_back_at}, the strings {@code acknowledged_by} and
   * {@code acknowledged_by_device}; polled again within {@link #POLL_INTERVAL}: 429),
   * {@code POST /1/receipts/{receipt}/cancel.json} and
   * {@code POST /1/receipts/cancel_by_tag/{tag}.json} (with {@code canceled}, the count). Only
   * {@link #APP_TOKEN} and {@link #USER_KEY} are accepted; an unknown receipt is a 404.
   * Thread-safe.
   */
  public static final class Server implements AutoCloseable {

    /** Pushover's rule: a receipt is polled no more often than once per 5 s. */
    public static final Duration POLL_INTERVAL = Duration.ofSeconds(5);

    private static final String ALPHABET =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private final Clock clock;
    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(4);
    private final HttpClient client = HttpClient.newHttpClient();
    private final SecureRandom random = new SecureRandom();
    private final List<Map<String, String>> messages = new ArrayList<>();
    private final Map<String, State> receipts = new LinkedHashMap<>();

    private static final class State {
      final Map<String, String> message;
      boolean acknowledged;
      long acknowledgedAt;
      String by = "";
      String device = "";
      boolean cancelled;
      int polls;
      Instant lastPoll;
      long calledBackAt;

      State(Map<String, String> message) {
        this.message = message;
      }
    }

    private Server(Clock clock) throws IOException {
      this.clock = clock;
      this.server = HttpServer.create(
          new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
      server.createContext("/", this::serve);
      server.setExecutor(threads);
      server.start();
    }

    /** The API base to configure ({@code PUSHOVER_API_URL}): {@code http://127.0.0.1:port}. */
    public String baseUrl() {
      return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The form fields of every message received, credentials left out, in arrival order. */
    public synchronized List<Map<String, String>> messages() {
      return List.copyOf(messages);
    }

    /** Every receipt issued, in order. */
    public synchronized List<String> receipts() {
      return List.copyOf(receipts.keySet());
    }

    /** What the stand-in holds for {@code receipt}, if it issued it. */
    public synchronized Optional<Receipt> receipt(String receipt) {
      State state = receipts.get(receipt);
      return state == null ? Optional.empty() : Optional.of(view(receipt, state));
    }

    /**
     * Acknowledges the emergency {@code receipt} as {@code userKey} on {@code device}, now,
     * and calls back its {@code callback} URL as Pushover does: a form POST of
     * {@code receipt}, {@code acknowledged=1}, {@code acknowledged_at},
     * {@code acknowledged_by} and {@code acknowledged_by_device}.
     *
     * @return the callback's HTTP status, 0 when the message had no callback, -1 when the
     *     callback could not be reached (the acknowledgement stands, as at Pushover)
     * @throws IllegalArgumentException when the stand-in issued no such receipt
     */
    public int acknowledge(String receipt, String userKey, String device)
        throws InterruptedException {
      String callback;
      long at = clock.instant().getEpochSecond();
      synchronized (this) {
        State state = receipts.get(receipt);
        if (state == null) {
          throw new IllegalArgumentException("no such receipt: " + receipt);
        }
        if (!state.acknowledged) {
          state.acknowledged = true;
          state.acknowledgedAt = at;
          state.by = userKey;
          state.device = device;
        }
        callback = state.message.get("callback");
      }
      if (callback == null) {
        return 0;
      }
      String form = "receipt=" + enc(receipt) + "&acknowledged=1&acknowledged_at=" + at
          + "&acknowledged_by=" + enc(userKey) + "&acknowledged_by_device=" + enc(device);
      HttpResponse<String> answer;
      try {
        answer = client.send(HttpRequest.newBuilder(URI.create(callback))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .timeout(Duration.ofSeconds(20))
            .POST(HttpRequest.BodyPublishers.ofString(form)).build(),
            HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        return -1;
      }
      synchronized (this) {
        receipts.get(receipt).calledBackAt = at;
      }
      return answer.statusCode();
    }

    /**
     * Acknowledges {@code receipt} as {@link #acknowledge} does, but the callback is lost (never
     * sent): what a sink behind an address the stand-in cannot reach would miss. The form
     * Pushover would have posted is {@link #callbackForm}.
     *
     * @throws IllegalArgumentException when the stand-in issued no such receipt
     */
    public synchronized void acknowledgeWithoutCallback(String receipt, String userKey,
        String device) {
      State state = receipts.get(receipt);
      if (state == null) {
        throw new IllegalArgumentException("no such receipt: " + receipt);
      }
      if (!state.acknowledged) {
        state.acknowledged = true;
        state.acknowledgedAt = clock.instant().getEpochSecond();
        state.by = userKey;
        state.device = device;
      }
    }

    /**
     * The form body Pushover posts to the callback of {@code receipt} once it is acknowledged
     * ({@code application/x-www-form-urlencoded}).
     *
     * @throws IllegalArgumentException when the stand-in issued no such receipt
     */
    public synchronized String callbackForm(String receipt) {
      State s = receipts.get(receipt);
      if (s == null) {
        throw new IllegalArgumentException("no such receipt: " + receipt);
      }
      return "receipt=" + enc(receipt) + "&acknowledged=1&acknowledged_at=" + s.acknowledgedAt
          + "&acknowledged_by=" + enc(s.by) + "&acknowledged_by_device=" + enc(s.device);
    }

    private static Receipt view(String receipt, State s) {
      return new Receipt(receipt, s.message, s.acknowledged, s.acknowledgedAt, s.by, s.device,
          s.cancelled, s.polls);
    }

    private void serve(HttpExchange exchange) throws IOException {
      try (exchange) {
        String path = exchange.getRequestURI().getRawPath();
        String method = exchange.getRequestMethod();
        Map<String, String> form;
        Map<String, String> query;
        try {
          form = form(new String(exchange.getRequestBody().readAllBytes(),
              StandardCharsets.UTF_8));
          query = form(exchange.getRequestURI().getRawQuery() == null ? ""
              : exchange.getRequestURI().getRawQuery());
        } catch (AssertionError e) {
          answer(exchange, 400, "{\"errors\":[\"" + e.getMessage().replace("\"", "'")
              + "\"],\"status\":0,\"request\":\"" + REQUEST_ID + "\"}");
          return;
        }
        if (method.equals("POST") && path.equals("/1/messages.json")) {
          message(exchange, form);
        } else if (method.equals("GET") && path.startsWith("/1/receipts/")
            && path.endsWith(".json") && !path.contains("/cancel")) {
          poll(exchange, path.substring(12, path.length() - 5), query.get("token"));
        } else if (method.equals("POST") && path.startsWith("/1/receipts/cancel_by_tag/")
            && path.endsWith(".json")) {
          cancelByTag(exchange, path.substring(26, path.length() - 5), form.get("token"));
        } else if (method.equals("POST") && path.startsWith("/1/receipts/")
            && path.endsWith("/cancel.json")) {
          cancel(exchange, path.substring(12, path.length() - 12), form.get("token"));
        } else {
          answer(exchange, 404, "{\"errors\":[\"not found\"],\"status\":0,\"request\":\""
              + REQUEST_ID + "\"}");
        }
      }
    }

    private void message(HttpExchange exchange, Map<String, String> form) throws IOException {
      if (!APP_TOKEN.equals(form.get("token"))) {
        answer(exchange, 400, "{\"token\":\"invalid\",\"errors\":[\"application token is"
            + " invalid\"],\"status\":0,\"request\":\"" + REQUEST_ID + "\"}");
        return;
      }
      if (!USER_KEY.equals(form.get("user"))) {
        answer(exchange, 400, "{\"user\":\"invalid\",\"errors\":[\"user identifier is not a"
            + " valid user\"],\"status\":0,\"request\":\"" + REQUEST_ID + "\"}");
        return;
      }
      Map<String, String> message = new LinkedHashMap<>(form);
      message.remove("token");
      message.remove("user");
      String receipt = null;
      synchronized (this) {
        messages.add(Map.copyOf(message));
        if ("2".equals(message.get("priority"))) {
          StringBuilder r = new StringBuilder(30);
          for (int i = 0; i < 30; i++) {
            r.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
          }
          receipt = r.toString();
          receipts.put(receipt, new State(message));
        }
      }
      answer(exchange, 200, "{\"status\":1,\"request\":\"" + REQUEST_ID + "\""
          + (receipt == null ? "" : ",\"receipt\":\"" + receipt + "\"") + "}");
    }

    private void poll(HttpExchange exchange, String receipt, String token) throws IOException {
      if (!APP_TOKEN.equals(token)) {
        answer(exchange, 400, "{\"token\":\"invalid\",\"errors\":[\"application token is"
            + " invalid\"],\"status\":0,\"request\":\"" + REQUEST_ID + "\"}");
        return;
      }
      String body;
      int status;
      synchronized (this) {
        State s = receipts.get(receipt);
        Instant now = clock.instant();
        if (s == null) {
          status = 404;
          body = "{\"receipt\":\"not found\",\"errors\":[\"receipt not found; may be invalid"
              + " or expired\"],\"status\":0,\"request\":\"" + REQUEST_ID + "\"}";
        } else if (s.lastPoll != null && now.isBefore(s.lastPoll.plus(POLL_INTERVAL))) {
          s.polls++;
          status = 429;
          body = "{\"errors\":[\"too many requests: poll a receipt no more than once every 5"
              + " seconds\"],\"status\":0,\"request\":\"" + REQUEST_ID + "\"}";
        } else {
          s.polls++;
          s.lastPoll = now;
          long expiresAt = now.getEpochSecond() + 3600;
          status = 200;
          body = "{\"status\":1,\"acknowledged\":" + (s.acknowledged ? 1 : 0)
              + ",\"acknowledged_at\":" + s.acknowledgedAt
              + ",\"acknowledged_by\":\"" + s.by + "\""
              + ",\"acknowledged_by_device\":\"" + s.device + "\""
              + ",\"last_delivered_at\":" + now.getEpochSecond()
              + ",\"expired\":" + (s.cancelled ? 1 : 0) + ",\"expires_at\":" + expiresAt
              + ",\"called_back\":" + (s.calledBackAt > 0 ? 1 : 0)
              + ",\"called_back_at\":" + s.calledBackAt
              + ",\"request\":\"" + REQUEST_ID + "\"}";
        }
      }
      answer(exchange, status, body);
    }

    private void cancel(HttpExchange exchange, String receipt, String token) throws IOException {
      boolean found;
      synchronized (this) {
        State s = APP_TOKEN.equals(token) ? receipts.get(receipt) : null;
        found = s != null;
        if (found) {
          s.cancelled = true;
        }
      }
      answer(exchange, found ? 200 : 404, found ? "{\"status\":1,\"request\":\"" + REQUEST_ID
          + "\"}" : "{\"receipt\":\"not found\",\"errors\":[\"receipt not found\"],"
          + "\"status\":0,\"request\":\"" + REQUEST_ID + "\"}");
    }

    private void cancelByTag(HttpExchange exchange, String tag, String token)
        throws IOException {
      if (!APP_TOKEN.equals(token)) {
        answer(exchange, 400, "{\"token\":\"invalid\",\"errors\":[\"application token is"
            + " invalid\"],\"status\":0,\"request\":\"" + REQUEST_ID + "\"}");
        return;
      }
      int count = 0;
      synchronized (this) {
        for (State s : receipts.values()) {
          if (!s.cancelled && tag.equals(s.message.get("tags"))) {
            s.cancelled = true;
            count++;
          }
        }
      }
      answer(exchange, 200, "{\"status\":1,\"canceled\":" + count + ",\"request\":\""
          + REQUEST_ID + "\"}");
    }

    private static void answer(HttpExchange exchange, int status, String body)
        throws IOException {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
      exchange.getResponseHeaders().set("X-Limit-App-Limit", "10000");
      exchange.getResponseHeaders().set("X-Limit-App-Remaining", Integer.toString(REMAINING));
      exchange.getResponseHeaders().set("X-Limit-App-Reset", "1793516400");
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }

    private static String enc(String text) {
      return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    /** Stops serving. */
    @Override
    public void close() {
      server.stop(0);
      threads.shutdownNow();
    }
  }
}
