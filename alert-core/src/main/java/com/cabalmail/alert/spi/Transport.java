package com.cabalmail.alert.spi;

import com.cabalmail.alert.Alert;
import com.cabalmail.alert.Outcome;
import com.cabalmail.alert.Severity;
import com.cabalmail.alert.ledger.Acknowledgement;
import com.cabalmail.http.Deadline;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Delivers one alert at one priority to one provider. Made by a {@link TransportProvider};
 * called concurrently by the router, so implementations are thread-safe.
 */
public interface Transport {

  /**
   * Delivers {@code alert} at {@code priority} (the provider's own scale, already validated),
   * finishing by {@code deadline}.
   *
   * @return sent, rejected or failed, with the provider's reason; implementations return
   *     rather than throw, and the router turns anything thrown into a failed outcome
   */
  Outcome deliver(Alert alert, int priority, Deadline deadline);

  /**
   * Delivers {@code alert} knowing what became of its firing delivery through this transport
   * ({@code prior}, given for recoveries when a delivery ledger is configured; otherwise
   * {@link PriorDelivery#unknown()}). A transport that acts on earlier messages (Pushover
   * cancelling an emergency) overrides this; the default ignores {@code prior}.
   *
   * <p>To have something kept for the recovery, return it as the outcome's
   * {@link Outcome#withHandle handle}.
   */
  default Outcome deliver(Alert alert, int priority, Deadline deadline, PriorDelivery prior) {
    return deliver(alert, priority, deadline);
  }

  /**
   * Messages left in the provider's quota, as the provider's latest answer to this transport
   * stated it (Pushover's {@code X-Limit-App-Remaining}); empty when the provider states none
   * or nothing was sent yet. Read by hosts that publish metrics; the default states nothing.
   */
  default OptionalLong quotaRemaining() {
    return OptionalLong.empty();
  }

  /**
   * Asks the provider whether the message kept as {@code handle} (an {@link Outcome#handle()})
   * was acknowledged there, and by whom: Pushover's receipts API for an emergency's receipt.
   * Empty when it was not, when the provider does not know the handle, or when it could not be
   * asked; never throws. The default knows of no acknowledgement.
   */
  default Optional<Acknowledgement> acknowledgement(String handle, Deadline deadline) {
    return Optional.empty();
  }

  /**
   * Stops what the message kept as {@code handle} still does: a Pushover emergency's repeats.
   * Sent when done (or nothing to do), rejected or failed with the reason; never throws. The
   * default has nothing to stop.
   */
  default Outcome cancel(String handle, Deadline deadline) {
    return Outcome.rejected("this transport has nothing to cancel", 0);
  }

  /**
   * Replaces the notification kept as {@code handle} (of a {@code severity} alert) by one
   * saying {@code title} and {@code message}, quietly: ntfy publishes it under the same
   * sequence ID. Never throws. The default cannot replace and says so (rejected).
   */
  default Outcome replace(String handle, Severity severity, String title, String message,
      Deadline deadline) {
    return Outcome.rejected("this transport cannot replace a notification", 0);
  }
}
