package com.cabalmail.sink;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the end-to-end tests with a real Alertmanager share: Pushover and ntfy stubbed, the sink
 * served on loopback from their settings, an {@link AlertmanagerPeer} posting to it, its files
 * in the test's directory; the Alertmanager, then the sink, stopped after each test.
 */
abstract class SinkBehindAlertmanager {

  @TempDir
  Path dir;

  @RegisterExtension
  final ProviderStubs stubs = new ProviderStubs();
  LocalServer sink;
  AlertmanagerPeer alertmanager;

  @AfterEach
  void stopAlertmanagerAndSink() {
    if (alertmanager != null) {
      alertmanager.close();
    }
    if (sink != null) {
      sink.close();
    }
  }

  /** Serves the sink with the stubs' settings, the shared {@code secret} and {@code settings}. */
  void serve(String secret, Map<String, String> settings) throws IOException {
    Map<String, String> env = new HashMap<>(stubs.settings());
    env.put("ALERT_SECRET", secret);
    env.putAll(settings);
    sink = LocalServer.start(
        SinkSetup.create(env, SinkSetup.SSM, getClass().getClassLoader(), null), 0);
  }
}
