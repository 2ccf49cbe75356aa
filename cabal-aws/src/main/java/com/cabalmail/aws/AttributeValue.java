package com.cabalmail.aws;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Objects;

/**
 * A typed DynamoDB value, as the JSON protocol writes it: {@code {"S":"…"}}, {@code {"N":"123"}}
 * (numbers travel as strings), {@code {"BOOL":true}}, {@code {"M":{…}}} or {@code {"NULL":true}}.
 */
public sealed interface AttributeValue {

  /** A string. */
  record S(String value) implements AttributeValue {
    /** Validates. */
    public S {
      Objects.requireNonNull(value, "value");
    }
  }

  /** A number, kept as the decimal text DynamoDB sends. */
  record N(String value) implements AttributeValue {
    /** Validates that {@code value} is a decimal number. */
    public N {
      new BigDecimal(Objects.requireNonNull(value, "value"));
    }

    /** The number as a {@code long}; throws if it has a fraction or does not fit. */
    public long longValue() {
      return new BigDecimal(value).longValueExact();
    }
  }

  /** A boolean. */
  record Bool(boolean value) implements AttributeValue {}

  /** A map of named values. */
  record M(Map<String, AttributeValue> value) implements AttributeValue {
    /** Copies. */
    public M {
      value = Map.copyOf(value);
    }
  }

  /** The null value. */
  record Null() implements AttributeValue {}

  /** {@code {"S": value}}. */
  public static AttributeValue s(String value) {
    return new S(value);
  }

  /** {@code {"N": "value"}}. */
  public static AttributeValue n(long value) {
    return new N(Long.toString(value));
  }

  /** {@code {"BOOL": value}}. */
  public static AttributeValue bool(boolean value) {
    return new Bool(value);
  }

  /** {@code {"M": value}}. */
  public static AttributeValue m(Map<String, AttributeValue> value) {
    return new M(value);
  }
}
