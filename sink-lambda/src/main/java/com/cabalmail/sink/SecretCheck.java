package com.cabalmail.sink;

import com.cabalmail.http.Redaction;
import com.cabalmail.http.Secret;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The shared-secret check: {@code X-Alert-Secret: <secret>} or {@code Authorization: Bearer
 * <secret>}, compared in constant time on bytes against the current secret and, during a
 * rotation, the previous one. Both are always compared, so timing does not tell which matched.
 */
final class SecretCheck {

  /** What a 401 says; never echoes what was sent. */
  static final String ACCEPTED_HEADERS = "missing or wrong shared secret: send it as"
      + " 'X-Alert-Secret: <secret>' or 'Authorization: Bearer <secret>'";

  private final Secret current;
  private final Optional<Secret> previous;
  private final Redaction redaction;

  SecretCheck(Secret current, Optional<Secret> previous) {
    this(current, previous, Redaction.none());
  }

  /**
   * A check that also knows the process's other secrets ({@code others}: the transports', the
   * AWS credentials), so that {@link #redaction()} scrubs every one of them.
   */
  SecretCheck(Secret current, Optional<Secret> previous, Redaction others) {
    this.current = current;
    this.previous = previous;
    this.redaction = Redaction.of(secrets()).and(others);
  }

  /**
   * Whether {@code request} carries an accepted secret in either header. Each value of a
   * repeated header is tried (a proxy may add its own {@code Authorization}); a value that a
   * Function URL comma-joined is tried whole, then piece by piece.
   */
  boolean accepts(SinkRequest request) {
    boolean ok = false;
    for (String direct : request.headerValues("x-alert-secret")) {
      String value = direct.trim();
      ok |= matches(value);
      if (!ok && value.indexOf(',') >= 0) {
        for (String piece : value.split(",")) {
          ok |= matches(piece.trim());
        }
      }
    }
    for (String authorization : request.headerValues("authorization")) {
      String value = authorization.trim();
      if (value.length() > 7 && value.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
        ok |= matches(value.substring(7).trim());
      }
    }
    return ok;
  }

  private boolean matches(String candidate) {
    byte[] bytes = candidate.getBytes(StandardCharsets.UTF_8);
    boolean ok = current.matches(bytes);
    if (previous.isPresent()) {
      ok |= previous.get().matches(bytes);
    }
    return ok;
  }

  /**
   * Every secret of the process: what the sink scrubs out of anything it writes (answer
   * bodies, log lines).
   */
  Redaction redaction() {
    return redaction;
  }

  /** The shared secrets. */
  List<Secret> secrets() {
    return previous.isPresent() ? List.of(current, previous.get()) : List.of(current);
  }
}
