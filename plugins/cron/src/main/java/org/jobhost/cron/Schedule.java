package org.jobhost.cron;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinition;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed cron schedule in a time zone. Immutable and thread-safe.
 *
 * <p>Accepted: 5 fields ({@code minute hour day-of-month month day-of-week}, as in crontab(5)),
 * 6 fields with seconds first, and {@code @hourly @daily @midnight @weekly @monthly @yearly
 * @annually @reboot}. Day of week 0 and 7 are Sunday; when both day fields are restricted, either
 * matching is enough (as in crontab).
 *
 * <p>Daylight saving time, like Vixie cron: a local time that a spring-forward skips (02:30 in
 * Europe/Berlin on the last Sunday of March) fires once, at the moment the clocks jump (03:00 local
 * time); a local time that a fall-back repeats fires once, at its first occurrence. Schedules that
 * fire every hour or more often keep firing every real hour.
 *
 * @param text the expression as written, trimmed and with single spaces
 * @param zone the time zone its fields are read in
 * @param execution its fire times, or {@code null} for {@code @reboot}
 */
record Schedule(String text, ZoneId zone, ExecutionTime execution) {

  /** The nicknames, as 5-field expressions. {@code @reboot} is handled apart. */
  private static final Map<String, String> NICKNAMES =
      Map.of(
          "@hourly", "0 * * * *",
          "@daily", "0 0 * * *",
          "@midnight", "0 0 * * *",
          "@weekly", "0 0 * * 0",
          "@monthly", "0 0 1 * *",
          "@yearly", "0 0 1 1 *",
          "@annually", "0 0 1 1 *");

  static final String REBOOT = "@reboot";

  private static final CronParser FIVE_FIELDS =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

  private static final CronParser SIX_FIELDS = new CronParser(withSeconds());

  /** At most this many zone transitions are checked for a skipped fire time per call. */
  private static final int MAX_TRANSITIONS = 16;

  private static CronDefinition withSeconds() {
    return CronDefinitionBuilder.defineCron()
        .withSeconds()
        .withValidRange(0, 59)
        .withStrictRange()
        .and()
        .withMinutes()
        .withValidRange(0, 59)
        .withStrictRange()
        .and()
        .withHours()
        .withValidRange(0, 23)
        .withStrictRange()
        .and()
        .withDayOfMonth()
        .withValidRange(1, 31)
        .withStrictRange()
        .and()
        .withMonth()
        .withValidRange(1, 12)
        .withStrictRange()
        .and()
        .withDayOfWeek()
        .withValidRange(0, 7)
        .withMondayDoWValue(1)
        .withIntMapping(7, 0)
        .withStrictRange()
        .and()
        .matchDayOfWeekAndDayOfMonth()
        .instance();
  }

  /**
   * Parses a schedule.
   *
   * @throws IllegalArgumentException naming the expression, the problem and the accepted forms
   */
  static Schedule parse(String text, ZoneId zone) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("a schedule is required, such as \"*/5 * * * *\"");
    }
    String t = text.trim().replaceAll("\\s+", " ");
    String lower = t.toLowerCase(Locale.ROOT);
    if (lower.equals(REBOOT)) {
      return new Schedule(t, zone, null);
    }
    String expr = NICKNAMES.getOrDefault(lower, t);
    if (expr.startsWith("@")) {
      throw new IllegalArgumentException(
          "\""
              + text
              + "\" is no known nickname; use @hourly, @daily, @weekly, @monthly, @yearly"
              + " or @reboot");
    }
    for (int i = 0; i < expr.length(); i++) {
      char c = expr.charAt(i);
      if (!(c < 128 && (Character.isLetterOrDigit(c) || "*,-/?# ".indexOf(c) >= 0))) {
        throw new IllegalArgumentException(
            "\""
                + text
                + "\" has the character '"
                + (Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : c)
                + "' at position "
                + (i + 1)
                + "; a cron field holds digits, names (JAN, MON), * , - / ? # and L only");
      }
    }
    int fields = expr.split(" ").length;
    CronParser parser;
    if (fields == 5) {
      parser = FIVE_FIELDS;
    } else if (fields == 6) {
      parser = SIX_FIELDS;
    } else {
      throw new IllegalArgumentException(
          "\""
              + text
              + "\" has "
              + fields
              + " fields; write 5 (minute hour day-of-month month day-of-week), 6 with seconds"
              + " first, or a nickname such as @daily");
    }
    try {
      return new Schedule(t, zone, ExecutionTime.forCron(parser.parse(expr)));
    } catch (RuntimeException e) {
      // cron-utils signals most errors with IllegalArgumentException, but odd input has also
      // reached it as other runtime exceptions; all of them mean the same to the operator.
      throw new IllegalArgumentException(
          "\"" + text + "\" is not a valid cron expression: " + e.getMessage(), e);
    }
  }

  /** Whether this is {@code @reboot}: one fire per daemon start, no schedule. */
  boolean reboot() {
    return execution == null;
  }

  @Override
  public String toString() {
    return text;
  }

  /**
   * The first fire time strictly after {@code after}, always on a whole second; empty for {@code
   * @reboot} and for expressions that never match again.
   */
  Optional<Instant> next(Instant after) {
    if (execution == null) {
      return Optional.empty();
    }
    // cron-utils keeps the fraction of a second of its argument for "every second" expressions
    // (10:00:00.5 -> 10:00:01.5); from the whole second the answer is the same and whole.
    Instant whole = after.truncatedTo(ChronoUnit.SECONDS);
    Optional<Instant> regular =
        execution.nextExecution(whole.atZone(zone)).map(ZonedDateTime::toInstant);
    Optional<Instant> skipped = firstSkippedFire(after, regular.orElse(null));
    if (skipped.isPresent() && (regular.isEmpty() || skipped.get().isBefore(regular.get()))) {
      return skipped;
    }
    return regular;
  }

  /**
   * The moment of the first spring-forward after {@code after} (and not after {@code limit}) whose
   * skipped local times contain a fire time: cron-utils silently drops those.
   */
  private Optional<Instant> firstSkippedFire(Instant after, Instant limit) {
    ZoneRules rules = zone.getRules();
    ZoneOffsetTransition tr = rules.nextTransition(after);
    for (int i = 0; tr != null && i < MAX_TRANSITIONS; i++) {
      if (limit != null && tr.getInstant().isAfter(limit)) {
        break;
      }
      if (tr.isGap() && matchesWithin(tr.getDateTimeBefore(), tr.getDateTimeAfter())) {
        return Optional.of(tr.getInstant());
      }
      tr = rules.nextTransition(tr.getInstant());
    }
    return Optional.empty();
  }

  /** Whether a local time in {@code [from, to)} matches, judged on the wall clock (no zone). */
  private boolean matchesWithin(LocalDateTime from, LocalDateTime to) {
    ZonedDateTime wall = from.atZone(ZoneOffset.UTC).minusSeconds(1);
    return execution.nextExecution(wall).map(m -> m.toLocalDateTime().isBefore(to)).orElse(false);
  }
}
