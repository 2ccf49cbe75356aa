package com.cabalmail.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cabalmail.alert.Validated.Failure;
import com.cabalmail.alert.spi.Settings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ValidatedTest {

  @Test
  void validHoldsItsValueAndThrowsNothing() {
    Validated<String> valid = Validated.valid("built");

    assertTrue(valid.isValid());
    assertEquals(List.of(), valid.failures());
    assertEquals("built", valid.orElseThrow());
  }

  @Test
  void andKeepsTheFailuresOfBothInOrderEachOnce() {
    Validated<String> first = Validated.invalid("A_KEY", "A_KEY is required: a");
    Validated<Integer> second = Validated.of(7, List.of(
        new Failure("B_KEY", "B_KEY='x' must be a number"),
        new Failure("A_KEY", "A_KEY is required: a")));

    Validated<Integer> both = first.and(second);

    assertFalse(both.isValid());
    assertEquals(List.of(new Failure("A_KEY", "A_KEY is required: a"),
        new Failure("B_KEY", "B_KEY='x' must be a number")), both.failures());
    ConfigException e = assertThrows(ConfigException.class, both::orElseThrow);
    assertEquals(List.of("A_KEY is required: a", "B_KEY='x' must be a number"), e.problems());
  }

  @Test
  void validAndValidHoldsTheSecondValueAndInvalidOnEitherSideWins() {
    Validated<Integer> two = Validated.valid(2);
    assertSame(two, Validated.valid(1).and(two));
    assertEquals(2, Validated.valid(1).and(two).orElseThrow());

    Validated<Integer> bad = Validated.invalid("", "something broke");
    assertFalse(Validated.valid(1).and(bad).isValid());
    assertFalse(bad.and(two).isValid());
    assertEquals(List.of(new Failure("", "something broke")), bad.and(two).failures());
  }

  @Test
  void aFailureFromASettingsProblemNamesTheKeyItStartsWith() {
    assertEquals("NTFY_BASE_URL", Failure.of("NTFY_BASE_URL is required: an http(s) URL")
        .property());
    assertEquals("ALERT_DEADLINE", Failure.of("ALERT_DEADLINE='x' must be a duration")
        .property());
    assertEquals("ALERT_ROUTES", Failure.of("ALERT_ROUTES: route 'x' is bad").property());
    assertEquals("", Failure.of("two transport providers are named 'x'").property());
  }

  @Test
  void settingsReadReturnsOnlyTheReadersProblemsAsAValue() {
    Settings settings = Settings.of(Map.of("ALERT_DEADLINE", "never", "X_FLAG", "maybe"));
    settings.problem("EARLIER is required: recorded before");

    Validated<Boolean> flag = settings.read(s -> s.flag("X_FLAG", false));
    Validated<Duration> deadline = settings.read(
        s -> s.duration("ALERT_DEADLINE", Duration.ZERO, Duration.ZERO, Duration.ofHours(1)));
    Validated<Boolean> fine = settings.read(s -> s.flag("Y_FLAG", true));

    assertEquals(List.of(new Failure("X_FLAG", "X_FLAG='maybe' must be true or false")),
        flag.failures());
    assertEquals(List.of("ALERT_DEADLINE"),
        List.of(deadline.failures().get(0).property()));
    assertTrue(fine.orElseThrow());
    assertEquals(List.of("EARLIER", "X_FLAG", "ALERT_DEADLINE"), properties(
        settings.validate("all")));
    assertEquals(List.of("X_FLAG", "ALERT_DEADLINE"), properties(flag.and(deadline).and(fine)));
  }

  static List<String> properties(Validated<?> validated) {
    return validated.failures().stream().map(Failure::property).toList();
  }
}
