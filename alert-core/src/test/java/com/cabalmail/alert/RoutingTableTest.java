package com.cabalmail.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoutingTableTest {

  static RoutingTable parse(String text, List<String> problems) {
    return RoutingTable.parse("ALERT_ROUTES", text, name -> name.equals("pushover") ? -1 : 3,
        problems);
  }

  @Test
  void theDefaultTableIsCabalmails() {
    assertEquals("critical:pushover=1,ntfy=5;warning:ntfy=3;info:;"
        + "critical.resolved:pushover=-1,ntfy=3;warning.resolved:ntfy=3",
        RoutingTable.defaults().toString());
  }

  @Test
  void spacesAndEmptyEntriesAreTolerated() {
    List<String> problems = new ArrayList<>();
    RoutingTable table = parse(" critical : pushover = 2 , ntfy=5 ;; warning:ntfy=4 ;", problems);

    assertEquals(List.of(), problems);
    assertEquals(List.of(new Route("pushover", 2), new Route("ntfy", 5)),
        table.firing(Severity.CRITICAL));
    assertEquals(List.of(new Route("ntfy", 4)), table.firing(Severity.WARNING));
    assertEquals(List.of(), table.firing(Severity.INFO));
  }

  @Test
  void resolvedRoutesCanBeGivenForAllOrPerSeverity() {
    List<String> problems = new ArrayList<>();
    RoutingTable table = parse(
        "critical:pushover=2;warning:ntfy=3;resolved:ntfy=2;warning.resolved:", problems);

    assertEquals(List.of(new Route("ntfy", 2)), table.resolved(Severity.CRITICAL));
    assertEquals(List.of(), table.resolved(Severity.WARNING), "explicitly silenced");
    assertEquals(List.of(), table.resolved(Severity.INFO), "info has no firing routes");
  }

  @Test
  void eachMalformedTokenIsNamed() {
    List<String> problems = new ArrayList<>();

    RoutingTable table = parse("critical pushover=1;warning:ntfy=x;info:=3;critical:ntfy=1;"
        + "critical:ntfy=2", problems);

    assertEquals(List.of(
        "ALERT_ROUTES: entry 'critical pushover=1' has no ':'; write"
            + " <severity>:<transport>=<priority>,...",
        "ALERT_ROUTES: priority 'x' of transport 'ntfy' is not a whole number",
        "ALERT_ROUTES: route '=3' is not <transport>=<priority>",
        "ALERT_ROUTES: 'critical' is given twice"), problems);
    assertEquals(List.of(new Route("ntfy", 2)), table.firing(Severity.CRITICAL),
        "what parsed is kept so that transports can be checked in the same pass");
  }

  @Test
  void resolvedGivenTwiceIsAProblemNamingTheKeyAndBothEntries() {
    List<String> problems = new ArrayList<>();

    parse("critical:pushover=1;resolved:ntfy=3;resolved:ntfy=1", problems);

    assertEquals(List.of("ALERT_ROUTES: 'resolved' is given twice, in 'resolved:ntfy=3' and"
        + " 'resolved:ntfy=1'; give it once"), problems);
  }
}
