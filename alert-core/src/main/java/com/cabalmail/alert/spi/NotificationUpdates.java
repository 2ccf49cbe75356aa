package com.cabalmail.alert.spi;

import com.cabalmail.alert.Alert;
import com.cabalmail.alert.Outcome;
import com.cabalmail.http.Deadline;

/**
 * A {@link Transport} that can change what it already delivered for an alert, after the fact:
 * the ntfy transport implements it. A host that learns of an acknowledgement finds it with
 * {@code transport instanceof NotificationUpdates}. Both methods return rather than throw, as
 * {@link Transport#deliver} does.
 */
public interface NotificationUpdates {

  /**
   * Replaces the notification of {@code alert} (its firing form) in place with {@code note}
   * above its summary, e.g. {@code Acknowledged by pixel-7 at 03:12 UTC}, at a quiet priority:
   * a phone still showing it does not sound again.
   *
   * @return sent, or why not (a provider without in-place updates still shows a new message)
   */
  Outcome replace(Alert alert, String note, Deadline deadline);

  /**
   * Withdraws the escalation scheduled for {@code alert}, if one was: it is never delivered,
   * and removed if it already was. Sent when there was nothing to withdraw.
   */
  Outcome withdrawEscalation(Alert alert, Deadline deadline);
}
