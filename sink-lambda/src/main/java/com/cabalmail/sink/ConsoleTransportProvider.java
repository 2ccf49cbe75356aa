package com.cabalmail.sink;

import com.cabalmail.alert.Alert;
import com.cabalmail.alert.Outcome;
import com.cabalmail.alert.spi.Settings;
import com.cabalmail.alert.spi.Transport;
import com.cabalmail.alert.spi.TransportProvider;
import com.cabalmail.http.Deadline;
import java.io.PrintStream;
import java.util.Map;

/**
 * The {@code console} transport: prints each routed alert to standard output. The local server
 * routes to it when no transport is configured, so the whole path can be seen working without
 * an account anywhere; a routing table may also name it ({@code critical:console=5}).
 * Priorities 1 (quiet) to 5.
 */
public final class ConsoleTransportProvider implements TransportProvider {

  /** The name routes use. */
  public static final String NAME = "console";

  /** For {@link java.util.ServiceLoader}. */
  public ConsoleTransportProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Priorities priorities() {
    return new Priorities(1, 5, 1);
  }

  @Override
  public Transport create(Settings settings) {
    return new ConsoleTransport(StdoutLogging.utf8(System.out));
  }

  /** Prints one block per alert, in one write so concurrent deliveries do not interleave. */
  static final class ConsoleTransport implements Transport {
    private final PrintStream out;

    ConsoleTransport(PrintStream out) {
      this.out = out;
    }

    @Override
    public Outcome deliver(Alert alert, int priority, Deadline deadline) {
      out.print(render(alert, priority));
      out.flush();
      return Outcome.sent(null, "printed to standard output", 0);
    }

    static String render(Alert alert, int priority) {
      StringBuilder text = new StringBuilder()
          .append("=== [").append(alert.severity().name()).append("] ").append(alert.source())
          .append(alert.isResolved() ? " (resolved)" : "").append(alert.isTest() ? " (test)" : "")
          .append(" - priority ").append(priority).append('\n')
          .append("    ").append(alert.summary().replace("\n", "\n    ")).append('\n');
      alert.runbook().ifPresent(uri -> text.append("    runbook: ").append(uri).append('\n'));
      for (Map.Entry<String, String> label : alert.labels().entrySet()) {
        if (label.getKey().startsWith("__")) {
          continue; // reserved: the router's and the sink's own (e.g. the acknowledgement URLs)
        }
        text.append("    ").append(label.getKey()).append(": ").append(label.getValue())
            .append('\n');
      }
      text.append("    fingerprint: ").append(alert.fingerprint()).append('\n');
      return text.toString();
    }
  }
}
