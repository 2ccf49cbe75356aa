package com.cabalmail.sink;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * The body forms tools can be set to send, turned into the JSON text the decoder reads:
 * {@code Content-Encoding: gzip} or {@code deflate} (zlib, or raw deflate as some clients send
 * it), decoded with a cap on the <em>decoded</em> size so a compression bomb is refused without
 * being inflated; and {@code multipart/form-data} with the JSON in the field {@code data}
 * (Uptime Kuma's "form-data" body). Anything else passes through untouched.
 */
final class BodyForms {

  /** The multipart field Uptime Kuma puts its JSON in. */
  static final String DATA_FIELD = "data";

  private BodyForms() {}

  /** Why a body cannot be unwrapped: an HTTP status and a message for the caller. */
  static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;
    private final int status;

    Refused(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }

    int status() {
      return status;
    }
  }

  /**
   * {@code request} with its body decoded and unwrapped.
   *
   * @param maxBytes the largest decoded body; more is a 413 naming it
   * @throws Refused 415 for an encoding other than gzip, deflate or identity (naming it), 413
   *     for a body that decodes to more than {@code maxBytes}, 400 for a corrupt compressed
   *     body or a multipart body without a {@value #DATA_FIELD} field
   */
  static SinkRequest unwrap(SinkRequest request, int maxBytes) throws Refused {
    SinkRequest decoded = decode(request, maxBytes);
    String type = decoded.header("content-type").orElse("");
    if (mediaType(type).equals("multipart/form-data")) {
      return formData(decoded, type);
    }
    return decoded;
  }

  private static SinkRequest decode(SinkRequest request, int maxBytes) throws Refused {
    List<String> codings = new ArrayList<>();
    for (String value : request.headerValues("content-encoding")) {
      for (String coding : value.split(",")) {
        String name = coding.trim().toLowerCase(Locale.ROOT);
        if (!name.isEmpty() && !name.equals("identity")) {
          codings.add(name);
        }
      }
    }
    if (codings.isEmpty()) {
      return request;
    }
    byte[] body = request.body();
    // Codings are listed in the order applied: undo them from the last.
    for (int i = codings.size() - 1; i >= 0; i--) {
      body = inflate(codings.get(i), body, maxBytes);
    }
    return request.withBody(body, request.header("content-type").orElse(null));
  }

  private static byte[] inflate(String coding, byte[] body, int maxBytes) throws Refused {
    switch (coding) {
      case "gzip":
      case "x-gzip":
        try {
          return capped(new GZIPInputStream(new ByteArrayInputStream(body)), coding, maxBytes);
        } catch (IOException e) {
          throw corrupt(coding, e);
        }
      case "deflate":
        // RFC 9110 deflate is zlib-wrapped; some clients send raw deflate: try both.
        try {
          return capped(new InflaterInputStream(new ByteArrayInputStream(body)), coding,
              maxBytes);
        } catch (IOException zlib) {
          try {
            return capped(new InflaterInputStream(new ByteArrayInputStream(body),
                new Inflater(true)), coding, maxBytes);
          } catch (IOException raw) {
            throw corrupt(coding, zlib);
          }
        }
      default:
        throw new Refused(415, "Content-Encoding '" + printable(coding) + "' is not supported;"
            + " send the body uncompressed, gzip or deflate");
    }
  }

  private static byte[] capped(InputStream in, String coding, int maxBytes)
      throws IOException, Refused {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    int total = 0;
    try (in) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        total += n;
        if (total > maxBytes) {
          throw new Refused(413, "the " + coding + " body decodes to more than " + maxBytes
              + " bytes, the limit (ALERT_MAX_BODY_BYTES); decoding stopped there");
        }
        out.write(buffer, 0, n);
      }
    }
    return out.toByteArray();
  }

  private static Refused corrupt(String coding, IOException e) {
    return new Refused(400, "the body is marked Content-Encoding: " + coding
        + " but cannot be decoded: " + printable(String.valueOf(e.getMessage())));
  }

  // multipart/form-data (RFC 7578).

  private static SinkRequest formData(SinkRequest request, String contentType) throws Refused {
    String boundary = parameter(contentType, "boundary");
    if (boundary == null || boundary.isEmpty() || boundary.length() > 200) {
      throw new Refused(400, "multipart/form-data body without a usable boundary parameter");
    }
    byte[] body = request.body();
    byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    List<String> names = new ArrayList<>();
    int at = indexOf(body, delimiter, 0);
    while (at >= 0) {
      int afterDelimiter = at + delimiter.length;
      if (startsWith(body, afterDelimiter, "--")) {
        break; // the closing delimiter
      }
      int headersStart = skipLineEnd(body, afterDelimiter);
      int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1),
          headersStart);
      if (headersStart < 0 || headersEnd < 0) {
        break;
      }
      String head = new String(body, headersStart, headersEnd - headersStart,
          StandardCharsets.UTF_8);
      int contentStart = headersEnd + 4;
      int next = indexOf(body, ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1),
          contentStart);
      if (next < 0) {
        break;
      }
      String name = null;
      String partType = null;
      for (String line : head.split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon < 0) {
          continue;
        }
        String header = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        if (header.equals("content-disposition")) {
          name = parameter(line.substring(colon + 1), "name");
        } else if (header.equals("content-type")) {
          partType = line.substring(colon + 1).trim();
        }
      }
      if (DATA_FIELD.equals(name)) {
        byte[] part = java.util.Arrays.copyOfRange(body, contentStart, next);
        return request.withBody(part, partType == null ? "application/json" : partType);
      }
      if (name != null && names.size() < 8) {
        names.add("'" + printable(name) + "'");
      }
      at = next + 2;
    }
    throw new Refused(400, "multipart/form-data body has no field '" + DATA_FIELD + "' (Uptime"
        + " Kuma's form-data body carries its JSON there); fields found: "
        + (names.isEmpty() ? "none" : String.join(", ", names)));
  }

  /** The media type of a Content-Type value, lower case, without parameters. */
  static String mediaType(String contentType) {
    int semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim()
        .toLowerCase(Locale.ROOT);
  }

  /** A parameter of a header value ({@code name=value} or {@code name="value"}), or null. */
  static String parameter(String headerValue, String name) {
    for (String piece : headerValue.split(";")) {
      int equals = piece.indexOf('=');
      if (equals < 0 || !piece.substring(0, equals).trim().equalsIgnoreCase(name)) {
        continue;
      }
      String value = piece.substring(equals + 1).trim();
      if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
        value = value.substring(1, value.length() - 1);
      }
      return value;
    }
    return null;
  }

  private static int skipLineEnd(byte[] body, int at) {
    int i = at;
    while (i < body.length && (body[i] == ' ' || body[i] == '\t')) {
      i++;
    }
    if (startsWith(body, i, "\r\n")) {
      return i + 2;
    }
    return i < body.length && body[i] == '\n' ? i + 1 : -1;
  }

  private static boolean startsWith(byte[] body, int at, String text) {
    if (at < 0 || at + text.length() > body.length) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      if (body[at + i] != text.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static int indexOf(byte[] body, byte[] needle, int from) {
    if (from < 0) {
      return -1;
    }
    outer:
    for (int i = from; i <= body.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (body[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** A short printable excerpt of caller-sent text for a message. */
  private static String printable(String text) {
    String clean = text.replaceAll("[^\\x20-\\x7e]", "?");
    return clean.length() > 40 ? clean.substring(0, 40) + "..." : clean;
  }
}
