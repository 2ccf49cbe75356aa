package com.cabalmail.alert.spi;

import java.util.Objects;
import java.util.Optional;

/**
 * What the delivery ledger knows of the firing delivery of an alert, given to the transport
 * with the alert's recovery: whether its page went out, and the handle the transport kept
 * (e.g. a Pushover emergency's receipt). Without a ledger, or when it does not know, it is
 * {@link #unknown()}, and a transport acts as if it had been sent (e.g. cancels by tag).
 *
 * @param knowledge unknown, delivered, or not delivered
 * @param handle the transport's handle from that delivery, when one was kept
 */
public record PriorDelivery(Knowledge knowledge, Optional<String> handle) {

  /** How much is known. */
  public enum Knowledge {
    /** Nothing: no ledger, a ledger that cannot tell, or an entry already expired. */
    UNKNOWN,
    /** The firing alert was delivered; {@code handle} is what the transport kept, if any. */
    DELIVERED,
    /** The firing alert was not delivered: the provider rejected it. */
    NOT_DELIVERED
  }

  private static final PriorDelivery UNKNOWN = new PriorDelivery(Knowledge.UNKNOWN,
      Optional.empty());
  private static final PriorDelivery NOT_DELIVERED = new PriorDelivery(Knowledge.NOT_DELIVERED,
      Optional.empty());

  /** Validates: only a delivery has a handle. */
  public PriorDelivery {
    Objects.requireNonNull(knowledge, "knowledge");
    Objects.requireNonNull(handle, "handle");
    if (handle.isPresent() && knowledge != Knowledge.DELIVERED) {
      throw new IllegalArgumentException("only a delivered message has a handle");
    }
  }

  /** Nothing is known. */
  public static PriorDelivery unknown() {
    return UNKNOWN;
  }

  /** Delivered, keeping {@code handle} (null: the transport kept none). */
  public static PriorDelivery delivered(String handle) {
    return new PriorDelivery(Knowledge.DELIVERED, Optional.ofNullable(handle));
  }

  /** Known not to have been delivered. */
  public static PriorDelivery notDelivered() {
    return NOT_DELIVERED;
  }
}
