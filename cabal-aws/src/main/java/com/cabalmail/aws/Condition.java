package com.cabalmail.aws;

import java.util.Map;
import java.util.Objects;

/**
 * A DynamoDB condition expression with its placeholders: {@code #name} in {@code names},
 * {@code :value} in {@code values}. For {@code UpdateItem} the placeholders also serve the
 * update expression.
 *
 * @param expression e.g. {@code attribute_not_exists(pk) OR expires < :now}; empty for none
 * @param names {@code #placeholder} to attribute name
 * @param values {@code :placeholder} to value
 */
public record Condition(String expression, Map<String, String> names,
    Map<String, AttributeValue> values) {

  /** Validates and copies. */
  public Condition {
    Objects.requireNonNull(expression, "expression");
    names = Map.copyOf(names);
    values = Map.copyOf(values);
  }

  /** No condition: the write always happens. */
  public static Condition none() {
    return new Condition("", Map.of(), Map.of());
  }

  /** {@code expression} with value placeholders only. */
  public static Condition of(String expression, Map<String, AttributeValue> values) {
    return new Condition(expression, Map.of(), values);
  }
}
