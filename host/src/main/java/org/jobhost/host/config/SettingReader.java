package org.jobhost.host.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jobhost.api.Durations;
import org.jobhost.api.Signal;
import org.jobhost.api.Sizes;
import org.tomlj.TomlArray;
import org.tomlj.TomlTable;

/**
 * Typed, range-checked readers of one {@link Setting}, used by the top level and by every section.
 * A reader given {@code null} (the setting is absent) returns its fallback; one given a bad value
 * records a {@link Problems} entry naming the key, the value, the place and the fix, and returns
 * the fallback, so that every problem of a file is found in one pass. Not thread-safe; used by one
 * load.
 */
final class SettingReader {

  private static final String DURATION_EXAMPLE = "write it as \"500ms\", \"5s\" or \"2m\"";

  private final Problems problems;

  SettingReader(Problems problems) {
    this.problems = problems;
  }

  /**
   * A whole number from {@code min} to {@code max}; a value that is no whole number and one out of
   * range are told apart.
   */
  int integer(Setting s, int fallback, int min, int max) {
    if (s == null) {
      return fallback;
    }
    Long n = wholeNumber(s);
    if (n == null) {
      problem(
          s,
          "must be a whole number (was " + show(s.value()) + ")",
          "write it without quotes, such as " + s.key() + " = " + fallback);
      return fallback;
    }
    if (n < min || n > max) {
      problem(s, "must be between " + min + " and " + max + " (was " + n + ")", rangeFix(min));
      return fallback;
    }
    return n.intValue();
  }

  /**
   * A whole number from {@code min} to {@code max}, with one message for any bad value ({@code must
   * be a whole number from 1 to 1000}), as the sections word it.
   */
  int wholeNumberFrom(Setting s, int fallback, int min, int max, String fix) {
    if (s == null) {
      return fallback;
    }
    Long n = wholeNumber(s);
    if (n != null && n >= min && n <= max) {
      return n.intValue();
    }
    problem(
        s,
        "must be a whole number from " + min + " to " + max + " (was " + show(s.value()) + ")",
        fix);
    return fallback;
  }

  /** A duration string ({@code "5s"}) of at least {@code min}. */
  Duration duration(Setting s, Duration fallback, Duration min) {
    if (s == null) {
      return fallback;
    }
    if (!(s.value() instanceof String)) {
      problem(s, "must be a duration string (was " + show(s.value()) + ")", DURATION_EXAMPLE);
      return fallback;
    }
    try {
      Duration d = Durations.parse((String) s.value());
      if (d.compareTo(min) < 0) {
        problem(
            s,
            "must be at least " + Durations.format(min) + " (was " + s.value() + ")",
            "raise it");
        return fallback;
      }
      return d;
    } catch (IllegalArgumentException e) {
      problem(s, "is invalid: " + e.getMessage(), DURATION_EXAMPLE);
      return fallback;
    }
  }

  /** A size: a whole number of bytes, or a string such as {@code "256MB"}; at least {@code min}. */
  long size(Setting s, long fallback, long min, String minText, String example) {
    if (s == null) {
      return fallback;
    }
    Object o = s.value();
    try {
      long n = o instanceof Long ? (Long) o : Sizes.parse(String.valueOf(o));
      if (n < min) {
        problem(s, "must be at least " + minText + " (was " + show(o) + ")", "raise it");
        return fallback;
      }
      return n;
    } catch (IllegalArgumentException e) {
      problem(s, "is invalid: " + e.getMessage(), "write it as " + example);
      return fallback;
    }
  }

  /** A number from 0 to 1 (0 and 1 may be written as whole numbers). */
  double fraction(Setting s, double fallback, String fix) {
    if (s == null) {
      return fallback;
    }
    Object o = s.value();
    if (o instanceof Double && (Double) o >= 0 && (Double) o <= 1) {
      return (Double) o;
    }
    if (o instanceof Long && ((Long) o == 0 || (Long) o == 1)) {
      return ((Long) o).doubleValue();
    }
    problem(s, "must be a number from 0 to 1 (was " + show(o) + ")", fix);
    return fallback;
  }

  /** {@code true} or {@code false}. */
  boolean bool(Setting s, boolean fallback) {
    if (s == null) {
      return fallback;
    }
    if (s.value() instanceof Boolean) {
      return (Boolean) s.value();
    }
    if (s.raw() && ("true".equals(s.value()) || "false".equals(s.value()))) {
      return Boolean.parseBoolean((String) s.value());
    }
    problem(
        s,
        "must be true or false (was " + show(s.value()) + ")",
        "write true or false without quotes");
    return fallback;
  }

