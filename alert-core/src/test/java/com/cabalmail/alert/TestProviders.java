package com.cabalmail.alert;

import com.cabalmail.alert.spi.Settings;
import com.cabalmail.alert.spi.Transport;
import com.cabalmail.alert.spi.TransportProvider;
import com.cabalmail.http.Secret;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** Transport plugins registered for alert-core's own tests (not part of the test jar). */
public final class TestProviders {

  private TestProviders() {}

  /** What a recording transport was asked to deliver. */
  record Sent(String transport, Alert alert, int priority) {}

  static final List<Sent> SENT = new CopyOnWriteArrayList<>();

  /** Needs PAGER_TOKEN; priorities 0..2, quiet 0. */
  public static final class Pager implements TransportProvider {
    @Override
    public String name() {
      return "pager";
    }

    @Override
    public Priorities priorities() {
      return new Priorities(0, 2, 0);
    }

    @Override
    public List<String> settingKeys() {
      return List.of("PAGER_TOKEN");
    }

    @Override
    public Transport create(Settings settings) {
      Optional<Secret> token = settings.secret("PAGER_TOKEN", "the pager transport is routed");
      return recording(name());
    }
  }

  /** Needs nothing; priorities 1..5, quiet 3. */
  public static final class Feed implements TransportProvider {
    @Override
    public String name() {
      return "feed";
    }

    @Override
    public Priorities priorities() {
      return new Priorities(1, 5, 3);
    }

    @Override
    public Transport create(Settings settings) {
      return recording(name());
    }
  }

  /** Fails to load: its constructor throws. */
  public static final class Broken implements TransportProvider {
    public Broken() {
      throw new IllegalStateException("this provider cannot start");
    }

    @Override
    public String name() {
      return "broken";
    }

    @Override
    public Priorities priorities() {
      return new Priorities(0, 0, 0);
    }

    @Override
    public Transport create(Settings settings) {
      throw new AssertionError("never created");
    }
  }

  /** A second provider named "pager", listed only by a test's own class loader. */
  public static final class PagerTwin implements TransportProvider {
    @Override
    public String name() {
      return "pager";
    }

    @Override
    public Priorities priorities() {
      return new Priorities(0, 2, 0);
    }

    @Override
    public Transport create(Settings settings) {
      return recording(name());
    }
  }

  /** Named by {@link #nameOf}, priorities 0..2; listed only by a test's own class loader. */
  public abstract static class Named implements TransportProvider {
    abstract String nameOf();

    @Override
    public String name() {
      return nameOf();
    }

    @Override
    public Priorities priorities() {
      return new Priorities(0, 2, 0);
    }

    @Override
    public Transport create(Settings settings) {
      return recording(name());
    }
  }

  /** {@code name()} is null. */
  public static final class NullName extends Named {
    @Override
    String nameOf() {
      return null;
    }
  }

  /** {@code name()} throws. */
  public static final class ThrowingName extends Named {
    @Override
    String nameOf() {
      throw new IllegalStateException("no name today");
    }
  }

  /** {@code name()} has upper case and an underscore. */
  public static final class OffAlphabetName extends Named {
    @Override
    String nameOf() {
      return "Pager_2";
    }
  }

  /** "keyless": {@code settingKeys()} throws. */
  public static final class ThrowingKeys extends Named {
    @Override
    String nameOf() {
      return "keyless";
    }

    @Override
    public List<String> settingKeys() {
      throw new IllegalStateException("keys unknown");
    }
  }

  /**
   * "strict": records a problem for STRICT_URL, then throws what the shared settings hold, the
   * problems recorded before it included.
   */
  public static final class SharedSettingsThrower extends Named {
    @Override
    String nameOf() {
      return "strict";
    }

    @Override
    public Transport create(Settings settings) {
      settings.httpUrl("STRICT_URL", null);
      settings.requireValid();
      return recording(name());
    }
  }

  static Transport recording(String name) {
    return (alert, priority, deadline) -> {
      SENT.add(new Sent(name, alert, priority));
      return Outcome.sent(name + "-" + SENT.size(), "", 1);
    };
  }
}
