package com.cabalmail.alert.testkit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

import com.cabalmail.http.Json;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An ntfy server for tests, in two forms.
 *
 * <p><b>Answers for WireMock</b> (the static methods): ntfy's documented answers, the stored
 * message as JSON on a publish and {@code {"code":…,"http":…,"error":…,"link":…}} on an error.
 * ntfy sends no {@code Retry-After}, not even with a 429.
 *
 * <p><b>A running server with state</b> ({@link #start}): it takes publish-as-JSON
 * ({@code POST /}), clears ({@code PUT /<topic>/<sequence id>/clear}) and deletes
 * ({@code DELETE /<topic>/<sequence id>}) over real HTTP on a free loopback port and keeps what a
 * subscribed Android phone would show. As ntfy 2.16 does: a message with the {@code sequence_id}
 * of an earlier one on the same topic replaces it in place, and a notification still showing is
 * not sounded again; a clear dismisses it, a delete removes it; a {@code delay} (10 s to 3 days:
 * a Unix time or {@code 30s}, {@code 15m}, {@code 2h}, {@code 1d}) holds the message back until
 * the stand-in's clock reaches it, and a later message or a clear or delete with the same
 * sequence ID withdraws a held-back message that is not due yet. {@link Version#V2_15} answers
 * as a server before 2.16: {@code sequence_id} is an unknown field and ignored (every message is
 * a notification of its own), and a clear or delete matches no route: 404, code 40401.
 *
 * <pre>{@code
 * TestClock clock = new TestClock(Instant.parse("2026-08-21T10:00:00Z"));
 * try (NtfyStandIn ntfy = NtfyStandIn.start(NtfyStandIn.Version.V2_16, clock)) {
 *   // publish to ntfy.baseUrl() ...
 *   clock.advance(Duration.ofMinutes(15));
 *   List<NtfyStandIn.Notification> shown = ntfy.notifications("alerts");
 * }
 * }</pre>
 */
public final class NtfyStandIn implements AutoCloseable {


  /** An access token in ntfy's format. */
  public static final String TOKEN = "tk_AgQdq7mVBoFD37zQVN29RhuMzNIz2";
  /** The id of the stored message in {@link #stored()}. */
  public static final String MESSAGE_ID = "sPs71M8A2T3n";

  /** 200 with the stored message, as ntfy answers a publish. */
  public static ResponseDefinitionBuilder stored() {
    return aResponse().withStatus(200).withHeader("Content-Type", "application/json")
        .withBody("{\"id\":\"" + MESSAGE_ID + "\",\"time\":1795420800,\"expires\":1795464000,"
            + "\"event\":\"message\",\"topic\":\"alerts\",\"title\":\"[CRITICAL] kit/source\","
            + "\"message\":\"the kit's summary\",\"priority\":5,\"tags\":[\"rotating_light\"]}\n");
  }

  /** ntfy's error answer: HTTP {@code http}, ntfy's own {@code code} and {@code error} text. */
  public static ResponseDefinitionBuilder error(int http, int code, String error) {
    return aResponse().withStatus(http).withHeader("Content-Type", "application/json")
        .withBody("{\"code\":" + code + ",\"http\":" + http + ",\"error\":\"" + error
            + "\",\"link\":\"https://ntfy.sh/docs/publish/\"}\n");
  }

  /**
   * 404 / 40401: no route matches, as a server before 2.16 answers a clear
   * ({@code PUT /<topic>/<sequence id>/clear}) or a delete ({@code DELETE /<topic>/<sequence id>}).
   */
  public static ResponseDefinitionBuilder pageNotFound() {
    return error(404, 40401, "page not found");
  }

  /** 401 / 40101: no or a wrong token. */
  public static ResponseDefinitionBuilder unauthorized() {
    return error(401, 40101, "unauthorized");
  }

  /** 403 / 40301: the token may not publish to the topic. */
  public static ResponseDefinitionBuilder forbidden() {
    return error(403, 40301, "forbidden");
  }

  /** 413 / 41303: the JSON body is too large. */
  public static ResponseDefinitionBuilder jsonTooLarge() {
    return error(413, 41303, "JSON body too large");
  }

  /** 429 / 42901: the visitor's request burst is spent. */
  public static ResponseDefinitionBuilder tooManyRequests() {
    return error(429, 42901, "limit reached: too many requests");
  }

  /** 500 / 50001: the server failed. */
  public static ResponseDefinitionBuilder internalError() {
    return error(500, 50001, "internal server error");
  }

  /** Which ntfy server a {@linkplain #start started} stand-in answers as. */
  public enum Version {
    /** ntfy 2.16 and later: sequence IDs, clear and delete. */
    V2_16,
    /** ntfy 2.15 and earlier: no sequence IDs (a second notification), clear and delete 404. */
    V2_15
  }

  /**
   * One notification as a subscribed Android phone shows it: the latest message of its
   * sequence ID on its topic.
   *
   * @param topic the topic
   * @param sequenceId its sequence ID: the one published, else the first message's own id
   * @param messageId the id of the message it shows now
   * @param title the title shown
   * @param message the text shown
   * @param priority 1 to 5
   * @param tags the tags, in order
   * @param cleared whether a clear dismissed it from the drawer (it stays in the app)
   * @param sounded how many times the phone sounded for it: a replacement of a notification
   *     still showing does not sound again
   */
  public record Notification(String topic, String sequenceId, String messageId, String title,
      String message, int priority, List<String> tags, boolean cleared, int sounded) {

    /** Copies the tags. */
    public Notification {
      tags = List.copyOf(tags);
    }
  }

  /**
   * One event the server fanned out to subscribers, or holds back until it is due.
   *
   * @param event {@code message}, {@code message_clear} or {@code message_delete}
   * @param id the stored message's id
   * @param time when it was (or will be) delivered, Unix seconds of the stand-in's clock
   * @param topic the topic
   * @param sequenceId the sequence ID it was published with, or null
   * @param title the title, or null
   * @param message the message text ({@code triggered} when published empty); null for a clear
   *     or delete
   * @param priority 1 to 5 (3 when not given)
   */
  public record Event(String event, String id, long time, String topic, String sequenceId,
      String title, String message, int priority) {}

  /**
   * One request the stand-in answered.
   *
   * @param method the HTTP method
   * @param path the request path
   * @param status the HTTP status answered
   * @param code ntfy's error code answered, 0 on success
   */
  public record Request(String method, String path, int status, int code) {}

  /** The shortest delay ntfy accepts (its default {@code message-delay-min}). */
  public static final Duration MIN_DELAY = Duration.ofSeconds(10);
  /** The longest delay ntfy accepts (its default {@code message-delay-max}). */
  public static final Duration MAX_DELAY = Duration.ofDays(3);

  /** ntfy's limit of a JSON publish: twice the 4,096-byte message limit (41303 above). */
  private static final int MAX_JSON_BYTES = 8192;

  private final Version version;
  private final TestClock clock;
  private final HttpServer server;
  private final ExecutorService executor;
  private final URI baseUrl;
  private final Object lock = new Object();
  private final List<Event> delivered = new ArrayList<>();
  private final List<Event> held = new ArrayList<>();
  private final Map<String, Notification> phone = new LinkedHashMap<>();
  private final List<Request> requests = new ArrayList<>();
  private final Map<String, List<String>> tagsById = new LinkedHashMap<>();
  private final Map<String, Answer> refusals = new LinkedHashMap<>();
  private long nextId;

  private NtfyStandIn(Version version, TestClock clock) throws IOException {
    this.version = Objects.requireNonNull(version, "version");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    this.executor = Executors.newFixedThreadPool(4, runnable -> {
      Thread thread = new Thread(runnable, "ntfy-stand-in");
      thread.setDaemon(true);
      return thread;
    });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
    this.baseUrl = URI.create("http://" + server.getAddress().getAddress().getHostAddress() + ":"
        + server.getAddress().getPort() + "/");
  }

  /**
   * Starts a stand-in answering as {@code version}, on a free loopback port, whose time is
   * {@code clock}: held-back messages are delivered once {@code clock} reaches them.
   */
  public static NtfyStandIn start(Version version, TestClock clock) {
    try {
      return new NtfyStandIn(version, clock);
    } catch (IOException e) {
      throw new UncheckedIOException("the ntfy stand-in could not listen on loopback", e);
    }
  }

  /** Starts a stand-in answering as {@code version}, its clock at the current second. */
  public static NtfyStandIn start(Version version) {
    return start(version, new TestClock(Instant.ofEpochSecond(Instant.now().getEpochSecond())));
  }

  /** The server's base URL, e.g. {@code http://127.0.0.1:41234/}: set it as NTFY_BASE_URL. */
  public URI baseUrl() {
    return baseUrl;
  }

  /** The stand-in's clock: advance it to make held-back messages due. */
  public TestClock clock() {
    return clock;
  }

  /** Moves the stand-in's clock on by {@code step}; messages due by then are delivered. */
  public void advance(Duration step) {
    clock.advance(step);
    synchronized (lock) {
      deliverDue();
    }
  }

  /**
   * What a phone subscribed to {@code topic} shows, oldest first: one notification per sequence
   * ID, deleted ones gone, cleared ones marked.
   */
  public List<Notification> notifications(String topic) {
    synchronized (lock) {
      deliverDue();
      List<Notification> shown = new ArrayList<>();
      for (Notification notification : phone.values()) {
        if (notification.topic().equals(topic)) {
          shown.add(notification);
        }
      }
      return shown;
    }
  }

  /** Every event fanned out to subscribers of {@code topic}, in order. */
  public List<Event> events(String topic) {
    synchronized (lock) {
      deliverDue();
      List<Event> events = new ArrayList<>();
      for (Event event : delivered) {
        if (event.topic().equals(topic)) {
          events.add(event);
        }
      }
      return events;
    }
  }

  /** The messages of {@code topic} held back and not yet due, soonest first. */
  public List<Event> scheduled(String topic) {
    synchronized (lock) {
      deliverDue();
      List<Event> waiting = new ArrayList<>();
      for (Event event : held) {
        if (event.topic().equals(topic)) {
          waiting.add(event);
        }
      }
      waiting.sort((a, b) -> Long.compare(a.time(), b.time()));
      return waiting;
    }
  }

  /**
   * Answers every later request on {@code topic} (publish, clear, delete) with ntfy's error:
   * e.g. {@code 403, 40301, "forbidden"} for a token without write access to it, or
   * {@code 500, 50001, "internal server error"}. {@code http} 0 lifts it.
   */
  public void refuse(String topic, int http, int code, String error) {
    synchronized (lock) {
      if (http == 0) {
        refusals.remove(topic);
      } else {
        refusals.put(topic, failure(http, code, error));
      }
    }
  }

  /** Every request answered so far, in order. */
  public List<Request> requests() {
    synchronized (lock) {
      return List.copyOf(requests);
    }
  }

  /** Stops the server at once. */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = readBody(exchange.getRequestBody());
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getRawPath();
      Answer answer;
      synchronized (lock) {
        deliverDue();
        answer = answer(method, path, body, exchange.getRequestHeaders().getFirst("Authorization"));
        requests.add(new Request(method, path, answer.status, answer.code));
      }
      byte[] bytes = answer.body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(answer.status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  private static byte[] readBody(InputStream in) throws IOException {
    return in.readAllBytes();
  }

  /** An HTTP answer: status, ntfy's code (0 on success) and the JSON body. */
  private static final class Answer {
    final int status;
    final int code;
    final String body;

    Answer(int status, int code, String body) {
      this.status = status;
      this.code = code;
      this.body = body;
    }
  }

  private Answer answer(String method, String path, byte[] body, String authorization) {
    if (method.equals("GET") && path.equals("/v1/health")) {
      return new Answer(200, 0, "{\"healthy\":true}\n");
    }
    if (authorization != null && !authorization.equals("Bearer " + TOKEN)) {
      return failure(401, 40101, "unauthorized");
    }
    String[] parts = path.length() > 1 ? path.substring(1).split("/", -1) : new String[0];
    if ((method.equals("POST") || method.equals("PUT")) && parts.length == 0) {
      return publish(body);
    }
    if (parts.length > 0 && refusals.containsKey(parts[0])) {
      return refusals.get(parts[0]);
    }
    if (version == Version.V2_16 && method.equals("PUT") && parts.length == 3
        && parts[2].equals("clear") && isTopicName(parts[0]) && isTopicName(parts[1])) {
      return action("message_clear", parts[0], parts[1]);
    }
    if (version == Version.V2_16 && method.equals("DELETE") && parts.length == 2
        && isTopicName(parts[0]) && isTopicName(parts[1])) {
      return action("message_delete", parts[0], parts[1]);
    }
    return failure(404, 40401, "page not found");
  }

  private Answer publish(byte[] body) {
    if (body.length > MAX_JSON_BYTES) {
      return failure(413, 41303, "JSON body too large");
    }
    Map<String, Object> fields;
    try {
      fields = parse(body);
    } catch (IOException | RuntimeException e) {
      return failure(400, 40024, "invalid request: request body must be valid JSON");
    }
    Object topic = fields.get("topic");
    if (!(topic instanceof String) || !isTopicName((String) topic)) {
      return failure(400, 40009, "invalid request: topic invalid");
    }
    if (refusals.containsKey(topic)) {
      return refusals.get(topic);
    }
    Object priorityValue = fields.getOrDefault("priority", 3L);
    if (!(priorityValue instanceof Long) || (Long) priorityValue < 1 || (Long) priorityValue > 5) {
      return priorityValue instanceof Long
          ? failure(400, 40007, "invalid priority parameter")
          : failure(400, 40024, "invalid request: request body must be valid JSON");
    }
    int priority = ((Long) priorityValue).intValue();
    String sequenceId = version == Version.V2_16 ? stringField(fields, "sequence_id") : null;
    long now = clock.instant().getEpochSecond();
    long time = now;
    String delay = stringField(fields, "delay");
    if (delay != null) {
      if ("no".equals(stringField(fields, "cache")) || Boolean.FALSE.equals(fields.get("cache"))) {
        return failure(400, 40002, "cannot disable cache for delayed message");
      }
      Long due = dueTime(delay, now);
      if (due == null) {
        return failure(400, 40004, "invalid delay parameter: unable to parse delay");
      }
      if (due < now + MIN_DELAY.getSeconds()) {
        return failure(400, 40005, "invalid delay parameter: too small, please refer to the docs");
      }
      if (due > now + MAX_DELAY.getSeconds()) {
        return failure(400, 40006, "invalid delay parameter: too large, please refer to the docs");
      }
      time = due;
    }
    String message = stringField(fields, "message");
    if (message == null || message.isBlank()) {
      message = "triggered";
    }
    Event event = new Event("message", newId(), time, (String) topic, sequenceId,
        stringField(fields, "title"), message.strip(), priority);
    List<String> tags = tags(fields);
    if (!tags.isEmpty()) {
      tagsById.put(event.id(), List.copyOf(tags));
    }
    if (sequenceId != null) {
      withdrawHeld(event.topic(), sequenceId);
    }
    if (delay != null) {
      held.add(event);
    } else {
      deliver(event);
    }
    return new Answer(200, 0, render(event, tags));
  }

  private Answer action(String kind, String topic, String sequenceId) {
    withdrawHeld(topic, sequenceId);
    Event event = new Event(kind, newId(), clock.instant().getEpochSecond(), topic, sequenceId,
        null, null, 3);
    deliver(event);
    return new Answer(200, 0, render(event, List.of()));
  }

  /** Drops the held-back message of {@code sequenceId} on {@code topic}: it is replaced. */
  private void withdrawHeld(String topic, String sequenceId) {
    for (Iterator<Event> it = held.iterator(); it.hasNext(); ) {
      Event waiting = it.next();
      if (waiting.topic().equals(topic) && sequenceId.equals(waiting.sequenceId())) {
        it.remove();
      }
    }
  }

  private void deliverDue() {
    long now = clock.instant().getEpochSecond();
    List<Event> due = new ArrayList<>();
    for (Iterator<Event> it = held.iterator(); it.hasNext(); ) {
      Event waiting = it.next();
      if (waiting.time() <= now) {
        due.add(waiting);
        it.remove();
      }
    }
    due.sort((a, b) -> Long.compare(a.time(), b.time()));
    for (Event event : due) {
      deliver(event);
    }
  }

  /** Fans {@code event} out and shows it as an Android phone does. */
  private void deliver(Event event) {
    delivered.add(event);
    String sid = event.sequenceId() == null ? event.id() : event.sequenceId();
    String key = event.topic() + "/" + sid;
    Notification shown = phone.get(key);
    switch (event.event()) {
      case "message_clear":
        if (shown != null) {
          phone.put(key, new Notification(shown.topic(), shown.sequenceId(), shown.messageId(),
              shown.title(), shown.message(), shown.priority(), shown.tags(), true,
              shown.sounded()));
        }
        return;
      case "message_delete":
        phone.remove(key);
        return;
      default:
        // setOnlyAlertOnce: replacing a notification still in the drawer does not sound again.
        boolean sounds = shown == null || shown.cleared();
        int sounded = (shown == null ? 0 : shown.sounded()) + (sounds ? 1 : 0);
        phone.remove(key);
        phone.put(key, new Notification(event.topic(), sid, event.id(), event.title(),
            event.message(), event.priority(), tagsOf(event), false, sounded));
    }
  }

  private List<String> tagsOf(Event event) {
    List<String> tags = tagsById.get(event.id());
    return tags == null ? List.of() : tags;
  }

  private String newId() {
    nextId++;
    String digits = Long.toString(nextId, 36);
    return "m" + "0".repeat(Math.max(0, 11 - digits.length())) + digits;
  }

  /** The stored message as ntfy answers it: empty fields left out, priority 3 too. */
  private String render(Event event, List<String> tags) {
    long expires = event.time() + Duration.ofHours(12).getSeconds();
    byte[] json = Json.write(out -> {
      out.writeStartObject();
      out.writeStringField("id", event.id());
      out.writeNumberField("time", event.time());
      if (event.event().equals("message")) {
        out.writeNumberField("expires", expires);
      }
      out.writeStringField("event", event.event());
      out.writeStringField("topic", event.topic());
      if (event.sequenceId() != null) {
        out.writeStringField("sequence_id", event.sequenceId());
      }
      if (event.title() != null) {
        out.writeStringField("title", event.title());
      }
      if (event.message() != null) {
        out.writeStringField("message", event.message());
      }
      if (event.priority() != 3) {
        out.writeNumberField("priority", event.priority());
      }
      if (!tags.isEmpty()) {
        out.writeArrayFieldStart("tags");
        for (String tag : tags) {
          out.writeString(tag);
        }
        out.writeEndArray();
      }
      out.writeEndObject();
    });
    return new String(json, StandardCharsets.UTF_8) + "\n";
  }

  private static Answer failure(int http, int code, String error) {
    return new Answer(http, code, "{\"code\":" + code + ",\"http\":" + http + ",\"error\":\""
        + error + "\"}\n");
  }

  /**
   * The due time of {@code delay} in Unix seconds, or null: a Unix time, or a number with
   * {@code s}, {@code m}, {@code h} or {@code d} after it, as ntfy reads them.
   */
  static Long dueTime(String delay, long now) {
    String text = delay.trim();
    if (text.isEmpty()) {
      return null;
    }
    char unit = text.charAt(text.length() - 1);
    long factor;
    switch (unit) {
      case 's':
        factor = 1;
        break;
      case 'm':
        factor = 60;
        break;
      case 'h':
        factor = 3600;
        break;
      case 'd':
        factor = 86_400;
        break;
      default:
        factor = 0;
    }
    String number = factor == 0 ? text : text.substring(0, text.length() - 1);
    long value;
    try {
      value = Long.parseLong(number);
    } catch (NumberFormatException e) {
      return null;
    }
    if (value < 0) {
      return null;
    }
    return factor == 0 ? value : now + value * factor;
  }

  private static boolean isTopicName(String text) {
    if (text.isEmpty() || text.length() > 64) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!(c == '-' || c == '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z'))) {
        return false;
      }
    }
    return true;
  }

  private static String stringField(Map<String, Object> fields, String name) {
    Object value = fields.get(name);
    return value instanceof String ? (String) value : null;
  }

  @SuppressWarnings("unchecked")
  private static List<String> tags(Map<String, Object> fields) {
    Object value = fields.get("tags");
    return value instanceof List ? (List<String>) value : List.of();
  }

  /**
   * The top-level fields of a JSON object: strings, whole numbers (Long), booleans, arrays of
   * strings; nested objects (actions) are skipped.
   */
  private static Map<String, Object> parse(byte[] body) throws IOException {
    Map<String, Object> fields = new LinkedHashMap<>();
    try (JsonParser parser = Json.factory().createParser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("not an object");
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken token = parser.nextToken();
        switch (token) {
          case VALUE_STRING:
            fields.put(name, parser.getText());
            break;
          case VALUE_NUMBER_INT:
            fields.put(name, parser.getLongValue());
            break;
          case VALUE_TRUE:
          case VALUE_FALSE:
            fields.put(name, parser.getBooleanValue());
            break;
          case START_ARRAY:
            List<String> items = new ArrayList<>();
            while (parser.nextToken() != JsonToken.END_ARRAY) {
              if (parser.currentToken() == JsonToken.VALUE_STRING) {
                items.add(parser.getText());
              } else {
                parser.skipChildren();
              }
            }
            fields.put(name, items);
            break;
          default:
            parser.skipChildren();
            fields.put(name, token.name());
        }
      }
      if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
        throw new IOException("trailing content");
      }
    }
    return fields;
  }
}
