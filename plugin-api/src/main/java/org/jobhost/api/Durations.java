package org.jobhost.api;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The duration notation of jobhost's configuration and job files: a whole number and a unit, {@code
 * "250ms"}, {@code "5s"}, {@code "2m"}, {@code "1h"}, {@code "7d"}. Plugins use it so that every
 * duration an operator writes reads the same.
 */
public final class Durations {

  private static final Pattern FORMAT = Pattern.compile("(\\d{1,12})\\s*(ms|s|m|h|d)");

  private Durations() {}

  /**
   * Parses {@code "500ms"}, {@code "5s"}, {@code "2m"}, {@code "1h"}, {@code "7d"}.
   *
   * @throws IllegalArgumentException naming the text and the accepted forms
   */
  public static Duration parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("a duration is required, such as \"5s\" or \"500ms\"");
    }
    Matcher m = FORMAT.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "\""
              + text
              + "\" is not a duration; write a whole number and a unit: ms, s, m, h or d"
              + " (for example \"500ms\", \"5s\", \"2m\")");
    }
    long n = Long.parseLong(m.group(1));
    switch (m.group(2)) {
      case "ms":
        return Duration.ofMillis(n);
      case "s":
        return Duration.ofSeconds(n);
      case "m":
        return Duration.ofMinutes(n);
      case "h":
        return Duration.ofHours(n);
      default:
        return Duration.ofDays(n);
    }
  }

  /** Formats in the largest unit that represents the duration exactly: {@code "1500ms"}, "2m". */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms == 0 || ms % 1000 != 0) {
      return ms + "ms";
    }
    long s = ms / 1000;
    if (s % 86400 == 0) {
      return s / 86400 + "d";
    }
    if (s % 3600 == 0) {
      return s / 3600 + "h";
    }
    if (s % 60 == 0) {
      return s / 60 + "m";
    }
    return s + "s";
  }
}
