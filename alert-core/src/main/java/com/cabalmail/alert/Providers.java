package com.cabalmail.alert;

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

/** Finds transport plugins on the class path, as SLF4J finds its backends. */
final class Providers {

  private static final Logger log = LoggerFactory.getLogger(Providers.class);
  private static final int MAX_BROKEN = 64;
  static final String NAME_RULE = "lower-case letters, digits and dashes";
  /** The documented alphabet of a transport name: lower-case letters, digits and dashes. */
  static final Pattern NAME = Pattern.compile("[a-z0-9-]+");

  private Providers() {}

  /**
   * Every provider {@code loader} can see, by name. One that fails to load, whose
   * {@code name()} throws or is null, or whose name is outside the documented alphabet
   * ({@value #NAME_RULE}) is logged and skipped; two with one name are a problem naming both.
   */
  static Map<String, TransportProvider> discover(ClassLoader loader, List<String> problems) {
    Map<String, TransportProvider> byName = new TreeMap<>();
    Iterator<TransportProvider> found = ServiceLoader.load(TransportProvider.class, loader).iterator();
    int broken = 0;
    while (broken < MAX_BROKEN) {
      TransportProvider provider;
      try {
        if (!found.hasNext()) {
          break;
        }
        provider = found.next();
      } catch (ServiceConfigurationError e) {
        broken++;
        log.warn("skipping a transport provider that failed to load: {}", e.toString());
        continue;
      }
      String name;
      try {
        name = provider.name();
      } catch (RuntimeException e) {
        broken++;
        skip(provider, "name()", e);
        continue;
      }
      if (name == null || !NAME.matcher(name).matches()) {
        broken++;
        log.warn("skipping transport provider {}: its name {} must be {}",
            provider.getClass().getName(), name == null ? "(null)" : "'" + name + "'", NAME_RULE);
        continue;
      }
      TransportProvider twin = byName.putIfAbsent(name, provider);
      if (twin != null) {
        problems.add("two transport providers are named '" + name + "': "
            + twin.getClass().getName() + " and " + provider.getClass().getName()
            + "; remove one from the class path");
      }
    }
    return byName;
  }

  /** Logs that {@code provider} is skipped because {@code call} threw {@code e}. */
  static void skip(TransportProvider provider, String call, RuntimeException e) {
    log.warn("skipping transport provider {}: {} threw {}", provider.getClass().getName(), call,
        e.toString());
  }
}
