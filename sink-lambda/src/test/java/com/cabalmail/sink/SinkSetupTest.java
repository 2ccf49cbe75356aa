package com.cabalmail.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cabalmail.alert.ConfigException;
import com.cabalmail.alert.testkit.CapturedLogs;
import com.cabalmail.http.Secret;
import com.cabalmail.alert.testkit.CapturedLogs;
import com.cabalmail.alert.Validated;
import com.cabalmail.aws.SsmException;
import com.cabalmail.aws.SsmParameters;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Startup: secrets from the parameter store in one call, every problem reported at once. */
class SinkSetupTest {

  private final List<List<String>> calls = new ArrayList<>();
  private final Map<String, String> stored = new HashMap<>();

  @BeforeEach
  void reset() {
    CapturedLogs.clear();
  }

  SinkSetup.ParameterStores store() {
    return environment -> (names, deadline) -> {
      calls.add(names);
      Map<String, Secret> found = new HashMap<>();
      names.stream().filter(stored::containsKey)
          .forEach(name -> found.put(name, Secret.of(stored.get(name))));
      return new SsmParameters.Lookup(found, List.of());
    };
  }

  static SinkSetup.ParameterStores unreachable() {
    return environment -> (names, deadline) -> {
      throw new SsmException("SSM at http://127.0.0.1:9 could not be reached: connection refused");
    };
  }

  Sink lambda(Map<String, String> environment) {
    return SinkSetup.create(environment, store(), getClass().getClassLoader(), null);
  }

  static SinkRequest post(String secret) {
    return new SinkRequest("POST", "/", Map.of("x-alert-secret", secret),
        "{}".getBytes(StandardCharsets.UTF_8), "req");
  }

  @Test
  void everySecretParameterIsReadInOneCall() {
    stored.put("/cabal/alert_sink_secret", "current-secret-value");
    stored.put("/cabal/alert_sink_secret_previous", "previous-secret-value");
    stored.put("/cabal/scripted", "scripted-token-value");
    Map<String, String> env = new HashMap<>();
    env.put("SHARED_SECRET_PARAM", "/cabal/alert_sink_secret");
    env.put("SHARED_SECRET_PREVIOUS_PARAM", "/cabal/alert_sink_secret_previous");
    env.put("ALERT_ROUTES", "critical:scripted=5");
    env.put("SCRIPTED_TOKEN", "scripted-token-value");
    env.put("SCRIPTED_EXPECTED_TOKEN", "scripted-token-value");
    Sink sink = lambda(env);
    assertEquals(List.of(List.of("/cabal/alert_sink_secret", "/cabal/alert_sink_secret_previous")),
        calls);
    assertTrue(sink.handle(post("current-secret-value")).status() != 401);
    assertTrue(sink.handle(post("previous-secret-value")).status() != 401);
    assertEquals(401, sink.handle(post("scripted-token-value")).status());
    assertFalse(CapturedLogs.text().contains("secret-value"), CapturedLogs.text());
  }

  @Test
  void missingParameterIsAStartupErrorNamingVariableAndParameter() {
    Map<String, String> env = new HashMap<>();
    env.put("SHARED_SECRET_PARAM", "/cabal/alert_sink_secret");
    env.put("ALERT_ROUTES", "critical:scripted=5");
    env.put("SCRIPTED_TOKEN", "t");
    ConfigException e = assertThrows(ConfigException.class, () -> lambda(env));
    assertEquals(List.of("SHARED_SECRET_PARAM: SSM parameter '/cabal/alert_sink_secret' was not"
        + " returned"), e.problems());
  }

  @Test
  void parameterSsmSaysIsMissingNamesTheVariableThatAskedForIt() {
    Map<String, String> env = new HashMap<>();
    env.put("SHARED_SECRET_PARAM", "/cabal/alert_sink_secret");
    env.put("SCRIPTED_TOKEN_PARAM", "/cabal/typo");
    env.put("ALERT_ROUTES", "critical:scripted=5");
    // SSM lists a name it does not have under InvalidParameters: a typed result, not an error.
    SinkSetup.ParameterStores likeSsm = environment -> (names, deadline) ->
        new SsmParameters.Lookup(Map.of("/cabal/alert_sink_secret",
            Secret.of("0123456789abcdef-secret")), List.of("/cabal/typo"));
    ConfigException e = assertThrows(ConfigException.class,
        () -> SinkSetup.create(env, likeSsm, getClass().getClassLoader(), null));
    assertEquals(List.of("SCRIPTED_TOKEN_PARAM names SSM parameter '/cabal/typo', which does not"
        + " exist in this account and region (create it, or correct SCRIPTED_TOKEN_PARAM)"),
        e.problems());
  }

