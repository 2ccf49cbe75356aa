package com.cabalmail.sink;

import com.cabalmail.alert.AlertConfig;
import com.cabalmail.alert.spi.Settings;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How the sink watches itself: the {@link Watchdog} dead man's switch, the {@link SelfTest}
 * behind {@code POST /test}, and the {@link SinkMetrics} each request is recorded in.
 *
 * @param watchdog which alerts are watchdogs, and where their pings go
 * @param selfTest {@code POST /test}; empty answers that path 404
 * @param metrics where served requests are recorded
 */
record SelfWatch(Watchdog watchdog, Optional<SelfTest> selfTest, SinkMetrics metrics) {

  /** Validates. */
  SelfWatch {
    Objects.requireNonNull(watchdog, "watchdog");
    Objects.requireNonNull(selfTest, "selfTest");
    Objects.requireNonNull(metrics, "metrics");
  }

  /**
   * Builds what {@code settings} ask for once {@code config} is known: the watchdog (its ping
   * URL from {@value Watchdog#PING_URL}, each ping within the request deadline), the self-test
   * over every configured transport, and EMF metrics when {@code namespace} is given.
   */
  static SelfWatch create(Watchdog.Spec spec, Optional<String> namespace, Settings settings,
      AlertConfig config, ClassLoader loader) {
    Clock clock = Clock.systemUTC();
    SinkMetrics metrics = namespace.isEmpty() ? SinkMetrics.NONE
        : new EmfMetrics(namespace.get(), config.transports(), System.out, clock);
    return new SelfWatch(
        Watchdog.create(spec, settings.optional(Watchdog.PING_URL), config.deadline()),
        Optional.of(SelfTest.create(config, loader, clock)), metrics);
  }

  /** Nothing watched: no watchdog, no self-test, no metrics. */
  static SelfWatch off() {
    return new SelfWatch(
        Watchdog.create(new Watchdog.Spec(List.of()), Optional.empty(), Duration.ofSeconds(1)),
        Optional.empty(), SinkMetrics.NONE);
  }

  @Override
  public String toString() {
    return "watchdog " + watchdog.spec() + (watchdog.pings() ? " pinged" : " not pinged")
        + "; self-test " + (selfTest.isPresent() ? "on" : "off") + "; metrics "
        + (metrics == SinkMetrics.NONE ? "off" : metrics);
  }
}
