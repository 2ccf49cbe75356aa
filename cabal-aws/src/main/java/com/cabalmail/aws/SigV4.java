package com.cabalmail.aws;

import com.cabalmail.http.Secret;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * AWS Signature Version 4 for one request, as a pure function of the request, the credentials
 * and the time: no I/O, no clock of its own. Each intermediate value (canonical request, string
 * to sign, signing key) is kept so that tests can check them against AWS's published vectors.
 */
final class SigV4 {

  static final String ALGORITHM = "AWS4-HMAC-SHA256";

  private static final Pattern WHITESPACE_RUN = Pattern.compile("\\s+");
  private static final HexFormat HEX = HexFormat.of();

  /**
   * What is signed: method, canonical path, raw query (already URI-encoded as AWS expects, or
   * empty), the headers to sign (the {@code host} among them) and the exact body bytes.
   */
  record Request(String method, String path, String query, Map<String, String> headers,
      byte[] body) {
    Request {
      headers = Map.copyOf(headers);
    }
  }

  /** The result, with the headers to add to the request ({@code x-amz-date}, the token, auth). */
  record Signed(String canonicalRequest, String stringToSign, byte[] signingKey, String signature,
      Map<String, String> headersToAdd) {

    @Override
    public String toString() {
      return "Signed[" + signature + "]";
    }
  }

  private final String region;
  private final String service;
  /**
   * The last signing key, for the credentials' secret and the day it was derived for: a key is
   * valid for a whole day, so a call saves four HMACs of the five (as AWS's SDKs do).
   */
  private volatile SigningKey lastKey;

  /** A derived signing key, for one secret (compared by identity) and one day. */
  private static final class SigningKey {
    final Secret secret;
    final String date;
    final byte[] key;

    SigningKey(Secret secret, String date, byte[] key) {
      this.secret = secret;
      this.date = date;
      this.key = key;
    }
  }

  SigV4(String region, String service) {
    this.region = Objects.requireNonNull(region, "region");
    this.service = Objects.requireNonNull(service, "service");
  }

  /**
   * Signs {@code request} at {@code now}. The {@code x-amz-date} header and, with a session
   * token, {@code x-amz-security-token} are added to the signed headers before signing.
   */
  Signed sign(Request request, AwsCredentials credentials, Instant now) {
    String amzDate = amzDate(now);
    String date = amzDate.substring(0, 8);

    // Loops and ifs, not forEach/ifPresent lambdas, in this class: the first signature is on
    // every cold start of the Lambda sink, where each lambda costs a class spun at run time.
    TreeMap<String, String> headers = new TreeMap<>();
    for (Map.Entry<String, String> header : request.headers().entrySet()) {
      headers.put(header.getKey().toLowerCase(Locale.ROOT), header.getValue());
    }
    headers.put("x-amz-date", amzDate);
    Optional<Secret> sessionToken = credentials.sessionToken();
    if (sessionToken.isPresent()) {
      headers.put("x-amz-security-token", sessionToken.get().reveal());
    }

    String signedHeaders = String.join(";", headers.keySet());
    String canonicalRequest = canonicalRequest(
        request.method(), request.path(), request.query(), headers, hex(sha256(request.body())));
    String scope = date + "/" + region + "/" + service + "/aws4_request";
    String stringToSign =
        ALGORITHM + "\n" + amzDate + "\n" + scope + "\n" + hex(sha256(utf8(canonicalRequest)));
    SigningKey last = lastKey;
    byte[] signingKey;
    if (last != null && last.secret == credentials.secretAccessKey() && last.date.equals(date)) {
      signingKey = last.key;
    } else {
      signingKey = signingKey(credentials.secretAccessKey(), date);
      lastKey = new SigningKey(credentials.secretAccessKey(), date, signingKey);
    }
    String signature = hex(hmac(signingKey, stringToSign));

    Map<String, String> toAdd = new TreeMap<>();
    toAdd.put("X-Amz-Date", amzDate);
    if (sessionToken.isPresent()) {
      toAdd.put("X-Amz-Security-Token", sessionToken.get().reveal());
    }
    toAdd.put("Authorization", ALGORITHM + " Credential=" + credentials.accessKeyId() + "/"
        + scope + ", SignedHeaders=" + signedHeaders + ", Signature=" + signature);
    return new Signed(canonicalRequest, stringToSign, signingKey, signature, toAdd);
  }

