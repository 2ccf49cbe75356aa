package com.cabalmail.alert.spi;

import java.util.List;

/**
 * A transport plugin, found by {@link java.util.ServiceLoader}: list the implementation in
 * {@code META-INF/services/com.cabalmail.alert.spi.TransportProvider}. Implementations are
 * public with a cheap public no-arg constructor; the real work happens in {@link #create}, which
 * the router calls only for transports its routing table names.
 */
public interface TransportProvider {

  /** The name routes use, e.g. {@code pushover}: lower case letters, digits and dashes. */
  String name();

  /** The priorities this transport understands, and the one it uses for recoveries. */
  Priorities priorities();

  /**
   * Builds the transport from its settings, or throws a
   * {@link com.cabalmail.alert.ConfigException}: never a transport with a missing or bad
   * setting. Read every setting through {@link Settings}, which records each problem naming its
   * key, inside {@link Settings#read}, whose {@code orElseThrow()} throws for the problems
   * this provider found; the caller reports each problem once, with all others.
   */
  Transport create(Settings settings);

  /**
   * Every setting key this provider reads, older names (aliases) included, e.g.
   * {@code [PUSHOVER_APP_TOKEN, PUSHOVER_USER_KEY, ...]}. Hosts use them without naming the
   * plugin: the local server, for one, prints alerts on the console when none of them is set.
   * Cheap: no settings are read. The default declares none.
   */
  default List<String> settingKeys() {
    return List.of();
  }

  /**
   * The transport's priority scale.
   *
   * @param min lowest priority accepted
   * @param max highest priority accepted
   * @param quiet what a recovery is sent at when the routing table does not say: recorded,
   *     without waking anyone
   */
  record Priorities(int min, int max, int quiet) {

    /** Validates. */
    public Priorities {
      if (min > max || quiet < min || quiet > max) {
        throw new IllegalArgumentException(
            "priorities need min <= quiet <= max, got " + min + ", " + quiet + ", " + max);
      }
    }

    /** Whether {@code priority} is on the scale. */
    public boolean accepts(int priority) {
      return priority >= min && priority <= max;
    }

    @Override
    public String toString() {
      return min + ".." + max;
    }
  }
}
