package com.cabalmail.sink;

import com.cabalmail.alert.AlertConfig;
import com.cabalmail.alert.AlertRouter;
import com.cabalmail.alert.ConfigException;
import com.cabalmail.alert.RoutingTable;
import com.cabalmail.alert.Validated;
import com.cabalmail.alert.decode.WebhookDecoder;
import com.cabalmail.alert.decode.WebhookFormat;
import com.cabalmail.alert.spi.TransportProvider;
import com.cabalmail.alert.spi.Settings;
import com.cabalmail.http.Deadline;
import com.cabalmail.http.HttpDelivery;
import com.cabalmail.http.Json;
import com.cabalmail.http.Redaction;
import com.cabalmail.http.Secret;
import com.cabalmail.http.Ticker;
import com.cabalmail.http.Timeline;
import com.cabalmail.aws.SsmException;
import com.cabalmail.aws.SsmParameters;
import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the {@link Sink} from the environment, once, at cold start: for every variable
 * {@code X_PARAM}, the SSM SecureString it names is read (all in one call) and becomes the
 * secret setting {@code X}, whichever plugin reads it. That read runs while the HTTP client and
 * the JSON and TLS machinery warm up on another thread; then come the decoder, the transports
 * and the router, with every configuration problem reported in one {@link ConfigException}.
 * Nothing here names a transport plugin: each reads its own settings.
 */
final class SinkSetup {

  private static final Logger log = LoggerFactory.getLogger(SinkSetup.class);

  static final String ALERT_SECRET = "ALERT_SECRET";
  static final String ALERT_SECRET_PREVIOUS = "ALERT_SECRET_PREVIOUS";
  /** The seed's name of {@value #ALERT_SECRET}, kept so its Terraform keeps working. */
  static final String SHARED_SECRET = "SHARED_SECRET";
  /** The seed's name of {@value #ALERT_SECRET_PREVIOUS}. */
  static final String SHARED_SECRET_PREVIOUS = "SHARED_SECRET_PREVIOUS";
  /** The suffix of a variable naming the SSM parameter that holds a setting's value. */
  static final String PARAM_SUFFIX = "_PARAM";

