package com.cabalmail.alert;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The page storm guard's plan for one routing call, a pure function of its legs: which pages
 * fold into one summary page, and that page. Nothing here sends or records.
 */
final class StormPlan {

  /** Most summaries a storm page lists one by one. */
  static final int STORM_LINES = 10;

  private StormPlan() {}

  /**
   * The legs folded into one page: every firing leg still to send through the guard's
   * transport, when there are more than its limit; else none.
   */
  static List<Leg> fold(List<Leg> legs, PageStormGuard guard) {
    if (!guard.isOn()) {
      return List.of();
    }
    List<Leg> pages = new ArrayList<>();
    for (Leg leg : legs) {
      if (leg.route != null && leg.toSend() && !leg.alert.isResolved()
          && leg.route.transport().equals(guard.transport())) {
        pages.add(leg);
      }
    }
    return pages.size() <= guard.limit() ? List.of() : pages;
  }

  /** The highest route priority among {@code folded}: the storm page's. */
  static int priority(List<Leg> folded) {
    int highest = Integer.MIN_VALUE;
    for (Leg leg : folded) {
      highest = Math.max(highest, leg.route.priority());
    }
    return highest;
  }

  /** The one page that stands for {@code folded}: counts, sources, the first summaries. */
  static Alert page(List<Leg> folded) {
    Severity worst = Severity.INFO;
    Map<String, Integer> bySource = new LinkedHashMap<>();
    Map<Severity, Integer> bySeverity = new LinkedHashMap<>();
    TreeSet<String> fingerprints = new TreeSet<>();
    Instant first = null;
    for (Leg leg : folded) {
      Alert a = leg.alert;
      worst = a.severity().compareTo(worst) < 0 ? a.severity() : worst;
      bySource.put(a.source(), bySource.getOrDefault(a.source(), 0) + 1);
      bySeverity.put(a.severity(), bySeverity.getOrDefault(a.severity(), 0) + 1);
      fingerprints.add(a.fingerprint());
      if (a.startsAt().isPresent() && (first == null || a.startsAt().get().isBefore(first))) {
        first = a.startsAt().get();
      }
    }
    StringBuilder text = new StringBuilder();
    text.append(folded.size()).append(" alerts at once (");
    List<String> counts = new ArrayList<>();
    for (Severity s : Severity.values()) {
      if (bySeverity.containsKey(s)) {
        counts.add(bySeverity.get(s) + " " + s.wireName());
      }
    }
    text.append(String.join(", ", counts)).append("); each also goes on its own to the other"
        + " channels.\nSources: ");
    List<String> sources = new ArrayList<>();
    for (Map.Entry<String, Integer> source : bySource.entrySet()) {
      sources.add(source.getValue() == 1 ? source.getKey()
          : source.getKey() + " \u00d7" + source.getValue());
    }
    text.append(String.join(", ", sources));
    int listed = 0;
    for (Leg leg : folded) {
      if (listed == STORM_LINES) {
        text.append("\n+").append(folded.size() - listed).append(" more");
        break;
      }
      text.append("\n\u2022 ").append(leg.alert.summary());
      listed++;
    }
    return new Alert(worst, "page storm: " + folded.size() + " alerts", text.toString(),
        Optional.empty(), Map.of(), AlertStatus.FIRING, Optional.ofNullable(first),
        "storm:" + Alert.digest(String.join("\u0000", fingerprints)));
  }
}
