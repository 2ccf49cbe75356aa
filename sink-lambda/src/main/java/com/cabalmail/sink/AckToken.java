package com.cabalmail.sink;

import com.cabalmail.alert.Alert;
import com.cabalmail.alert.Severity;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A single-purpose capability for one action on one alert until a time: what the ntfy buttons
 * POST to ({@code /ack/<token>}, {@code /silence/<token>}). Every reader of a topic sees action
 * URLs, so a token grants that one action on that one alert, for the repeat window, and nothing
 * else; it is never the shared secret.
 *
 * <p>Form: {@code <identity>.<severity>.<expires>.<extra>.<mac>}, where {@code identity} is the
 * alert's fingerprint token (1 to 64 letters and digits), {@code expires} Unix seconds,
 * {@code extra} the Alertmanager fingerprint a silence needs (empty for an acknowledgement) and
 * {@code mac} the first 16 bytes of HMAC-SHA256 over the action and those four fields under
 * {@code ALERT_ACK_KEY}, base64url without padding. The action is in the MAC but not in the
 * token: a token made for one action is forged for another. Checked in constant time.
 *
 * @param action what the token allows
 * @param identity the alert's fingerprint token
 * @param severity the severity it fired at (its ledger keys carry it)
 * @param expires when the token stops working, Unix seconds
 * @param extra the Alertmanager fingerprint (silences), else empty
 */
record AckToken(Action action, String identity, Severity severity, long expires, String extra) {

  /** What a token allows; each has its own path. */
  enum Action {
    ACKNOWLEDGE("ack"),
    SILENCE("silence");

    final String path;

    Action(String path) {
      this.path = path;
    }
  }

  static final int MAC_BYTES = 16;
  private static final String ALGORITHM = "HmacSHA256";
  private static final String DOMAIN = "cabal-alerting ack v1";

  /** The token's text, under {@code key}. */
  String mint(byte[] key) {
    return identity + '.' + severity.wireName() + '.' + expires + '.' + extra + '.'
        + Base64.getUrlEncoder().withoutPadding().encodeToString(mac(key));
  }

  private byte[] mac(byte[] key) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(key, ALGORITHM));
      byte[] full = mac.doFinal((DOMAIN + '\n' + action.path + '\n' + identity + '\n'
          + severity.wireName() + '\n' + expires + '\n' + extra)
          .getBytes(StandardCharsets.UTF_8));
      byte[] cut = new byte[MAC_BYTES];
      System.arraycopy(full, 0, cut, 0, MAC_BYTES);
      return cut;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable", e);
    }
  }

  /**
   * The token {@code text} if it is one made for {@code action} under {@code key} that has not
   * expired at {@code nowSeconds}; null otherwise (forged, another action's, expired or not a
   * token: the caller tells no one which).
   */
  static AckToken verify(byte[] key, Action action, String text, long nowSeconds) {
    if (text == null || text.length() > 200) {
      return null;
    }
    String[] parts = text.split("\\.", -1);
    if (parts.length != 5 || !Alert.isFingerprintToken(parts[0]) || !digits(parts[2])
        || parts[2].length() > 12 || !lettersAndDigits(parts[3])) {
      return null;
    }
    Severity severity;
    try {
      severity = Severity.parse(parts[1]);
    } catch (IllegalArgumentException e) {
      return null;
    }
    AckToken token = new AckToken(action, parts[0], severity, Long.parseLong(parts[2]),
        parts[3]);
    // Compared as text, so a token has one spelling: base64's last character carries unused
    // bits that a decoder ignores, and a variant differing only there is not this token.
    byte[] expected = Base64.getUrlEncoder().withoutPadding().encode(token.mac(key));
    if (!severity.wireName().equals(parts[1])
        || !MessageDigest.isEqual(expected, parts[4].getBytes(StandardCharsets.US_ASCII))) {
      return null;
    }
    return token.expires > nowSeconds ? token : null;
  }

  private static boolean digits(String text) {
    if (text.isEmpty()) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) < '0' || text.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  private static boolean lettersAndDigits(String text) {
    return text.isEmpty() || Alert.isFingerprintToken(text);
  }
}
