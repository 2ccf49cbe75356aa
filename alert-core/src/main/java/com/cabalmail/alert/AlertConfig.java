package com.cabalmail.alert;

import com.cabalmail.alert.ledger.DeliveryLedger;
import com.cabalmail.alert.ledger.LedgerPolicy;
import com.cabalmail.alert.ledger.LedgerProvider;
import com.cabalmail.alert.spi.Settings;
import com.cabalmail.alert.spi.Transport;
import com.cabalmail.alert.spi.TransportProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything the router needs, read once from settings (the environment, in production) and
 * validated as a whole: the routing table, checked against the transport providers on the
 * class path; a transport for each provider the table names, built from its own settings; and
 * the timeouts. Every problem is reported at once, each naming its key.
 *
 * <table>
 *   <caption>Settings read here (transports read their own)</caption>
 *   <tr><td>{@value #ROUTES}</td><td>the routing table, default {@value RoutingTable#DEFAULT}</td></tr>
 *   <tr><td>{@value #TRANSPORT_TIMEOUT}</td><td>budget of one delivery, default 7s</td></tr>
 *   <tr><td>{@value #DEADLINE}</td><td>budget of one routing call, default 8s</td></tr>
 *   <tr><td>{@value #LEDGER}</td><td>delivery ledger: {@code memory} (default), {@code none},
 *       or a plugin's name such as {@code dynamodb}</td></tr>
 *   <tr><td>{@value #REPEAT_WINDOW}</td><td>a repeat is not resent within it, default 4h</td></tr>
 *   <tr><td>{@value #LEDGER_LEASE}</td><td>a claim's lease, default 15s</td></tr>
 *   <tr><td>{@value #LEDGER_REJECTION_HOLD}</td><td>a rejection is not resent within it,
 *       default 15m</td></tr>
 *   <tr><td>{@value #LEDGER_TIMEOUT}</td><td>the most one ledger call may take, default
 *       250ms</td></tr>
 *   <tr><td>{@value #PAGE_STORM_LIMIT}</td><td>pages sent one by one per call before the
 *       rest fold into one, default 3; 0 is off</td></tr>
 *   <tr><td>{@value #PAGE_STORM_TRANSPORT}</td><td>the paging transport, default
 *       pushover</td></tr>
 * </table>
 */
public final class AlertConfig {

  private static final Logger log = LoggerFactory.getLogger(AlertConfig.class);

  /** The routing table setting. */
  public static final String ROUTES = "ALERT_ROUTES";
  /** The budget of one delivery through one transport, retries included. */
  public static final String TRANSPORT_TIMEOUT = "ALERT_TRANSPORT_TIMEOUT";
  /** The budget of one call to the router, all deliveries included. */
  public static final String DEADLINE = "ALERT_DEADLINE";

  /** Which delivery ledger: {@code memory}, {@code none}, or a plugin's name. */
  public static final String LEDGER = "ALERT_LEDGER";
  /** How long a delivered state is not sent again through the same transport. */
  public static final String REPEAT_WINDOW = "ALERT_REPEAT_WINDOW";
  /** How long a claim holds its key while the delivery runs. */
  public static final String LEDGER_LEASE = "ALERT_LEDGER_LEASE";
  /** How long a rejection is remembered (not resent). */
  public static final String LEDGER_REJECTION_HOLD = "ALERT_LEDGER_REJECTION_HOLD";
  /** The most one ledger call may take before the ledger counts as unavailable. */
  public static final String LEDGER_TIMEOUT = "ALERT_LEDGER_TIMEOUT";
  /** Pages sent one by one in one call before the rest are folded into one. */
  public static final String PAGE_STORM_LIMIT = "ALERT_PAGE_STORM_LIMIT";
  /** The paging transport the storm guard watches. */
  public static final String PAGE_STORM_TRANSPORT = "ALERT_PAGE_STORM_TRANSPORT";

  /** Fits a 10 s Lambda: one Pushover retry (5 s minimum wait) still fits. */
  public static final Duration DEFAULT_TRANSPORT_TIMEOUT = Duration.ofSeconds(7);
  /** Fits a 10 s Lambda with time left to answer. */
  public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(8);

  private final RoutingTable routes;
  private final Map<String, Transport> transports;
  private final Duration transportTimeout;
  private final Duration deadline;
  private final LedgerSetup ledger;

  private AlertConfig(RoutingTable routes, Map<String, Transport> transports,
      Duration transportTimeout, Duration deadline, LedgerSetup ledger) {
    this.routes = routes;
    this.transports = Collections.unmodifiableMap(transports);
    this.transportTimeout = transportTimeout;
    this.deadline = deadline;
    this.ledger = ledger;
  }

  /** Reads and validates {@code values}, finding providers with this library's class loader. */
  public static AlertConfig from(Map<String, String> values) {
    return from(Settings.of(values), RoutingTable.DEFAULT, AlertConfig.class.getClassLoader());
  }

  /**
   * Reads and validates {@code settings}; throws one {@link ConfigException} listing every
   * problem, those the caller recorded in {@code settings} before included:
   * {@code read(settings, defaultRoutes, loader).orElseThrow()}.
   *
   * @param defaultRoutes the table used when {@value #ROUTES} is not set
   * @param loader where transport and ledger providers are looked for
   */
  public static AlertConfig from(Settings settings, String defaultRoutes, ClassLoader loader) {
    return read(settings, defaultRoutes, loader).orElseThrow();
  }

  /**
   * Reads {@code settings} as a value: the configuration, or every problem found (those the
   * caller recorded in {@code settings} before included), each naming its key once, from the
   * routes, the transports and the ledger alike. Nothing is thrown for a bad setting; a ledger
   * built before a problem was found is closed.
   *
   * @param defaultRoutes the table used when {@value #ROUTES} is not set
   * @param loader where transport and ledger providers are looked for
   */
  public static Validated<AlertConfig> read(Settings settings, String defaultRoutes,
      ClassLoader loader) {
    List<String> problems = new ArrayList<>();
    Map<String, TransportProvider> providers = Plugins.transports(loader, problems);
    Duration transportTimeout = settings.duration(TRANSPORT_TIMEOUT, DEFAULT_TRANSPORT_TIMEOUT,
        Duration.ofMillis(100), Duration.ofMinutes(15));
    Duration deadline = settings.duration(DEADLINE, DEFAULT_DEADLINE,
        Duration.ofMillis(100), Duration.ofMinutes(15));
    String table = settings.string(ROUTES, defaultRoutes);
    RoutingTable routes = RoutingTable.parse(ROUTES, table,
        new QuietPriority(providers),
        problems);
    Map<String, Transport> transports = new LinkedHashMap<>();
    checkRoutes(routes, providers, problems);
    for (String name : routes.transports()) {
      TransportProvider provider = providers.get(name);
      if (provider == null) {
        continue;
      }
      try {
        transports.put(name, provider.create(settings));
      } catch (ConfigException e) {
        // A provider throws what it recorded in the shared settings: each is reported once.
        List<String> known = settings.problems();
        for (String problem : e.problems()) {
          if (!known.contains(problem) && !problems.contains(problem)) {
            problems.add(problem);
          }
        }
      } catch (RuntimeException e) {
        problems.add("transport '" + name + "' could not be built: " + e);
      }
    }
    LedgerSetup ledger = LedgerSetup.read(settings, transportTimeout, loader, problems);
    for (String problem : problems) {
      settings.problem(problem);
    }
    Validated<AlertConfig> checked = settings.validate(null);
    if (!checked.isValid()) {
      if (ledger.ledger != null) {
        ledger.ledger.close();
      }
      return checked;
    }
    return Validated.valid(
        new AlertConfig(routes, transports, transportTimeout, deadline, ledger));
  }

  /** Each transport's quiet priority: a class, not a lambda (cold path: ColdPathLambdasIT). */
  private static final class QuietPriority implements java.util.function.Function<String, Integer> {
    private final Map<String, TransportProvider> providers;

    QuietPriority(Map<String, TransportProvider> providers) {
      this.providers = providers;
    }

    @Override
    public Integer apply(String name) {
      TransportProvider provider = providers.get(name);
      return provider == null ? null : provider.priorities().quiet();
    }
  }

  /**
   * Opens the connection of the ledger {@code environment} chooses with {@value #LEDGER}, when
   * it is a plugin ({@link LedgerProvider#connect}), ahead of {@link #read}: a host calls it
   * beside other init work (the Lambda sink: beside its SSM read). Never throws.
   */
  public static void connectLedger(Map<String, String> environment, ClassLoader loader) {
    String name = environment.getOrDefault(LEDGER, LedgerSetup.MEMORY).trim()
        .toLowerCase(java.util.Locale.ROOT);
    if (name.equals(LedgerSetup.MEMORY) || name.equals(LedgerSetup.NONE)) {
      return;
    }
    try {
      LedgerProvider provider = Plugins.ledgers(loader, new ArrayList<>()).get(name);
      if (provider != null) {
        provider.connect(environment);
      }
    } catch (RuntimeException | java.util.ServiceConfigurationError e) {
      log.debug("ledger {}: no early connection: {}", name, e.toString());
    }
  }

  /**
   * Every setting key the transport providers found by {@code loader} declare
   * ({@link TransportProvider#settingKeys()}), sorted; a provider that fails to load or to
   * answer is skipped. Lets a host decide whether any transport is configured without naming
   * one.
   */
  public static Set<String> transportKeys(ClassLoader loader) {
    Set<String> keys = new TreeSet<>();
    for (TransportProvider provider : Plugins.transports(loader, new ArrayList<>()).values()) {
      try {
        keys.addAll(provider.settingKeys());
      } catch (RuntimeException e) {
        Plugins.skip(Plugins.TRANSPORT, provider, "settingKeys()", e);
      }
    }
    return keys;
  }

  private static void checkRoutes(RoutingTable routes, Map<String, TransportProvider> providers,
      List<String> problems) {
    List<List<Route>> lists = new ArrayList<>();
    for (Severity severity : Severity.values()) {
      lists.add(routes.firing(severity));
      lists.add(routes.resolved(severity));
    }
    lists.add(routes.tests());
    for (List<Route> all : lists) {
      for (Route route : all) {
        TransportProvider provider = providers.get(route.transport());
        String problem;
        if (provider == null) {
          problem = ROUTES + ": transport '" + route.transport() + "' is not on the class path"
              + " (add the alert-" + route.transport() + " artifact); available: "
              + (providers.isEmpty() ? "none" : String.join(", ", providers.keySet()));
        } else if (!provider.priorities().accepts(route.priority())) {
          problem = ROUTES + ": priority " + route.priority() + " of transport '"
              + route.transport() + "' is outside " + provider.priorities();
        } else {
          continue;
        }
        if (!problems.contains(problem)) {
          problems.add(problem);
        }
      }
    }
  }

  /** The validated routing table. */
  public RoutingTable routes() {
    return routes;
  }

  /** A transport for each name the table uses. */
  public Map<String, Transport> transports() {
    return transports;
  }

  /** The budget of one delivery. */
  public Duration transportTimeout() {
    return transportTimeout;
  }

  /** The budget of one routing call. */
  public Duration deadline() {
    return deadline;
  }

  /** The delivery ledger ({@value #LEDGER}); empty when it is {@code none}. */
  public Optional<DeliveryLedger> ledger() {
    return Optional.ofNullable(ledger.ledger);
  }

  /** How the ledger is used. */
  public LedgerPolicy ledgerPolicy() {
    return ledger.policy;
  }

  /** The page storm guard. */
  public PageStormGuard pageStorm() {
    return ledger.pageStorm;
  }
}