  /**
   * {@code yyyyMMdd'T'HHmmss'Z'} in UTC, written by hand: a {@code DateTimeFormatter} costs a
   * cold start far more than these few digits.
   */
  static String amzDate(Instant now) {
    LocalDateTime t = LocalDateTime.ofEpochSecond(now.getEpochSecond(), 0, ZoneOffset.UTC);
    StringBuilder text = new StringBuilder(16);
    pad(text, t.getYear(), 4);
    pad(text, t.getMonthValue(), 2);
    pad(text, t.getDayOfMonth(), 2);
    text.append('T');
    pad(text, t.getHour(), 2);
    pad(text, t.getMinute(), 2);
    pad(text, t.getSecond(), 2);
    return text.append('Z').toString();
  }

  private static void pad(StringBuilder text, int value, int digits) {
    String number = Integer.toString(value);
    for (int i = number.length(); i < digits; i++) {
      text.append('0');
    }
    text.append(number);
  }

  /** {@code kSigning} for {@code date} ({@code yyyyMMdd}): the HMAC chain of the recipe. */
  byte[] signingKey(Secret secretAccessKey, String date) {
    byte[] kDate = hmac(utf8("AWS4" + secretAccessKey.reveal()), date);
    byte[] kRegion = hmac(kDate, region);
    byte[] kService = hmac(kRegion, service);
    return hmac(kService, "aws4_request");
  }

  static String canonicalRequest(String method, String path, String query,
      TreeMap<String, String> lowerCaseHeaders, String payloadHash) {
    StringBuilder canonical = new StringBuilder(512)
        .append(method).append('\n')
        .append(path.isEmpty() ? "/" : path).append('\n')
        .append(canonicalQuery(query)).append('\n');
    for (Map.Entry<String, String> header : lowerCaseHeaders.entrySet()) {
      canonical.append(header.getKey()).append(':').append(canonicalValue(header.getValue()))
          .append('\n');
    }
    canonical.append('\n')
        .append(String.join(";", lowerCaseHeaders.keySet())).append('\n')
        .append(payloadHash);
    return canonical.toString();
  }

  /** Parameters sorted by name then value; each is taken as already URI-encoded. */
  static String canonicalQuery(String query) {
    if (query == null || query.isEmpty()) {
      return "";
    }
    List<String[]> pairs = new ArrayList<>();
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      pairs.add(eq < 0
          ? new String[] {pair, ""}
          : new String[] {pair.substring(0, eq), pair.substring(eq + 1)});
    }
    pairs.sort((a, b) -> {
      int byName = a[0].compareTo(b[0]);
      return byName != 0 ? byName : a[1].compareTo(b[1]);
    });
    StringBuilder canonical = new StringBuilder(query.length() + 8);
    for (String[] pair : pairs) {
      if (canonical.length() > 0) {
        canonical.append('&');
      }
      canonical.append(pair[0]).append('=').append(pair[1]);
    }
    return canonical.toString();
  }

  private static String canonicalValue(String value) {
    String stripped = value.strip();
    // Most values have no run of whitespace to fold: no regex for those.
    for (int i = 0; i < stripped.length(); i++) {
      if (Character.isWhitespace(stripped.charAt(i))
          && (stripped.charAt(i) != ' ' || Character.isWhitespace(stripped.charAt(i + 1)))) {
        return WHITESPACE_RUN.matcher(stripped).replaceAll(" ");
      }
    }
    return stripped;
  }

  static String hex(byte[] bytes) {
    return HEX.formatHex(bytes);
  }

  static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(utf8(data));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
    }
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
