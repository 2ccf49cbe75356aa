package com.cabalmail.alert;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which transports each alert goes to, by severity and status. Immutable.
 *
 * <p>Written as one setting, entries separated by {@code ;}, routes by {@code ,}:
 *
 * <pre>
 * critical:pushover=1,ntfy=5;warning:ntfy=3;info:
 * critical.resolved:pushover=-1,ntfy=3;warning.resolved:ntfy=3
 * </pre>
 *
 * A key is a severity (firing alerts), {@code <severity>.resolved}, {@code resolved} (resolved
 * alerts of every severity that has firing routes), or {@code test} (test notifications, such
 * as Uptime Kuma's Test button, whatever their severity; by default the routes of resolved
 * warnings: the transports of warnings at their quiet priority, so a test is seen but never
 * pages). An empty list routes nowhere: the alert is
 * reported as dropped by routing. A severity left out routes nowhere. Where a severity's
 * resolved routes are not written, they are its firing transports at each transport's quiet
 * priority, so a recovery is recorded on the same channels without waking anyone.
 */
public final class RoutingTable {

  /** Cabalmail's table: critical pages by Pushover and ntfy, warning goes to ntfy, info nowhere. */
  public static final String DEFAULT = "critical:pushover=1,ntfy=5;warning:ntfy=3;info:";

  private final Map<Severity, List<Route>> firing;
  private final Map<Severity, List<Route>> resolved;
  private final List<Route> tests;

  private RoutingTable(Map<Severity, List<Route>> firing, Map<Severity, List<Route>> resolved,
      List<Route> tests) {
    this.firing = freeze(firing);
    this.resolved = freeze(resolved);
    this.tests = tests == null ? this.resolved.getOrDefault(Severity.WARNING, List.of())
        : List.copyOf(tests);
  }

  /**
   * Cabalmail's table, {@value #DEFAULT}, with the recoveries of critical alerts on Pushover at
   * -1 (quiet; it also cancels the emergency) and ntfy at 3, and of warnings on ntfy at 3.
   */
  public static RoutingTable defaults() {
    return parse("defaults", DEFAULT, name -> name.equals("pushover") ? -1 : 3, new ArrayList<>());
  }

  /**
   * A table from explicit route lists; severities left out route nowhere; test notifications
   * follow the resolved routes of warnings.
   */
  public static RoutingTable of(
      Map<Severity, List<Route>> firing, Map<Severity, List<Route>> resolved) {
    return new RoutingTable(firing, resolved, null);
  }

  /** The routes for {@code alert}: empty means it is dropped by routing. */
  public List<Route> routesFor(Alert alert) {
    if (alert.isTest()) {
      return tests;
    }
    return (alert.isResolved() ? resolved : firing).getOrDefault(alert.severity(), List.of());
  }

  /** The routes for test notifications ({@link Alert#isTest()}). */
  public List<Route> tests() {
    return tests;
  }

  /** The routes for firing alerts of {@code severity}. */
  public List<Route> firing(Severity severity) {
    return firing.getOrDefault(severity, List.of());
  }

  /** The routes for resolved alerts of {@code severity}. */
  public List<Route> resolved(Severity severity) {
    return resolved.getOrDefault(severity, List.of());
  }

  /** Every transport some route names, in first-use order. */
  public Set<String> transports() {
    // No lambdas: this is on the cold path (ColdPathLambdasIT).
    Set<String> names = new LinkedHashSet<>();
    for (List<Route> routes : firing.values()) {
      addTransports(routes, names);
    }
    for (List<Route> routes : resolved.values()) {
      addTransports(routes, names);
    }
    addTransports(tests, names);
    return Collections.unmodifiableSet(names);
  }

  private static void addTransports(List<Route> routes, Set<String> names) {
    for (Route route : routes) {
      names.add(route.transport());
    }
  }

