package com.cabalmail.alert;

import com.cabalmail.alert.spi.TransportProvider;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Finds transport plugins on the class path, as SLF4J finds its backends. */
final class Providers {

  private static final Logger log = LoggerFactory.getLogger(Providers.class);
  private static final int MAX_BROKEN = 64;

  private Providers() {}

  /**
   * Every provider {@code loader} can see, by name. One that fails to load is logged and
   * skipped; two with one name are a problem naming both.
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
      TransportProvider twin = byName.putIfAbsent(provider.name(), provider);
      if (twin != null) {
        problems.add("two transport providers are named '" + provider.name() + "': "
            + twin.getClass().getName() + " and " + provider.getClass().getName()
            + "; remove one from the class path");
      }
    }
    return byName;
  }
}
