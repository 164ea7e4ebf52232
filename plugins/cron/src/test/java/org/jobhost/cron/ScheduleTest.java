package org.jobhost.cron;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScheduleTest {

  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  private static Instant at(String text) {
    return Instant.parse(text);
  }

  private static List<ZonedDateTime> fires(Schedule s, Instant from, int n) {
    List<ZonedDateTime> out = new ArrayList<>();
    Instant f = from;
    for (int i = 0; i < n; i++) {
      f = s.next(f).orElseThrow();
      out.add(f.atZone(s.zone()));
    }
    return out;
  }

  @Test
  void fiveFieldExpressionFiresAtTheNextMatchingMinute() {
    Schedule s = Schedule.parse("*/15 9-17 * * 1-5", ZoneOffset.UTC);
    assertThat(s.next(at("2024-05-03T16:50:00Z"))).contains(at("2024-05-03T17:00:00Z"));
    assertThat(s.next(at("2024-05-03T17:45:00Z")))
        .as("Friday evening to Monday morning")
        .contains(at("2024-05-06T09:00:00Z"));
  }

  @Test
  void everySecondScheduleFiresOnWholeSecondsAfterAFractionalInstant() {
    Schedule s = Schedule.parse("* * * * * *", ZoneOffset.UTC);
    assertThat(s.next(at("2024-05-01T10:00:00.224801095Z"))).contains(at("2024-05-01T10:00:01Z"));
    assertThat(s.next(at("2024-05-01T10:00:01Z"))).contains(at("2024-05-01T10:00:02Z"));
  }

  @Test
  void nextFireIsStrictlyAfterTheGivenInstant() {
    Schedule s = Schedule.parse("0 * * * *", ZoneOffset.UTC);
    assertThat(s.next(at("2024-05-01T10:00:00Z"))).contains(at("2024-05-01T11:00:00Z"));
  }

  @Test
  void sixthFieldIsSecondsFirst() {
    Schedule s = Schedule.parse("*/10 * * * * *", ZoneOffset.UTC);
    assertThat(s.next(at("2024-05-01T10:00:05Z"))).contains(at("2024-05-01T10:00:10Z"));
    assertThat(Schedule.parse("30 0 12 * * *", ZoneOffset.UTC).next(at("2024-05-01T10:00:00Z")))
        .contains(at("2024-05-01T12:00:30Z"));
  }

  @Test
  void nicknamesMeanTheirCrontabExpressions() {
    Instant from = at("2024-05-15T10:20:00Z");
    assertThat(Schedule.parse("@hourly", ZoneOffset.UTC).next(from))
        .contains(at("2024-05-15T11:00:00Z"));
    assertThat(Schedule.parse("@daily", ZoneOffset.UTC).next(from))
        .contains(at("2024-05-16T00:00:00Z"));
    assertThat(Schedule.parse("@weekly", ZoneOffset.UTC).next(from))
        .as("Sunday midnight")
        .contains(at("2024-05-19T00:00:00Z"));
    assertThat(Schedule.parse("@monthly", ZoneOffset.UTC).next(from))
        .contains(at("2024-06-01T00:00:00Z"));
    assertThat(Schedule.parse("@yearly", ZoneOffset.UTC).next(from))
        .contains(at("2025-01-01T00:00:00Z"));
  }

  @Test
  void rebootHasNoScheduledFire() {
    Schedule s = Schedule.parse("@reboot", ZoneOffset.UTC);
    assertThat(s.reboot()).isTrue();
    assertThat(s.next(at("2024-05-15T10:20:00Z"))).isEmpty();
  }

  @Test
  void sundayIsZeroOrSeven() {
    Instant from = at("2024-05-15T10:20:00Z");
    assertThat(Schedule.parse("0 0 * * 7", ZoneOffset.UTC).next(from))
        .isEqualTo(Schedule.parse("0 0 * * 0", ZoneOffset.UTC).next(from));
  }

  /** The fires of {@code expression} in Berlin after {@code from}: exactly {@code expected}. */
  private static void assertFiresInBerlin(String expression, String from, String... expected) {
    assertThat(fires(Schedule.parse(expression, BERLIN), at(from), expected.length))
        .extracting(ZonedDateTime::toString)
        .containsExactly(expected);
  }

  @Test
  void dailyFireInTheSkippedHourRunsOnceWhenTheClocksJumpForward() {
    assertFiresInBerlin(
        "30 2 * * *",
        "2024-03-29T12:00:00Z",
        "2024-03-30T02:30+01:00[Europe/Berlin]",
        "2024-03-31T03:00+02:00[Europe/Berlin]",
        "2024-04-01T02:30+02:00[Europe/Berlin]",
        "2024-04-02T02:30+02:00[Europe/Berlin]");
  }

  @Test
  void dailyFireInTheRepeatedHourRunsOnceWhenTheClocksFallBack() {
    assertFiresInBerlin(
        "30 2 * * *",
        "2024-10-26T12:00:00Z",
        "2024-10-27T02:30+02:00[Europe/Berlin]",
        "2024-10-28T02:30+01:00[Europe/Berlin]");
  }

  @Test
  void hourlyTaskFiresEveryRealHourAcrossBothChanges() {
    assertFiresInBerlin(
        "0 * * * *",
        "2024-03-30T23:30:00Z",
        "2024-03-31T01:00+01:00[Europe/Berlin]",
        "2024-03-31T03:00+02:00[Europe/Berlin]",
        "2024-03-31T04:00+02:00[Europe/Berlin]");
    assertFiresInBerlin(
        "0 * * * *",
        "2024-10-26T23:30:00Z",
        "2024-10-27T02:00+02:00[Europe/Berlin]",
        "2024-10-27T02:00+01:00[Europe/Berlin]",
        "2024-10-27T03:00+01:00[Europe/Berlin]");
  }

  @Test
  void badExpressionIsRefusedNamingItAndTheAcceptedForms() {
    assertThatThrownBy(() -> Schedule.parse("61 * * * *", ZoneOffset.UTC))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"61 * * * *\" is not a valid cron expression");
    assertThatThrownBy(() -> Schedule.parse("* * *", ZoneOffset.UTC))
        .hasMessageContaining("has 3 fields; write 5");
    assertThatThrownBy(() -> Schedule.parse("@fortnightly", ZoneOffset.UTC))
        .hasMessageContaining("no known nickname");
  }

  @Test
  void aCharacterNoCronFieldHoldsIsRefusedByPositionNotPassedToTheParser() {
    // "|" made the cron library throw ArrayIndexOutOfBoundsException (found by fuzzing).
    assertThatThrownBy(() -> Schedule.parse("6 6 | * 6", ZoneOffset.UTC))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "\"6 6 | * 6\" has the character '|' at position 5; a cron field holds digits,"
                + " names (JAN, MON), * , - / ? # and L only");
    assertThatThrownBy(() -> Schedule.parse("* * * \u0001 *", ZoneOffset.UTC))
        .hasMessageContaining("'\\u0001' at position 7");
  }
}