  /** One of an enum's constants, by name in any case. */
  <E extends Enum<E>> E enumValue(Setting s, Class<E> type, E fallback) {
    if (s == null) {
      return fallback;
    }
    List<String> allowed = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      allowed.add(e.name().toLowerCase(Locale.ROOT));
      if (s.value() instanceof String && e.name().equalsIgnoreCase(((String) s.value()).trim())) {
        return e;
      }
    }
    problem(s, "must be one of " + allowed + " (was " + show(s.value()) + ")", "use one of those");
    return fallback;
  }

  /** One of two strings, exactly as written; each names its result. */
  <T> T either(Setting s, T fallback, String first, T firstValue, String second, T secondValue) {
    if (s == null) {
      return fallback;
    }
    if (first.equals(s.value())) {
      return firstValue;
    }
    if (second.equals(s.value())) {
      return secondValue;
    }
    problem(
        s,
        "must be \"" + first + "\" or \"" + second + "\" (was " + show(s.value()) + ")",
        "use one of those");
    return fallback;
  }

  /** A non-blank string, trimmed; {@code null} when absent. */
  String optionalString(Setting s) {
    if (s == null) {
      return null;
    }
    if (s.value() instanceof String && !((String) s.value()).isBlank()) {
      return ((String) s.value()).trim();
    }
    problem(
        s,
        "must be a non-empty string (was " + show(s.value()) + ")",
        "write a name in quotes, or remove the key");
    return null;
  }

  /** An array of strings. */
  List<String> strings(Setting s, List<String> fallback, String example) {
    if (s == null) {
      return fallback;
    }
    Object o = s.value();
    if (o instanceof TomlArray
        && ((TomlArray) o).toList().stream().allMatch(x -> x instanceof String)) {
      List<String> out = new ArrayList<>();
      for (Object x : ((TomlArray) o).toList()) {
        out.add((String) x);
      }
      return out;
    }
    problem(s, "must be an array of strings (was " + show(o) + ")", "write it as " + example);
    return fallback;
  }

  /** A path, resolved against {@code home}; the fallback is one too. */
  Path path(Setting s, Path home, String fallback) {
    String p = fallback;
    if (s != null) {
      if (s.value() instanceof String && !((String) s.value()).isBlank()) {
        p = (String) s.value();
      } else {
        problem(
            s,
            "must be a non-empty path string (was " + show(s.value()) + ")",
            "write a directory path in quotes");
      }
    }
    try {
      return home.resolve(p).normalize();
    } catch (InvalidPathException e) {
      problem(
          s,
          "is not a valid path (" + e.getReason() + ")",
          "write a directory path without NUL or other characters the file system refuses");
      return home.resolve(fallback).normalize();
    }
  }

  /** An array of signal names the JVM lets the host handle. */
  Set<Signal> signals(Setting s) {
    if (s == null) {
      return Set.of();
    }
    if (!(s.value() instanceof TomlArray)) {
      problem(
          s,
          "must be an array of signal names (was " + show(s.value()) + ")",
          "write it as [\"HUP\", \"USR1\"]");
      return Set.of();
    }
    Set<Signal> out = EnumSet.noneOf(Signal.class);
    for (Object o : ((TomlArray) s.value()).toList()) {
      try {
        Signal signal = Signal.parse(String.valueOf(o));
        if (signal.reservedByJvm()) {
          problem(s, "cannot forward " + signal.fullName() + ": the JVM reserves it", "remove it");
        } else {
          out.add(signal);
        }
      } catch (IllegalArgumentException e) {
        problem(s, "has an entry that is no signal: " + e.getMessage(), "remove or correct it");
      }
    }
    return out;
  }

  /**
   * A value as a message shows it: a table or an array by its kind, a string quoted, others as
   * written.
   */
  static String show(Object o) {
    if (o instanceof TomlTable || o instanceof TomlArray) {
      return o instanceof TomlTable ? "a table" : "an array";
    }
    return o instanceof String ? "\"" + o + "\"" : String.valueOf(o);
  }

  private static Long wholeNumber(Setting s) {
    if (s.raw()) {
      try {
        return Long.parseLong(((String) s.value()).trim());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return s.value() instanceof Long ? (Long) s.value() : null;
  }

  private static String rangeFix(int min) {
    return "set it to " + min + " or more";
  }

  private void problem(Setting s, String what, String fix) {
    problems.add(s.key(), what, s.where(), fix);
  }
}