  @Test
  void missingParametersAreOneFailurePerVariableNamingIt() {
    Map<String, String> env = new HashMap<>();
    env.put("SHARED_SECRET_PARAM", "/cabal/typo");
    env.put("SCRIPTED_TOKEN_PARAM", "/cabal/typo");
    env.put("NTFY_TOKEN_PARAM", "/cabal/ntfy");
    SinkSetup.ParameterStores likeSsm = environment -> (names, deadline) ->
        new SsmParameters.Lookup(Map.of("/cabal/ntfy", Secret.of("tk_ntfy")),
            List.of("/cabal/typo"));
    Map<String, Secret> secrets = new HashMap<>();

    Validated<Integer> read = SinkSetup.fetchSecrets(env, SinkSetup.parameters(env), likeSsm,
        secrets);

    assertEquals(List.of("SCRIPTED_TOKEN_PARAM", "SHARED_SECRET_PARAM"),
        read.failures().stream().map(Validated.Failure::property).toList());
    assertEquals(Map.of(), secrets);
  }

  @Test
  void unreachableParameterStoreIsOneClearStartupError() {
    Map<String, String> env = new HashMap<>();
    env.put("SHARED_SECRET_PARAM", "/cabal/alert_sink_secret");
    env.put("PUSHOVER_APP_TOKEN_PARAM", "/cabal/pushover_app_token");
    ConfigException e = assertThrows(ConfigException.class, () -> SinkSetup.create(env,
        unreachable(), getClass().getClassLoader(), null));
    assertEquals(1, e.problems().size(), e.getMessage());
    assertTrue(e.getMessage().contains("secrets could not be read from SSM Parameter Store: SSM at"
        + " http://127.0.0.1:9 could not be reached"), e.getMessage());
  }

  @Test
  void valueAndParameterForOneSettingIsAProblemBeforeAnySsmCall() {
    Map<String, String> env = new HashMap<>();
    env.put("ALERT_SECRET", "plain");
    env.put("ALERT_SECRET_PARAM", "/cabal/alert_sink_secret");
    ConfigException e = assertThrows(ConfigException.class, () -> lambda(env));
    assertTrue(e.getMessage().contains(
        "ALERT_SECRET and ALERT_SECRET_PARAM are both set"), e.getMessage());
    assertTrue(calls.isEmpty());
  }

  @Test
  void secretAndItsLegacyNameFromSsmIsAProblemNamingBoth() {
    stored.put("/cabal/alert_sink_secret", "current-secret-value");
    Map<String, String> env = new HashMap<>();
    env.put("ALERT_SECRET", "plain");
    env.put("SHARED_SECRET_PARAM", "/cabal/alert_sink_secret");
    ConfigException e = assertThrows(ConfigException.class, () -> lambda(env));
    assertTrue(e.getMessage().contains(
        "ALERT_SECRET and its older name SHARED_SECRET are both set"), e.getMessage());
  }

  @Test
  void anyParamVariableBecomesTheSettingItNamesForWhicheverTransportReadsIt() {
    stored.put("/cabal/alert_sink_secret", "current-secret-value");
    stored.put("/cabal/scripted_token", "scripted-token-value");
    Map<String, String> env = new HashMap<>();
    env.put("ALERT_SECRET_PARAM", "/cabal/alert_sink_secret");
    env.put("SCRIPTED_TOKEN_PARAM", "/cabal/scripted_token");
    env.put("SCRIPTED_EXPECTED_TOKEN", "scripted-token-value");
    env.put("ALERT_ROUTES", "critical:scripted=5");
    Sink sink = lambda(env);
    assertEquals(List.of(List.of("/cabal/alert_sink_secret", "/cabal/scripted_token")), calls);
    assertTrue(sink.handle(post("current-secret-value")).status() != 401);
    assertFalse(CapturedLogs.text().contains("value"), CapturedLogs.text());
  }

  @Test
  void aParameterNothingReadsIsWarnedAboutByVariable() {
    stored.put("/cabal/alert_sink_secret", "current-secret-value");
    stored.put("/cabal/typo", "typo-value");
    Map<String, String> env = new HashMap<>();
    env.put("SHARED_SECRET_PARAM", "/cabal/alert_sink_secret");
    env.put("SCRIPTED_TOKNE_PARAM", "/cabal/typo");
    env.put("SCRIPTED_TOKEN", "t");
    env.put("ALERT_ROUTES", "critical:scripted=5");
    lambda(env);
    assertTrue(CapturedLogs.text().contains("SCRIPTED_TOKNE_PARAM is set, but nothing reads"
        + " SCRIPTED_TOKNE"), CapturedLogs.text());
    assertFalse(CapturedLogs.text().contains("SHARED_SECRET_PARAM is set"), CapturedLogs.text());
    assertFalse(CapturedLogs.text().contains("typo-value"), CapturedLogs.text());
  }

