package com.cabalmail.sink;

import com.cabalmail.alert.AlertConfig;
import com.cabalmail.alert.AlertRouter;
import com.cabalmail.alert.ConfigException;
import com.cabalmail.alert.RoutingTable;
import com.cabalmail.alert.decode.WebhookDecoder;
import com.cabalmail.alert.decode.WebhookFormat;
import com.cabalmail.alert.ntfy.NtfyProvider;
import com.cabalmail.alert.pushover.PushoverProvider;
import com.cabalmail.alert.spi.TransportProvider;
import com.cabalmail.alert.spi.Settings;
import com.cabalmail.http.Deadline;
import com.cabalmail.http.HttpDelivery;
import com.cabalmail.http.Json;
import com.cabalmail.http.Secret;
import com.cabalmail.http.aws.SsmException;
import com.cabalmail.http.aws.SsmParameters;
import java.io.PrintStream;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the {@link Sink} from the environment, once, at cold start: secrets named by the
 * {@code *_PARAM} variables read from SSM in one call while the HTTP client and the JSON and
 * TLS machinery warm up on another thread; then the decoder, the transports and the router,
 * with every configuration problem reported in one {@link ConfigException}.
 */
final class SinkSetup {

  private static final Logger log = LoggerFactory.getLogger(SinkSetup.class);

  static final String ALERT_SECRET = "ALERT_SECRET";
  static final String ALERT_SECRET_PREVIOUS = "ALERT_SECRET_PREVIOUS";
  static final String SHARED_SECRET_PARAM = "SHARED_SECRET_PARAM";
  static final String SHARED_SECRET_PREVIOUS_PARAM = "SHARED_SECRET_PREVIOUS_PARAM";
  static final String PUSHOVER_USER_KEY = PushoverProvider.USER_KEY;
  static final String PUSHOVER_APP_TOKEN = PushoverProvider.APP_TOKEN;
  static final String NTFY_TOKEN = NtfyProvider.TOKEN;

  /** Which {@code *_PARAM} variable names the SSM parameter holding which plain setting. */
  static final Map<String, String> PARAMETERS = parameters();

  /** Settings that mean "a transport is configured": without any, the local server prints. */
  static final List<String> TRANSPORT_SETTINGS = List.of(AlertConfig.ROUTES,
      PUSHOVER_USER_KEY, PUSHOVER_APP_TOKEN, "PUSHOVER_USER_KEY_PARAM",
      "PUSHOVER_APP_TOKEN_PARAM", PushoverProvider.API_URL, NtfyProvider.BASE_URL,
      NtfyProvider.TOPIC, NTFY_TOKEN,
      "NTFY_PUBLISHER_TOKEN_PARAM");

  /** The local server's table when no transport is configured: production's, on the console. */
  static final String CONSOLE_ROUTES = "critical:console=5;warning:console=3;info:";

  /** The budget of the SSM read: inside Lambda's 10 s init limit with room to spare. */
  static final Duration SSM_BUDGET = Duration.ofSeconds(4);

  /** The largest request body, in bytes: a Function URL's own request limit. */
  static final int MAX_BODY_BYTES = 6 * 1024 * 1024;

  /** Where secrets named by parameters come from: SSM Parameter Store in production. */
  @FunctionalInterface
  interface ParameterStore {
    Map<String, Secret> get(List<String> names, Deadline deadline) throws SsmException;
  }

  /** Opens the parameter store for an environment. */
  @FunctionalInterface
  interface ParameterStores {
    ParameterStore open(Map<String, String> environment) throws SsmException;
  }

  static final ParameterStores SSM = environment -> {
    SsmParameters client = SsmParameters.fromEnvironment(environment);
    return client::get;
  };

  private SinkSetup() {}