  /**
   * Parses the setting {@code key}'s value {@code text}, adding a message naming the key and
   * the offending token to {@code problems} for each bad entry; {@code quietPriority} gives the
   * resolved-alert priority of each transport (or null for one not known; the caller reports
   * unknown transports). Returns the table of the entries that parsed, so the caller can check
   * those too and report everything at once; it must not use the table when problems were added.
   */
  static RoutingTable parse(String key, String text, java.util.function.Function<String, Integer>
      quietPriority, List<String> problems) {
    Map<Severity, List<Route>> firing = new EnumMap<>(Severity.class);
    Map<Severity, List<Route>> resolved = new EnumMap<>(Severity.class);
    List<Route> resolvedForAll = null;
    List<Route> tests = null;
    String resolvedEntry = null;
    for (String rawEntry : text.split(";", -1)) {
      String entry = rawEntry.trim();
      if (entry.isEmpty()) {
        continue;
      }
      int colon = entry.indexOf(':');
      if (colon < 0) {
        problems.add(key + ": entry '" + entry
            + "' has no ':'; write <severity>:<transport>=<priority>,...");
        continue;
      }
      String target = entry.substring(0, colon).trim();
      List<Route> routes = parseRoutes(key, entry.substring(colon + 1), problems);
      if ("resolved".equalsIgnoreCase(target)) {
        if (resolvedEntry != null) {
          problems.add(key + ": 'resolved' is given twice, in '" + resolvedEntry + "' and '"
              + entry + "'; give it once");
        }
        resolvedForAll = routes;
        resolvedEntry = entry;
        continue;
      }
      if ("test".equalsIgnoreCase(target)) {
        if (tests != null) {
          problems.add(key + ": 'test' is given twice");
        }
        tests = routes;
        continue;
      }
      boolean forResolved = target.toLowerCase(java.util.Locale.ROOT).endsWith(".resolved");
      String severityText = forResolved ? target.substring(0, target.length() - 9) : target;
      Severity severity;
      try {
        severity = Severity.parse(severityText);
      } catch (IllegalArgumentException e) {
        problems.add(key + ": " + e.getMessage() + " in entry '" + entry
            + "' (keys are <severity>, <severity>.resolved, resolved or test)");
        continue;
      }
      Map<Severity, List<Route>> into = forResolved ? resolved : firing;
      if (into.put(severity, routes) != null) {
        problems.add(key + ": '" + target + "' is given twice");
      }
    }
    for (Severity severity : Severity.values()) {
      List<Route> routes = firing.getOrDefault(severity, List.of());
      if (resolved.containsKey(severity) || routes.isEmpty()) {
        continue;
      }
      if (resolvedForAll != null) {
        resolved.put(severity, resolvedForAll);
      } else {
        List<Route> quiet = new ArrayList<>();
        for (Route route : routes) {
          Integer priority = quietPriority.apply(route.transport());
          quiet.add(new Route(route.transport(), priority == null ? route.priority() : priority));
        }
        resolved.put(severity, quiet);
      }
    }
    return new RoutingTable(firing, resolved, tests);
  }

  private static List<Route> parseRoutes(String key, String text, List<String> problems) {
    List<Route> routes = new ArrayList<>();
    for (String rawRoute : text.split(",", -1)) {
      String route = rawRoute.trim();
      if (route.isEmpty()) {
        continue;
      }
      int equals = route.indexOf('=');
      String transport = equals < 0 ? "" : route.substring(0, equals).trim();
      if (equals < 0 || transport.isEmpty()) {
        problems.add(key + ": route '" + route + "' is not <transport>=<priority>");
        continue;
      }
      String priority = route.substring(equals + 1).trim();
      try {
        routes.add(new Route(transport, Integer.parseInt(priority)));
      } catch (NumberFormatException e) {
        problems.add(key + ": priority '" + priority + "' of transport '" + transport
            + "' is not a whole number");
      }
    }
    return routes;
  }

  private static Map<Severity, List<Route>> freeze(Map<Severity, List<Route>> routes) {
    Map<Severity, List<Route>> copy = new EnumMap<>(Severity.class);
    for (Map.Entry<Severity, List<Route>> entry : routes.entrySet()) {
      copy.put(entry.getKey(), List.copyOf(entry.getValue()));
    }
    return Collections.unmodifiableMap(copy);
  }

  /** The table in the setting's syntax, resolved routes spelled out. */
  @Override
  public String toString() {
    List<String> entries = new ArrayList<>();
    for (Severity severity : Severity.values()) {
      entries.add(severity.wireName() + ":" + join(firing(severity)));
    }
    for (Severity severity : Severity.values()) {
      if (!resolved(severity).isEmpty()) {
        entries.add(severity.wireName() + ".resolved:" + join(resolved(severity)));
      }
    }
    entries.add("test:" + join(tests));
    return String.join(";", entries);
  }

  private static String join(List<Route> routes) {
    List<String> parts = new ArrayList<>();
    for (Route route : routes) {
      parts.add(route.toString());
    }
    return String.join(",", parts);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof RoutingTable
        && firing.equals(((RoutingTable) other).firing)
        && resolved.equals(((RoutingTable) other).resolved)
        && tests.equals(((RoutingTable) other).tests);
  }

  @Override
  public int hashCode() {
    return (firing.hashCode() * 31 + resolved.hashCode()) * 31 + tests.hashCode();
  }

  /**
   * The priority this table gives {@code transport} for firing alerts of {@code severity}, or
   * null when it sends them elsewhere.
   */
  Integer firingPriority(Severity severity, String transport) {
    for (Route route : firing(severity)) {
      if (route.transport().equals(transport)) {
        return route.priority();
      }
    }
    return null;
  }
}