  /** The AWS credentials a Lambda environment carries (container ones are scrubbed by the client). */
  static final List<String> AWS_SECRETS = List.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
      "AWS_SESSION_TOKEN", "AWS_CONTAINER_AUTHORIZATION_TOKEN");

  /** The shortest shared secret the Lambda accepts, in UTF-8 bytes. */
  static final int MIN_SECRET_BYTES = 16;

  /** The local server's table when no transport is configured: production's, on the console. */
  static final String CONSOLE_ROUTES = "critical:console=5;warning:console=3;info:";

  /** The budget of the SSM read: inside Lambda's 10 s init limit with room to spare. */
  static final Duration SSM_BUDGET = Duration.ofSeconds(4);

  /**
   * System property: what runs beside the SSM read. Unset or {@code true}: the whole
   * {@link #warmUp}. {@code statics}: only the static initialisers no AOT cache can hold (the
   * custom-runtime package sets it: its cache already holds every class loaded and linked, so
   * the whole warm-up would only run the same code twice on a CPU-bound cold start). {@code
   * false}: nothing.
   */
  static final String WARM_UP_PROPERTY = "com.cabalmail.sink.warmUp";

  /** Where secrets named by parameters come from: SSM Parameter Store in production. */
  @FunctionalInterface
  interface ParameterStore {
    /** The values found and, typed, the names the store does not have. */
    SsmParameters.Lookup get(List<String> names, Deadline deadline) throws SsmException;
  }

  /** Opens the parameter store for an environment. */
  @FunctionalInterface
  interface ParameterStores {
    ParameterStore open(Map<String, String> environment) throws SsmException;
  }

  /**
   * Lambda's variable saying how this environment was initialised: {@value #SNAP_START} for a
   * SnapStart function, whose init runs once and is snapshotted, every environment being restored
   * from the snapshot before its first invocation.
   */
  static final String INITIALIZATION_TYPE = "AWS_LAMBDA_INITIALIZATION_TYPE";
  static final String SNAP_START = "snap-start";

  /**
   * SSM Parameter Store, credentials from the environment's chain (keys, else the container
   * credentials endpoint, which is all a SnapStart function gets). Under SnapStart the read goes
   * through an HTTP client of its own, dropped after the init: the connections it opened (SSM,
   * the credentials endpoint) are dead after a restore, and the shared client the transports
   * use opens its first connection only after it.
   */
  static final ParameterStores SSM = new SsmStores();

  /** {@link #SSM}: classes, not lambdas, on every cold start (ColdPathLambdasIT). */
  private static final class SsmStores implements ParameterStores {
    @Override
    public ParameterStore open(Map<String, String> environment) throws SsmException {
      SsmParameters client = SNAP_START.equals(environment.get(INITIALIZATION_TYPE))
          ? SsmParameters.fromEnvironment(environment, HttpDelivery.create(
              HttpDelivery.newClient(), Ticker.system(), HttpDelivery.DEFAULT_MAX_RESPONSE_BYTES))
          : SsmParameters.fromEnvironment(environment);
      return new SsmStore(client);
    }
  }

  private static final class SsmStore implements ParameterStore {
    private final SsmParameters client;

    SsmStore(SsmParameters client) {
      this.client = client;
    }

    @Override
    public SsmParameters.Lookup get(List<String> names, Deadline deadline) throws SsmException {
      return client.read(names, deadline);
    }
  }

  /** What runs beside the SSM read ({@link #initStatics} or {@link #warmUp}); not a lambda. */
  private static final class BesideSsm implements Runnable {
    private final boolean staticsOnly;
    private final boolean signsOrBuildsClient;
    private final Map<String, String> environment;
    private final ClassLoader loader;

    BesideSsm(boolean staticsOnly, boolean signsOrBuildsClient, Map<String, String> environment,
        ClassLoader loader) {
      this.staticsOnly = staticsOnly;
      this.signsOrBuildsClient = signsOrBuildsClient;
      this.environment = environment;
      this.loader = loader;
    }

    @Override
    public void run() {
      if (staticsOnly) {
        initStatics(signsOrBuildsClient, environment, loader);
      } else {
        warmUp(signsOrBuildsClient, environment, loader);
      }
    }
  }

  private SinkSetup() {}

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
    Timeline.mark("init", "start");
    Map<String, String> parameters = parameters(environment);
    // The SSM read builds the HTTP client on its way; without one, the warm-up builds it.
    Thread warmUp = null;
    String warmUpMode = System.getProperty(WARM_UP_PROPERTY, "true");
    // The ledger's connection opens beside the SSM read too, but not under SnapStart: a
    // connection opened before the snapshot is dead after a restore.
    Map<String, String> ledgerEnvironment =
        SNAP_START.equals(environment.get(INITIALIZATION_TYPE)) ? Map.of() : environment;
    if ("statics".equals(warmUpMode)) {
      warmUp = new Thread(new BesideSsm(true, !parameters.isEmpty(), ledgerEnvironment, loader),
          "cabal-sink-statics");
    } else if (!"false".equals(warmUpMode)) {
      warmUp = new Thread(new BesideSsm(false, parameters.isEmpty(), ledgerEnvironment, loader),
          "cabal-sink-warm-up");
    }
    if (warmUp != null) {
      warmUp.setDaemon(true);
      warmUp.start();
    }

    Map<String, Secret> secrets = new HashMap<>();
    // Without the secrets, every transport would add a misleading "missing" problem: stop here.
    int fetched = fetchSecrets(environment, parameters, stores, secrets).orElseThrow();
    long secretsRead = System.nanoTime();
    Timeline.mark("init", "secrets read");
    boolean console = local != null && !anyTransportConfigured(environment, loader);
    Settings settings = Settings.of(environment, secrets);
    Optional<Secret> current = settings.secret(settings.keyOrAlias(ALERT_SECRET, SHARED_SECRET),
        "the shared secret callers send (or set " + ALERT_SECRET + PARAM_SUFFIX + " or "
            + SHARED_SECRET + PARAM_SUFFIX + " to the SSM parameter holding it)");
    String previousKey = settings.keyOrAlias(ALERT_SECRET_PREVIOUS, SHARED_SECRET_PREVIOUS);
    Optional<Secret> previous = settings.optionalSecret(previousKey);
    checkStrength(settings, settings.keyOrAlias(ALERT_SECRET, SHARED_SECRET), current, local);
    checkStrength(settings, previousKey, previous, local);
    WebhookDecoder decoder = WebhookDecoder.fromSettings(settings);
    Optional<GrafanaSignature> grafana =
        GrafanaSignature.fromSettings(settings, decoder.maxBodyBytes(), local == null);
    Watchdog.Spec watchdog = Watchdog.spec(settings);
    Optional<String> metrics = EmfMetrics.namespace(settings);
    Acknowledgements.Spec ackSpec = Acknowledgements.spec(settings, local == null, current);
    // Every problem of the sink's own settings, the routes, the transports and the ledger: one throw.
    AlertConfig config = AlertConfig.read(
        settings, console ? CONSOLE_ROUTES : RoutingTable.DEFAULT, loader).orElseThrow();
    AlertRouter router = AlertRouter.create(config);
    SelfWatch watch = SelfWatch.create(watchdog, metrics, settings, config, loader);
    Acknowledgements acks = Acknowledgements.create(ackSpec, config, HttpDelivery.shared(),
        java.time.Clock.systemUTC(), Ticker.system());
    warnUnread(parameters, settings);
    HttpDelivery.warmUp();
    long built = System.nanoTime();
    Timeline.mark("init", "config built");
    try {
      if (warmUp != null) {
        warmUp.join(SSM_BUDGET.toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    long ready = System.nanoTime();
    Timeline.mark("init", "ready");
    log.info("sink ready in {} ms (secrets {} ms, then config {} ms, then warm-up wait {} ms):"
        + " routes {}; {} secret(s) from SSM; {} shared secret(s); {}; {}",
        (ready - started) / 1_000_000, (secretsRead - started) / 1_000_000,
        (built - secretsRead) / 1_000_000, (ready - built) / 1_000_000, config.routes(), fetched,
        previous.isPresent() ? 2 : 1, watch, acks);
    if (console) {
      local.println("No transport configured: routed alerts are printed here (console"
          + " transport). Set a transport's settings or " + AlertConfig.ROUTES
          + " to deliver them.");
    }
    SecretCheck check = new SecretCheck(current.orElseThrow(), previous,
        settings.redaction().and(awsRedaction(environment))).withGrafana(grafana);
    StdoutLogging.redact(LoggerFactory.getILoggerFactory(), check.redaction());
    return new Sink(check, new Decoding(decoder), router, decoder.maxBodyBytes(), watch,
        new UnauthorizedLog(Ticker.system()), acks);
  }

  /** The webhook decoder as the sink's: a class, not decoder::decode (ColdPathLambdasIT). */
  private static final class Decoding implements Sink.BodyDecoder {
    private final WebhookDecoder decoder;

    Decoding(WebhookDecoder decoder) {
      this.decoder = decoder;
    }

    @Override
    public com.cabalmail.alert.decode.AlertBatch decode(byte[] body, String contentType,
        WebhookFormat format) throws com.cabalmail.alert.decode.DecodeException {
      return decoder.decode(body, contentType, format);
    }
  }

  /**
   * A shared secret under {@value #MIN_SECRET_BYTES} bytes is a problem in Lambda, where the
   * URL is public; the local server, a try-out on loopback, accepts it with a warning.
   */
  private static void checkStrength(Settings settings, String key, Optional<Secret> secret,
      PrintStream local) {
    if (secret.isEmpty()
        || secret.get().reveal().getBytes(StandardCharsets.UTF_8).length >= MIN_SECRET_BYTES) {
      return;
    }
    if (local == null) {
      settings.problem(key + " is shorter than " + MIN_SECRET_BYTES + " bytes: a Function URL"
          + " is public, so use a long random secret (e.g. openssl rand -hex 16)");
    } else {
      log.warn("{} is shorter than {} bytes: fine for a local try-out, refused in Lambda", key,
          MIN_SECRET_BYTES);
    }
  }

  /** The AWS credentials of the environment, scrubbed like every other secret. */
  static Redaction awsRedaction(Map<String, String> environment) {
    List<Secret> aws = new ArrayList<>();
    for (String key : AWS_SECRETS) {
      String value = environment.get(key);
      if (!isBlank(value)) {
        aws.add(Secret.of(value.trim()));
      }
    }
    return Redaction.of(aws);
  }

  /**
   * Every {@code X_PARAM} variable set in {@code environment}, mapped to the setting {@code X}
   * whose value the SSM parameter it names holds; sorted by variable.
   */
  static Map<String, String> parameters(Map<String, String> environment) {
    // No lambdas: this is on the cold path (ColdPathLambdasIT).
    Map<String, String> parameters = new TreeMap<>();
    for (Map.Entry<String, String> entry : environment.entrySet()) {
      String variable = entry.getKey();
      if (variable.endsWith(PARAM_SUFFIX) && variable.length() > PARAM_SUFFIX.length()
          && !isBlank(entry.getValue())) {
        parameters.put(variable, variable.substring(0, variable.length() - PARAM_SUFFIX.length()));
      }
    }
    return parameters;
  }

  /** Whether a shared secret is configured, under any of its names, directly or through SSM. */
  static boolean hasSharedSecret(Map<String, String> environment) {
    return isSetDirectlyOrInSsm(environment, ALERT_SECRET)
        || isSetDirectlyOrInSsm(environment, SHARED_SECRET);
  }

  /**
   * Whether {@value AlertConfig#ROUTES} or any setting a transport provider on the class path
   * declares ({@code TransportProvider.settingKeys()}) is set, directly or through SSM.
   */
  static boolean anyTransportConfigured(Map<String, String> environment, ClassLoader loader) {
    return isSetDirectlyOrInSsm(environment, AlertConfig.ROUTES)
        || AlertConfig.transportKeys(loader).stream()
            .anyMatch(key -> isSetDirectlyOrInSsm(environment, key));
  }

  private static boolean isSetDirectlyOrInSsm(Map<String, String> environment, String key) {
    return !isBlank(environment.get(key)) || !isBlank(environment.get(key + PARAM_SUFFIX));
  }

  /** Warns about each setting fetched from SSM that nothing read: likely a typo or stale. */
  private static void warnUnread(Map<String, String> parameters, Settings settings) {
    Set<String> read = settings.keysRead();
    for (Map.Entry<String, String> parameter : parameters.entrySet()) {
      if (!read.contains(parameter.getValue())) {
        log.warn("{} is set, but nothing reads {}: no routed transport and not the sink"
            + " (a misspelt name, or a transport that no route uses?)", parameter.getKey(),
            parameter.getValue());
      }
    }
  }

  /**
   * Reads every SSM parameter named by {@code parameters} (variable to setting) in one call
   * and puts each secret under its setting in {@code secrets}. Returns how many parameters
   * were read, or a failure per variable naming it and its parameter (never a value).
   */
  static Validated<Integer> fetchSecrets(Map<String, String> environment,
      Map<String, String> parameters, ParameterStores stores, Map<String, Secret> secrets) {
    List<Validated.Failure> failures = new ArrayList<>();
    Map<String, List<String>> variablesByParameter = new LinkedHashMap<>();
    for (Map.Entry<String, String> parameter : parameters.entrySet()) {
      String variable = parameter.getKey();
      String key = parameter.getValue();
      if (!isBlank(environment.get(key))) {
        failures.add(new Validated.Failure(variable, key + " and " + variable + " are both set:"
            + " set the value itself or the name of the SSM parameter holding it, not both"));
        continue;
      }
      String name = environment.get(variable).trim();
      List<String> variables = variablesByParameter.get(name);
      if (variables == null) {
        variables = new ArrayList<>();
        variablesByParameter.put(name, variables);
      }
      variables.add(variable);
    }
    if (variablesByParameter.isEmpty() || !failures.isEmpty()) {
      return Validated.of(0, failures);
    }
    SsmParameters.Lookup lookup;
    try {
      ParameterStore store = stores.open(environment);
      Timeline.mark("ssm", "client built");
      lookup = store.get(List.copyOf(variablesByParameter.keySet()), Deadline.after(SSM_BUDGET));
    } catch (SsmException e) {
      return Validated.invalid("", "secrets could not be read from SSM Parameter Store: "
          + e.getMessage());
    }
    if (!lookup.complete()) {
      // Name the variable that asked for each missing parameter: that is what the operator edits.
      for (Map.Entry<String, List<String>> entry : variablesByParameter.entrySet()) {
        if (lookup.missing().contains(entry.getKey())) {
          for (String variable : entry.getValue()) {
            failures.add(new Validated.Failure(variable, variable + " names SSM parameter '"
                + entry.getKey() + "', which does not exist in this account and region (create"
                + " it, or correct " + variable + ")"));
          }
        }
      }
      return Validated.of(0, failures);
    }
    int count = 0;
    for (Map.Entry<String, List<String>> entry : variablesByParameter.entrySet()) {
      Secret secret = lookup.found().get(entry.getKey());
      for (String variable : entry.getValue()) {
        if (secret == null) {
          failures.add(new Validated.Failure(variable, variable + ": SSM parameter '"
              + entry.getKey() + "' was not returned"));
        } else {
          secrets.put(parameters.get(variable), secret);
        }
      }
      count += secret == null ? 0 : 1;
    }
    return Validated.of(count, failures);
  }

  /**
   * Runs, while the SSM read runs, the initialisers that an AOT cache cannot hold and that the
   * rest of the init and the first request need: the signing crypto's provider (when
   * {@code signs}), the ledger's connection ({@link AlertConfig#connectLedger}: no
   * secrets needed), the transport plugins' classes, and jackson's first parser, which
   * initialises {@code BigDecimal}, whose JDK 25 static initialiser squares a 152,000-bit number
   * (about 25 ms of CPU). Beside the SSM round trip they cost no latency; after it, they would.
   * Nothing here is done twice: the real path finds it all initialised.
   */
  static void initStatics(boolean signs, Map<String, String> environment, ClassLoader loader) {
    Timeline.mark("statics", "start");
    try {
      if (signs) {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(new byte[32], "HmacSHA256"));
        mac.doFinal(MessageDigest.getInstance("SHA-256").digest(new byte[1]));
      }
      // Signed too; the first claim then finds the connection open.
      AlertConfig.connectLedger(environment, loader);
      Iterator<ServiceLoader.Provider<TransportProvider>> providers =
          ServiceLoader.load(TransportProvider.class, loader).stream().iterator();
      while (providers.hasNext()) {
        providers.next().type(); // loads the class, as the real path will, without a lambda
      }
      try (JsonParser parser = Json.factory().createParser(new byte[] {'0'})) {
        parser.nextToken();
      }
    } catch (Exception | ServiceConfigurationError e) {
      log.debug("statics: {}", e.toString()); // an optimisation only; the real path reports
    }
    Timeline.mark("statics", "end");
  }

  /**
   * Runs while the secrets are fetched: {@link #initStatics}, and loads and runs once what the
   * rest of the init and the first request use after the secrets arrive (decoder, JSON reading
   * and writing, the Function URL event), so that work overlaps the SSM round trip instead of
   * following it. Without an AOT cache, loading those classes is most of a cold start.
   */
  static void warmUp(boolean buildHttpClient, Map<String, String> environment,
      ClassLoader loader) {
    try {
      if (buildHttpClient) {
        HttpDelivery.warmUp();
      }
      initStatics(!buildHttpClient, environment, loader);
      byte[] alert = DirectAlertBody.of("info", "sink/warm-up", "warm-up");
      WebhookDecoder.builder().build().decode(alert, "application/json", WebhookFormat.AUTO);
      // A fixed health-probe event (no value comes from outside).
      byte[] event = ("{\"rawPath\":\"/health\",\"requestContext\":{\"http\":{\"method\":\"GET\"},"
          + "\"requestId\":\"warm-up\"}}").getBytes(StandardCharsets.UTF_8);
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
