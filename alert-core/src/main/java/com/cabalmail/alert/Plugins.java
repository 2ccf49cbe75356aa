package com.cabalmail.alert;

import com.cabalmail.alert.ledger.LedgerProvider;
import com.cabalmail.alert.spi.TransportProvider;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one plugin discovery, as SLF4J finds its backends: transports and ledgers alike are
 * found with {@link ServiceLoader}, by name, and a broken provider is skipped the same way.
 */
final class Plugins {

  private static final Logger log = LoggerFactory.getLogger(Plugins.class);
  private static final int MAX_BROKEN = 64;
  static final String TRANSPORT = "transport";
  static final String LEDGER = "ledger";
  static final String NAME_RULE = "lower-case letters, digits and dashes";
  /** The documented alphabet of a plugin's name: lower-case letters, digits and dashes. */
  static final Pattern NAME = Pattern.compile("[a-z0-9-]+");

  private Plugins() {}

  /** Every transport provider {@code loader} can see, by name: {@link #discover}. */
  static Map<String, TransportProvider> transports(ClassLoader loader, List<String> problems) {
    return discover(TransportProvider.class, TRANSPORT, loader, problems);
  }

  /** Every ledger provider {@code loader} can see, by name: {@link #discover}. */
  static Map<String, LedgerProvider> ledgers(ClassLoader loader, List<String> problems) {
    return discover(LedgerProvider.class, LEDGER, loader, problems);
  }

  /**
   * Every provider of {@code type} (a {@link TransportProvider} or a {@link LedgerProvider})
   * {@code loader} can see, by name. One that fails to load, whose {@code name()} throws or is
   * null, or whose name is outside the documented alphabet ({@value #NAME_RULE}) is logged and
   * skipped; two with one name are a problem naming both, added to {@code problems}.
   *
   * @param kind what the log lines and problems call one, e.g. {@value #TRANSPORT}
   */
  static <P> Map<String, P> discover(Class<P> type, String kind, ClassLoader loader,
      List<String> problems) {
    Map<String, P> byName = new TreeMap<>();
    Iterator<P> found = ServiceLoader.load(type, loader).iterator();
    int broken = 0;
    while (broken < MAX_BROKEN) {
      P provider;
      try {
        if (!found.hasNext()) {
          break;
        }
        provider = found.next();
      } catch (ServiceConfigurationError e) {
        broken++;
        log.warn("skipping a {} provider that failed to load: {}", kind, e.toString());
        continue;
      }
      String name;
      try {
        name = nameOf(provider);
      } catch (RuntimeException e) {
        broken++;
        skip(kind, provider, "name()", e);
        continue;
      }
      if (name == null || !NAME.matcher(name).matches()) {
        broken++;
        log.warn("skipping {} provider {}: its name {} must be {}", kind,
            provider.getClass().getName(), name == null ? "(null)" : "'" + name + "'", NAME_RULE);
        continue;
      }
      P twin = byName.putIfAbsent(name, provider);
      if (twin != null) {
        String problem = "two " + kind + " providers are named '" + name + "': "
            + twin.getClass().getName() + " and " + provider.getClass().getName()
            + "; remove one from the class path";
        if (!problems.contains(problem)) {
          problems.add(problem);
        }
      }
    }
    return byName;
  }

  /** The provider's name; an instanceof test, not a lambda: this runs on every cold start. */
  private static String nameOf(Object provider) {
    if (provider instanceof TransportProvider) {
      return ((TransportProvider) provider).name();
    }
    return ((LedgerProvider) provider).name();
  }

  /** Logs that {@code provider} is skipped because {@code call} threw {@code e}. */
  static void skip(String kind, Object provider, String call, RuntimeException e) {
    log.warn("skipping {} provider {}: {} threw {}", kind, provider.getClass().getName(), call,
        e.toString());
  }
}
