package com.cabalmail.alert.decode;

import java.util.ArrayList;
import java.util.List;

/**
 * One body as read in a single streaming pass before the format is known: the fields of each
 * format, held by that format's reader. Each top-level name has exactly one reading rule,
 * whatever the format, so reading is deterministic; values are already type-checked and
 * parsed, with JSON pointers in every error. A field absent from the body stays null.
 */
final class Body {

  /** Top-level names in body order (at most a few), for the "cannot tell" message. */
  final List<String> names = new ArrayList<>();

  /** Alertmanager's and Grafana's fields. */
  final AlertmanagerReader alertmanager;
  /** Uptime Kuma's default body. */
  final KumaReader kuma;
  /** The direct shape (Kuma's custom body, Healthchecks). */
  final DirectReader direct;

  Body(AlertmanagerReader alertmanager, KumaReader kuma, DirectReader direct) {
    this.alertmanager = alertmanager;
    this.kuma = kuma;
    this.direct = direct;
  }
}
