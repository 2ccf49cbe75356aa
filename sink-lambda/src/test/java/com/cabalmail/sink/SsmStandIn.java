package com.cabalmail.sink;

import com.cabalmail.http.Json;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * SSM Parameter Store's {@code GetParameters} on loopback, answering over the JSON 1.1 protocol
 * as SSM does (PROTOCOLS.md): found names under {@code Parameters} (SecureStrings, decrypted),
 * the others under {@code InvalidParameters}; an unsigned request is refused with SSM's 400.
 * For the AOT training run and the package's end-to-end test, which need no Python.
 */
final class SsmStandIn implements AutoCloseable {

  private final HttpServer server;
  private final Map<String, String> parameters;
  private final AtomicInteger calls = new AtomicInteger();
  private volatile String securityToken;

  private SsmStandIn(HttpServer server, Map<String, String> parameters) {
    this.server = server;
    this.parameters = parameters;
  }

  /** Serves {@code parameters} (name to value) on a free loopback port. */
  static SsmStandIn start(Map<String, String> parameters) throws IOException {
    System.setProperty("sun.net.httpserver.nodelay", "true");
    HttpServer server = HttpServer.create(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    SsmStandIn ssm = new SsmStandIn(server, Map.copyOf(parameters));
    server.createContext("/", ssm::answer);
    server.start();
    return ssm;
  }

  /** The value of {@code AWS_ENDPOINT_URL_SSM}. */
  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** {@code GetParameters} calls answered. */
  int calls() {
    return calls.get();
  }

  /** The {@code X-Amz-Security-Token} of the last {@code GetParameters} call, or null. */
  String securityToken() {
    return securityToken;
  }

  private void answer(HttpExchange exchange) throws IOException {
    try (exchange; InputStream in = exchange.getRequestBody()) {
      byte[] request = in.readAllBytes();
      String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      byte[] body;
      int status;
      if (authorization == null || !authorization.startsWith("AWS4-HMAC-SHA256 Credential=")) {
        status = 400;
        body = error("MissingAuthenticationTokenException", "Missing Authentication Token");
      } else if (!"AmazonSSM.GetParameters".equals(target)) {
        status = 400;
        body = error("UnknownOperationException", "");
      } else {
        calls.incrementAndGet();
        securityToken = exchange.getRequestHeaders().getFirst("X-Amz-Security-Token");
        status = 200;
        body = getParameters(names(request));
      }
      exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
      exchange.sendResponseHeaders(status, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private static List<String> names(byte[] request) throws IOException {
    List<String> names = new ArrayList<>();
    try (JsonParser json = Json.factory().createParser(request)) {
      json.nextToken();
      while (json.nextToken() == JsonToken.FIELD_NAME) {
        String field = json.currentName();
        JsonToken token = json.nextToken();
        if (field.equals("Names") && token == JsonToken.START_ARRAY) {
          while (json.nextToken() == JsonToken.VALUE_STRING) {
            names.add(json.getText());
          }
        } else {
          json.skipChildren();
        }
      }
    }
    return names;
  }

  private byte[] getParameters(List<String> names) {
    return Json.write(g -> {
      g.writeStartObject();
      g.writeArrayFieldStart("Parameters");
      for (String name : names) {
        String value = parameters.get(name);
        if (value != null) {
          g.writeStartObject();
          g.writeStringField("Name", name);
          g.writeStringField("Type", "SecureString");
          g.writeStringField("Value", value);
          g.writeNumberField("Version", 1);
          g.writeNumberField("LastModifiedDate", 1.7873e9);
          g.writeStringField("ARN", "arn:aws:ssm:us-east-1:123456789012:parameter" + name);
          g.writeStringField("DataType", "text");
          g.writeEndObject();
        }
      }
      g.writeEndArray();
      g.writeArrayFieldStart("InvalidParameters");
      for (String name : names) {
        if (!parameters.containsKey(name)) {
          g.writeString(name);
        }
      }
      g.writeEndArray();
      g.writeEndObject();
    });
  }

  private static byte[] error(String type, String message) {
    return Json.write(g -> {
      g.writeStartObject();
      g.writeStringField("__type", type);
      g.writeStringField("message", message);
      g.writeEndObject();
    });
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
