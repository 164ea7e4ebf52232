package org.jobhost.cron.worklog;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import org.jobhost.api.Durations;

/**
 * The start of a history window as {@code jobhost history --since} and the dashboard's {@code
 * since} filter take it: a duration back from now ({@code 2h}), a time ({@code
 * 2024-05-01T10:00:00Z}) or a date ({@code 2024-05-01}, midnight in the clock's zone). Stateless.
 */
final class Since {

  private Since() {}

  /**
   * The instant {@code text} names, or null for null.
   *
   * @param name the option or filter, named in the error ({@code --since}, {@code since})
   * @throws IllegalArgumentException naming {@code name}, the text and the three accepted forms
   */
  static Instant parse(String name, String text, Clock clock) {
    if (text == null) {
      return null;
    }
    String t = text.trim();
    try {
      return clock.instant().minus(Durations.parse(t));
    } catch (IllegalArgumentException e) {
      // not a duration; try a time or a date
    }
    try {
      return Instant.parse(t);
    } catch (DateTimeException e) {
      // not an instant
    }
    try {
      return LocalDate.parse(t).atStartOfDay(clock.getZone()).toInstant();
    } catch (DateTimeException e) {
      throw new IllegalArgumentException(
          name
              + " \""
              + text
              + "\" is no duration (\"2h\"), time (\"2024-05-01T10:00:00Z\") or date"
              + " (\"2024-05-01\")",
          e);
    }
  }
}
