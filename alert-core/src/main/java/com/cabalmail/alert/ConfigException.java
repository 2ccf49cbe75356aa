package com.cabalmail.alert;

import java.util.List;

/**
 * Configuration that cannot work, found at startup. Carries every problem found, each naming
 * the offending key, never a secret value.
 */
public final class ConfigException extends RuntimeException {

  private static final long serialVersionUID = 1L;
  private final List<String> problems;

  /** One exception for all of {@code problems} (at least one). */
  public ConfigException(List<String> problems) {
    super(format(problems));
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a ConfigException needs at least one problem");
    }
    this.problems = List.copyOf(problems);
  }

  /** One exception for one problem. */
  public ConfigException(String problem) {
    this(List.of(problem));
  }

  /** Every problem, one line each. */
  public List<String> problems() {
    return problems;
  }

  private static String format(List<String> problems) {
    if (problems.size() == 1) {
      return "configuration problem: " + problems.get(0);
    }
    return problems.size() + " configuration problems\n  " + String.join("\n  ", problems);
  }
}