  @Test
  void lambdaWithNothingConfiguredListsEveryProblemAtOnce() {
    ConfigException e = assertThrows(ConfigException.class, () -> lambda(Map.of()));
    String message = e.getMessage();
    assertTrue(message.contains("ALERT_SECRET is required"), message);
    assertTrue(message.contains("PUSHOVER_APP_TOKEN is required"), message);
    assertTrue(message.contains("PUSHOVER_USER_KEY is required"), message);
    assertTrue(message.contains("NTFY_BASE_URL is required"), message);
    assertTrue(calls.isEmpty(), "no parameter named, no SSM call");
  }

  @Test
  void lambdaNeverFallsBackToTheConsole() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> lambda(Map.of("ALERT_SECRET", "a-long-enough-shared-secret")));
    assertFalse(e.getMessage().contains("ALERT_SECRET"), e.getMessage());
    assertTrue(e.getMessage().contains("PUSHOVER_APP_TOKEN is required"),
        "production routes apply: " + e.getMessage());
  }

  @Test
  void localRunWithoutTransportsPrintsAlertsOnTheConsole() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Sink sink = SinkSetup.create(Map.of("ALERT_SECRET", "local-secret"), store(),
        getClass().getClassLoader(), new PrintStream(out, true, StandardCharsets.UTF_8));
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("console transport"));
    assertTrue(sink.handle(post("local-secret")).status() != 401);
    assertEquals("critical:console=5;warning:console=3;info:;critical.resolved:console=1;"
        + "warning.resolved:console=1;test:console=1", sink.routes().toString());
  }

  @Test
  void badSettingsOfEveryKindAreReportedTogether() {
    Map<String, String> env = new HashMap<>();
    env.put("ALERT_ROUTES", "critical:scripted=9");
    env.put("ALERT_DEADLINE", "forever");
    ConfigException e = assertThrows(ConfigException.class, () -> lambda(env));
    String message = e.getMessage();
    assertTrue(message.contains("ALERT_SECRET is required"), message);
    assertTrue(message.contains("ALERT_DEADLINE='forever'"), message);
    assertTrue(message.contains("priority 9 of transport 'scripted'"), message);
    assertTrue(message.contains("SCRIPTED_TOKEN is required"), message);
  }

  @Test
  void lambdaRefusesASharedSecretShorterThan16BytesTheLocalServerWarns() {
    Map<String, String> env = new HashMap<>();
    env.put("ALERT_SECRET", "fifteen-bytes!!");
    env.put("ALERT_SECRET_PREVIOUS", "x9q-prev");
    env.put("ALERT_ROUTES", "critical:scripted=5");
    env.put("SCRIPTED_TOKEN", "scripted-token-value");
    ConfigException e = assertThrows(ConfigException.class, () -> lambda(env));
    assertTrue(e.getMessage().contains("ALERT_SECRET is shorter than 16 bytes"), e.getMessage());
    assertTrue(e.getMessage().contains("ALERT_SECRET_PREVIOUS is shorter than 16 bytes"),
        e.getMessage());
    assertFalse(e.getMessage().contains("fifteen-bytes"), e.getMessage());

    Sink local = SinkSetup.create(env, store(), getClass().getClassLoader(),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    assertTrue(local.handle(post("fifteen-bytes!!")).status() != 401);
    assertTrue(CapturedLogs.text().contains("ALERT_SECRET is shorter than 16 bytes: fine for a"
        + " local try-out, refused in Lambda"), CapturedLogs.text());

    env.put("ALERT_SECRET", "sixteen-bytes!!!");
    env.remove("ALERT_SECRET_PREVIOUS");
    assertEquals(401, lambda(env).handle(post("fifteen-bytes!!")).status());
  }

  @Test
  void configurationErrorsNeverRepeatAUrlsCredentials() {
    Map<String, String> env = new HashMap<>();
    env.put("ALERT_SECRET", "a-long-enough-shared-secret");
    env.put("PUSHOVER_APP_TOKEN", "azGDORePK8gMaC0QOYAMyEEuzJnyUi");
    env.put("PUSHOVER_USER_KEY", "uQiRzpo4DXghDmr9QzzfQu27cmVRsG");
    env.put("PUSHOVER_API_URL", "https://proxyuser:pr0xy-passw0rd@proxy.example/");
    env.put("NTFY_BASE_URL", "http://ntfy.internal.example");
    env.put("NTFY_TOKEN", "tk_AgQdq7mVBoFD37zQVN29RhuMzNIz2");
    ConfigException e = assertThrows(ConfigException.class, () -> lambda(env));
    String message = e.getMessage();
    assertTrue(message.contains("PUSHOVER_API_URL must not contain credentials"), message);
    assertTrue(message.contains("NTFY_BASE_URL is plain http:// to ntfy.internal.example"),
        message);
    for (String secret : List.of("proxyuser", "pr0xy-passw0rd", "azGDORePK8g", "uQiRzpo4",
        "tk_AgQdq7")) {
      assertFalse(message.contains(secret), message);
      assertFalse(CapturedLogs.text().contains(secret), CapturedLogs.text());
    }
  }
}
