package com.cabalmail.aws;

import java.util.Map;

/** What a conditional DynamoDB write did: it happened, or its condition failed. */
public sealed interface WriteOutcome {

  /** The item was written (or deleted). */
  record Written() implements WriteOutcome {}

  /**
   * The condition was false and nothing changed; {@code oldItem} is the item as it stands
   * (empty when there was none), asked for with {@code ReturnValuesOnConditionCheckFailure}.
   */
  record ConditionFailed(Map<String, AttributeValue> oldItem) implements WriteOutcome {
    /** Copies. */
    public ConditionFailed {
      oldItem = Map.copyOf(oldItem);
    }
  }

  /** Whether the write happened. */
  default boolean written() {
    return this instanceof Written;
  }
}
