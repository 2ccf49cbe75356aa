package com.cabalmail.sink;

import com.cabalmail.alert.Outcome;
import com.cabalmail.alert.spi.Settings;
import com.cabalmail.alert.spi.Transport;
import com.cabalmail.alert.spi.TransportProvider;
import com.cabalmail.http.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A test transport found by ServiceLoader, as real ones are: named {@code scripted}, it needs
 * the secret {@code SCRIPTED_TOKEN} and sends only when that token equals
 * {@code SCRIPTED_EXPECTED_TOKEN}, so a test can prove a secret fetched from SSM reached it.
 * {@code SCRIPTED_BEHAVIOUR=throw} makes it throw, as a buggy transport would.
 */
public final class ScriptedTransportProvider implements TransportProvider {

  @Override
  public String name() {
    return "scripted";
  }

  @Override
  public Priorities priorities() {
    return new Priorities(1, 5, 1);
  }

  @Override
  public Transport create(Settings settings) {
    Optional<Secret> token = settings.secret("SCRIPTED_TOKEN", "the scripted transport's token");
    String expected = settings.string("SCRIPTED_EXPECTED_TOKEN", "");
    boolean throwing = settings.string("SCRIPTED_BEHAVIOUR", "").equals("throw");
    return (alert, priority, deadline) -> {
      if (throwing) {
        throw new IllegalStateException("scripted transport bug");
      }
      return token.isPresent() && token.get().matches(expected.getBytes(StandardCharsets.UTF_8))
          ? Outcome.sent("scripted-1", "token matched", 1)
          : Outcome.rejected("token mismatch", 1);
    };
  }
}