  private static Map<String, String> parameters() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put(SHARED_SECRET_PARAM, ALERT_SECRET);
    p.put(SHARED_SECRET_PREVIOUS_PARAM, ALERT_SECRET_PREVIOUS);
    p.put("PUSHOVER_USER_KEY_PARAM", PUSHOVER_USER_KEY);
    p.put("PUSHOVER_APP_TOKEN_PARAM", PUSHOVER_APP_TOKEN);
    p.put("NTFY_PUBLISHER_TOKEN_PARAM", NTFY_TOKEN);
    p.put(Watchdog.PING_URL + "_PARAM", Watchdog.PING_URL);
    return java.util.Collections.unmodifiableMap(p);
  }

  /** The Lambda's sink: everything must be configured; nothing is printed or generated. */
  static Sink forLambda(Map<String, String> environment) {
    return create(environment, SSM, SinkSetup.class.getClassLoader(), null);
  }

  /**
   * Builds the sink.
   *
   * @param local where the local server talks to its user, or null in Lambda: when given, no
   *     transport configured means the console transport
   * @throws ConfigException listing every problem
   */
  static Sink create(Map<String, String> environment, ParameterStores stores, ClassLoader loader,
      PrintStream local) {
    long started = System.nanoTime();
    // The SSM read builds the HTTP client on its way; without one, the warm-up builds it.
    boolean readsParameters = PARAMETERS.keySet().stream()
        .anyMatch(variable -> !isBlank(environment.get(variable)));
    Thread warmUp = new Thread(() -> warmUp(!readsParameters, loader), "cabal-sink-warm-up");
    warmUp.setDaemon(true);
    warmUp.start();

    Map<String, String> values = new HashMap<>(environment);
    List<String> problems = new ArrayList<>();
    int fetched = fetchSecrets(environment, stores, values, problems);
    long secretsRead = System.nanoTime();
    if (!problems.isEmpty()) {
      // Without the secrets, every transport would add a misleading "missing" problem.
      throw new ConfigException(problems);
    }
    boolean console = local != null
        && TRANSPORT_SETTINGS.stream().allMatch(key -> isBlank(environment.get(key)));
    Settings settings = Settings.of(values);
    Optional<Secret> current = settings.secret(ALERT_SECRET,
        "the shared secret callers send (or set " + SHARED_SECRET_PARAM
            + " to the SSM parameter holding it)");
    Optional<Secret> previous = settings.optionalSecret(ALERT_SECRET_PREVIOUS);
    WebhookDecoder decoder = WebhookDecoder.fromSettings(settings);
    Watchdog.Spec watchdog = Watchdog.spec(settings);
    Optional<String> metrics = EmfMetrics.namespace(settings);
    AlertConfig config = AlertConfig.from(
        settings, console ? CONSOLE_ROUTES : RoutingTable.DEFAULT, loader);
    AlertRouter router = AlertRouter.create(config);
    SelfWatch watch = SelfWatch.create(watchdog, metrics, settings, config, loader);
    HttpDelivery.warmUp();
    long built = System.nanoTime();
    try {
      warmUp.join(SSM_BUDGET.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    long ready = System.nanoTime();
    log.info("sink ready in {} ms (secrets {} ms, then config {} ms, then warm-up wait {} ms):"
        + " routes {}; {} secret(s) from SSM; {} shared secret(s); {}",
        (ready - started) / 1_000_000, (secretsRead - started) / 1_000_000,
        (built - secretsRead) / 1_000_000, (ready - built) / 1_000_000, config.routes(), fetched,
        previous.isPresent() ? 2 : 1, watch);
    if (console) {
      local.println("No transport configured: routed alerts are printed here (console"
          + " transport). Set PUSHOVER_* / NTFY_* or ALERT_ROUTES to deliver them.");
    }
    return new Sink(new SecretCheck(current.orElseThrow(), previous), decoder::decode, router,
        MAX_BODY_BYTES, watch);
  }

  /**
   * Reads every secret named by a {@code *_PARAM} variable in one call and puts each under its
   * plain key in {@code values}. Returns how many were read; adds problems naming the variable
   * and parameter (never a value).
   */
  static int fetchSecrets(Map<String, String> environment, ParameterStores stores,
      Map<String, String> values, List<String> problems) {
    Map<String, List<String>> keysByParameter = new LinkedHashMap<>();
    Map<String, String> variableByKey = new HashMap<>();
    for (Map.Entry<String, String> entry : PARAMETERS.entrySet()) {
      String variable = entry.getKey();
      String key = entry.getValue();
      String parameter = environment.get(variable);
      if (isBlank(parameter)) {
        continue;
      }
      if (!isBlank(environment.get(key))) {
        problems.add(key + " and " + variable + " are both set: set the value itself or the"
            + " name of the SSM parameter holding it, not both");
        continue;
      }
      keysByParameter.computeIfAbsent(parameter.trim(), p -> new ArrayList<>()).add(key);
      variableByKey.put(key, variable);
    }
    if (keysByParameter.isEmpty() || !problems.isEmpty()) {
      return 0;
    }
    Map<String, Secret> found;
    try {
      found = stores.open(environment)
          .get(List.copyOf(keysByParameter.keySet()), Deadline.after(SSM_BUDGET));
    } catch (SsmException e) {
      problems.add("secrets could not be read from SSM Parameter Store: " + e.getMessage());
      return 0;
    }
    int count = 0;
    for (Map.Entry<String, List<String>> entry : keysByParameter.entrySet()) {
      Secret secret = found.get(entry.getKey());
      for (String key : entry.getValue()) {
        if (secret == null) {
          problems.add(variableByKey.get(key) + ": SSM parameter '" + entry.getKey()
              + "' was not returned");
        } else {
          values.put(key, secret.reveal());
        }
      }
      count += secret == null ? 0 : 1;
    }
    return count;
  }

  /**
   * Runs while the secrets are fetched: loads and initialises what the rest of the init and
   * the first request use after the secrets arrive (decoder, transport plugins, JSON reading
   * and writing), so that work overlaps the SSM round trip instead of following it.
   */
  static void warmUp(boolean buildHttpClient, ClassLoader loader) {
    try {
      if (buildHttpClient) {
        HttpDelivery.warmUp();
      } else {
        // The SSM read signs its request once the client is built: ready its crypto now.
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(new byte[32], "HmacSHA256"));
        mac.doFinal(MessageDigest.getInstance("SHA-256").digest(new byte[1]));
        DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC).format(Instant.now());
      }
      ServiceLoader.load(TransportProvider.class, loader).stream()
          .forEach(provider -> provider.type());
      byte[] alert = Json.write(g -> {
        g.writeStartObject();
        g.writeStringField("severity", "info");
        g.writeStringField("source", "sink/warm-up");
        g.writeStringField("summary", "warm-up");
        g.writeEndObject();
      });
      WebhookDecoder.builder().build().decode(alert, "application/json", WebhookFormat.AUTO);
      byte[] event = Json.write(g -> {
        g.writeStartObject();
        g.writeStringField("rawPath", "/health");
        g.writeObjectFieldStart("requestContext");
        g.writeObjectFieldStart("http");
        g.writeStringField("method", "GET");
        g.writeEndObject();
        g.writeStringField("requestId", "warm-up");
        g.writeEndObject();
        g.writeEndObject();
      });
      FunctionUrlEvents.write(SinkResponse.noContent(FunctionUrlEvents.read(event).requestId()));
    } catch (Exception | ServiceConfigurationError e) {
      log.debug("warm-up: {}", e.toString()); // an optimisation only; the real path reports
    }
  }

  /** A random secret for one local run: 128 bits, hex. */
  static String generateSecret() {
    byte[] bytes = new byte[16];
    new SecureRandom().nextBytes(bytes);
    StringBuilder hex = new StringBuilder(32);
    for (byte b : bytes) {
      hex.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
    }
    return hex.toString();
  }

  private static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }
}
