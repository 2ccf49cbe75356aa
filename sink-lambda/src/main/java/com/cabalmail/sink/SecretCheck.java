package com.cabalmail.sink;

import com.cabalmail.http.Redaction;
import com.cabalmail.http.Secret;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The authentication of a request: {@code X-Alert-Secret: <secret>} or {@code Authorization:
 * Bearer <secret>}, compared in constant time on bytes against the current secret and, during
 * a rotation, the previous one (both always compared, so timing does not tell which matched);
 * or, on {@code /grafana} when configured, Grafana's signature ({@link GrafanaSignature}).
 *
 * <p>One credential, or none: a request whose credential headers carry two or more different
 * values (two {@code X-Alert-Secret}, or one and a {@code Bearer} that differ, or a value that
 * a Function URL comma-joined from two headers) is refused as ambiguous, whatever they hold, so
 * that one request cannot carry many guesses.
 */
final class SecretCheck {

  /** What a 401 says; never echoes what was sent. */
  static final String ACCEPTED_HEADERS = "missing or wrong shared secret: send it as"
      + " 'X-Alert-Secret: <secret>' or 'Authorization: Bearer <secret>'";

  /** What a 401 for disagreeing credentials says; never echoes what was sent. */
  static final String AMBIGUOUS = "ambiguous credentials: the request carries more than one"
      + " different shared secret (in X-Alert-Secret headers, or X-Alert-Secret and"
      + " 'Authorization: Bearer'); send exactly one";

  /**
   * The outcome of a check: {@link #ACCEPTED}, or the status (401, or 413 for a signed body
   * over the limit) and the message to answer with.
   */
  record Verdict(int status, String message) {
    static final Verdict ACCEPTED = new Verdict(0, "");
    static final Verdict REFUSED = new Verdict(401, ACCEPTED_HEADERS);
    static final Verdict AMBIGUOUS_CREDENTIALS = new Verdict(401, AMBIGUOUS);

    boolean accepted() {
      return status == 0;
    }
  }

  private final Secret current;
  private final Optional<Secret> previous;
  private final Redaction redaction;
  private final Optional<GrafanaSignature> grafana;

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
    this.grafana = Optional.empty();
  }

  private SecretCheck(SecretCheck check, GrafanaSignature grafana) {
    this.current = check.current;
    this.previous = check.previous;
    this.redaction = check.redaction.and(List.of(grafana.secret()));
    this.grafana = Optional.of(grafana);
  }

  /**
   * This check, also accepting requests to {@code /grafana} that {@code grafana} verifies (and
   * scrubbing its secret too); this check itself when empty.
   */
  SecretCheck withGrafana(Optional<GrafanaSignature> grafana) {
    return grafana.isPresent() ? new SecretCheck(this, grafana.get()) : this;
  }

  /** Whether {@code request} is authenticated: {@link #check} accepts it. */
  boolean accepts(SinkRequest request) {
    return check(request).accepted();
  }

  /**
   * Checks {@code request}: its one shared secret (every value of a repeated header is looked
   * at; a value a Function URL comma-joined is taken whole when it is a secret, else piece by
   * piece), else, on {@code /grafana}, Grafana's signature over its body.
   */
  Verdict check(SinkRequest request) {
    List<String> candidates = candidates(request);
    if (candidates.size() > 1) {
      return Verdict.AMBIGUOUS_CREDENTIALS;
    }
    if (candidates.size() == 1 && matches(candidates.get(0))) {
      return Verdict.ACCEPTED;
    }
    if (signed(request)) {
      return grafana.get().check(request);
    }
    return Verdict.REFUSED;
  }

  /**
   * Whether {@code request} goes to {@code /grafana} with Grafana's signature and signatures
   * are checked: its body must then be read before the request can be authenticated.
   */
  boolean signed(SinkRequest request) {
    return grafana.isPresent() && Sink.normalise(request.path()).equals("/grafana")
        && !request.headerValues(GrafanaSignature.HEADER).isEmpty();
  }

  /** The different shared-secret values the request carries, in order. */
  private List<String> candidates(SinkRequest request) {
    List<String> candidates = new ArrayList<>(1);
    for (String direct : request.headerValues("x-alert-secret")) {
      String value = direct.trim();
      if (value.indexOf(',') < 0 || matches(value)) {
        add(candidates, value);
      } else {
        for (String piece : value.split(",")) {
          add(candidates, piece.trim());
        }
      }
    }
    for (String authorization : request.headerValues("authorization")) {
      // Comma-joined by a Function URL, or a proxy's own credentials beside the caller's.
      for (String piece : authorization.split(",")) {
        String value = piece.trim();
        if (value.length() > 7
            && value.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
          add(candidates, value.substring(7).trim());
        }
      }
    }
    return candidates;
  }

  private static void add(List<String> candidates, String value) {
    if (!value.isEmpty() && !candidates.contains(value)) {
      candidates.add(value);
    }
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
   * bodies, log lines), with what the process learned since start-up ({@link
   * Redaction#process()}: credentials fetched at run time).
   */
  Redaction redaction() {
    Redaction learned = Redaction.process();
    return learned == Redaction.none() ? redaction : redaction.and(learned);
  }

  /** The shared secrets. */
  List<Secret> secrets() {
    return previous.isPresent() ? List.of(current, previous.get()) : List.of(current);
  }
}
