package com.cabalmail.sink;

import com.cabalmail.alert.spi.Settings;
import com.cabalmail.http.Secret;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Grafana's webhook signature (Grafana 12+, {@code hmacConfig}), an alternative to the shared
 * secret on {@code /grafana}: {@value #HEADER} carries the lowercase hex HMAC-SHA256, keyed
 * with the secret's UTF-8 bytes, of the raw body, or, with a timestamp header configured, of
 * {@code timestamp + ":" + body} (the timestamp in Unix seconds). Then the timestamp must be
 * within {@link #WINDOW} of now, and a signature already accepted in that window is refused as
 * a replay (remembered by this process: each Lambda container has its own memory).
 *
 * <p>The body is the one the transport already bounded by the body limit; it is checked again
 * here before any MAC work, and never decoded (gzip, JSON) before the MAC matches. Comparison
 * is constant-time. Thread-safe.
 */
final class GrafanaSignature {

  /** The HMAC secret shared with Grafana's webhook contact point ({@code hmacConfig.secret}). */
  static final String SECRET = "ALERT_GRAFANA_HMAC_SECRET";
  /** The header carrying the timestamp ({@code hmacConfig.timestampHeader}); no default. */
  static final String TIMESTAMP_HEADER = "ALERT_GRAFANA_HMAC_TIMESTAMP_HEADER";
  /** Grafana's default signature header. */
  static final String HEADER = "X-Grafana-Alerting-Signature";
  /** How far a signed timestamp may be from now, either way. */
  static final Duration WINDOW = Duration.ofMinutes(5);
  /** The most signatures remembered against replays; past it, the oldest are forgotten. */
  static final int MAX_REMEMBERED = 100_000;

  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}");
  private static final Set<String> RESERVED = Set.of("host", "content-length",
      "transfer-encoding", "content-type", "content-encoding", "authorization", "x-alert-secret",
      HEADER.toLowerCase(Locale.ROOT));
  private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]{64}");
  private static final Pattern SECONDS = Pattern.compile("[0-9]{1,12}");

  private final Secret secret;
  private final Optional<String> timestampHeader;
  private final int maxBodyBytes;
  private final Clock clock;
  /** Accepted signatures, to the epoch second after which their timestamp is stale anyway. */
  private final Map<String, Long> seen = new LinkedHashMap<>();

  GrafanaSignature(Secret secret, Optional<String> timestampHeader, int maxBodyBytes,
      Clock clock) {
    this.secret = secret;
    this.timestampHeader = timestampHeader;
    this.maxBodyBytes = maxBodyBytes;
    this.clock = clock;
  }

  /**
   * The signature check the settings configure, or empty without {@value #SECRET}. Records a
   * problem naming the key for a timestamp header that is not a header name (or is one the
   * sink reads for something else), one set without the secret, and, when {@code strict}
   * (Lambda), a secret under {@link SinkSetup#MIN_SECRET_BYTES} bytes.
   */
  static Optional<GrafanaSignature> fromSettings(Settings settings, int maxBodyBytes,
      boolean strict) {
    Optional<Secret> secret = settings.optionalSecret(SECRET);
    Optional<String> header = settings.optional(TIMESTAMP_HEADER);
    if (header.isPresent() && (!TOKEN.matcher(header.get()).matches()
        || RESERVED.contains(header.get().toLowerCase(Locale.ROOT)))) {
      settings.problem(TIMESTAMP_HEADER + ": '" + header.get() + "' is not a header name the"
          + " sink can read a timestamp from (e.g. X-Grafana-Alerting-Timestamp, as set in"
          + " Grafana's hmacConfig.timestampHeader)");
    }
    if (secret.isEmpty()) {
      if (header.isPresent()) {
        settings.problem(TIMESTAMP_HEADER + " is set, but " + SECRET + " (or " + SECRET
            + SinkSetup.PARAM_SUFFIX + ") is not: set the secret Grafana signs with");
      }
      return Optional.empty();
    }
    if (strict && secret.get().reveal().getBytes(StandardCharsets.UTF_8).length
        < SinkSetup.MIN_SECRET_BYTES) {
      settings.problem(SECRET + " is shorter than " + SinkSetup.MIN_SECRET_BYTES + " bytes: a"
          + " Function URL is public, so use a long random secret (e.g. openssl rand -hex 16)");
    }
    return Optional.of(new GrafanaSignature(secret.get(), header, maxBodyBytes,
        Clock.systemUTC()));
  }

  /** The HMAC secret, for the process's redaction. */
  Secret secret() {
    return secret;
  }

  /** Verifies the signature of {@code request}, which carries {@value #HEADER}. */
  SecretCheck.Verdict check(SinkRequest request) {
    String signature = single(request.headerValues(HEADER));
    if (signature == null) {
      return refuse("ambiguous credentials: more than one different " + HEADER);
    }
    if (!HEX.matcher(signature).matches()) {
      return refuse(HEADER + " is not a hex HMAC-SHA256 (64 hex digits)");
    }
    byte[] body = request.body();
    if (body.length > maxBodyBytes) {
      return new SecretCheck.Verdict(413, "body of " + body.length + " bytes is over the limit"
          + " of " + maxBodyBytes + " bytes");
    }
    long timestamp = 0;
    String prefix = "";
    if (timestampHeader.isPresent()) {
      String name = timestampHeader.get();
      String text = single(request.headerValues(name));
      if (text == null || text.isEmpty()) {
        return refuse(text == null ? "ambiguous: more than one different " + name
            : "the signed request has no " + name + " header (Unix seconds)");
      }
      if (!SECONDS.matcher(text).matches()) {
        return refuse(name + " is not a time in Unix seconds");
      }
      timestamp = Long.parseLong(text);
      long now = clock.instant().getEpochSecond();
      if (Math.abs(now - timestamp) > WINDOW.toSeconds()) {
        return refuse(name + " is more than " + WINDOW.toMinutes() + " minutes from the"
            + " sink's clock: a stale or replayed request, or a clock to set right");
      }
      prefix = text + ":";
    }
    byte[] expected = hex(mac(prefix, body)).getBytes(StandardCharsets.US_ASCII);
    byte[] given = signature.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
    if (!MessageDigest.isEqual(expected, given)) {
      return refuse(HEADER + " does not match the " + (timestampHeader.isPresent()
          ? "timestamp and body" : "body") + " (is " + SECRET + " Grafana's HMAC secret?)");
    }
    if (timestampHeader.isPresent() && !firstUse(new String(given, StandardCharsets.US_ASCII),
        timestamp + WINDOW.toSeconds())) {
      return refuse(HEADER + " was already accepted: a replayed request");
    }
    return SecretCheck.Verdict.ACCEPTED;
  }

  /** Records {@code signature} until {@code staleAfter}; false when it was already there. */
  private synchronized boolean firstUse(String signature, long staleAfter) {
    long now = clock.instant().getEpochSecond();
    if (seen.size() >= MAX_REMEMBERED) {
      seen.values().removeIf(until -> until < now);
    }
    Iterator<Long> oldest = seen.values().iterator();
    while (seen.size() >= MAX_REMEMBERED && oldest.hasNext()) {
      oldest.next();
      oldest.remove();
    }
    Long until = seen.get(signature);
    if (until != null && until >= now) {
      return false;
    }
    seen.put(signature, staleAfter);
    return true;
  }

  private byte[] mac(String prefix, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.reveal().getBytes(StandardCharsets.UTF_8),
          "HmacSHA256"));
      mac.update(prefix.getBytes(StandardCharsets.US_ASCII));
      return mac.doFinal(body);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  private static String hex(byte[] bytes) {
    StringBuilder hex = new StringBuilder(bytes.length * 2);
    for (byte b : bytes) {
      hex.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
    }
    return hex.toString();
  }

  /**
   * The one value of a header that may repeat (or that a Function URL comma-joined); null when
   * the values differ, empty when there is none.
   */
  private static String single(List<String> values) {
    String one = "";
    for (String value : values) {
      for (String piece : value.split(",")) {
        String trimmed = piece.trim();
        if (trimmed.isEmpty()) {
          continue;
        }
        if (!one.isEmpty() && !one.equals(trimmed)) {
          return null;
        }
        one = trimmed;
      }
    }
    return one;
  }

  private static SecretCheck.Verdict refuse(String message) {
    return new SecretCheck.Verdict(401, message);
  }
}
