package org.jobhost.command;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jobhost.api.PluginSettings;

/**
 * The {@code [plugins.command]} settings. Immutable.
 *
 * @param outputLimit how many bytes of a job's output are logged; the rest is read and discarded
 * @param tailLines how many of the last output lines the outcome keeps
 */
record CommandSettings(long outputLimit, int tailLines) {

  static final String OUTPUT_LIMIT = "output_limit";
  static final String TAIL_LINES = "tail_lines";

  /** 1 MiB: enough for a verbose job, small enough that a runaway one cannot fill the log. */
  static final long DEFAULT_OUTPUT_LIMIT = 1L << 20;

  static final int DEFAULT_TAIL_LINES = 20;

  /** Bounds the tail's memory: at most this many lines of {@link OutputPump#MAX_LINE_BYTES}. */
  static final int MAX_TAIL_LINES = 1000;

  static final CommandSettings DEFAULTS =
      new CommandSettings(DEFAULT_OUTPUT_LIMIT, DEFAULT_TAIL_LINES);

  private static final Pattern SIZE =
      Pattern.compile("(\\d{1,15})\\s*(b|kb|kib|mb|mib|gb|gib)?", Pattern.CASE_INSENSITIVE);

  /** Validates. */
  CommandSettings {
    if (outputLimit < 0) {
      throw new IllegalArgumentException("outputLimit must be 0 or more (was " + outputLimit + ")");
    }
    if (tailLines < 0 || tailLines > MAX_TAIL_LINES) {
      throw new IllegalArgumentException(
          "tailLines must be 0 to " + MAX_TAIL_LINES + " (was " + tailLines + ")");
    }
  }

  /**
   * Reads and checks the plugin's section.
   *
   * @throws org.jobhost.api.SettingsException for an unknown key or a bad value, naming where it is
   */
  static CommandSettings from(PluginSettings settings) {
    settings.requireOnly(Set.of(OUTPUT_LIMIT, TAIL_LINES));
    long outputLimit = outputLimit(settings);
    long tailLines = settings.integer(TAIL_LINES, DEFAULT_TAIL_LINES);
    if (tailLines < 0 || tailLines > MAX_TAIL_LINES) {
      throw settings.invalid(
          TAIL_LINES, "must be 0 to " + MAX_TAIL_LINES + " (was " + tailLines + ")");
    }
    return new CommandSettings(outputLimit, (int) tailLines);
  }

  private static long outputLimit(PluginSettings settings) {
    Object raw = settings.asMap().get(OUTPUT_LIMIT);
    long bytes;
    if (raw == null) {
      return DEFAULT_OUTPUT_LIMIT;
    } else if (raw instanceof Long || raw instanceof Integer) {
      bytes = ((Number) raw).longValue();
    } else if (raw instanceof String) {
      try {
        bytes = parseSize((String) raw);
      } catch (IllegalArgumentException e) {
        throw settings.invalid(OUTPUT_LIMIT, e.getMessage());
      }
    } else {
      throw settings.invalid(
          OUTPUT_LIMIT,
          "must be a whole number of bytes or a size such as \"1MB\" (was " + raw + ")");
    }
    if (bytes < 0) {
      throw settings.invalid(OUTPUT_LIMIT, "must be 0 or more (was " + bytes + ")");
    }
    return bytes;
  }

  /**
   * Parses {@code "4096"}, {@code "512B"}, {@code "64KB"}, {@code "1MB"}, {@code "2GB"}; KB, MB and
   * GB are powers of 1024, and KiB, MiB, GiB are accepted too. Case does not matter.
   *
   * @throws IllegalArgumentException naming the text and the accepted forms
   */
  static long parseSize(String text) {
    Matcher m = SIZE.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "is not a size (was \""
              + text
              + "\"); write a whole number of bytes, or a number and B, KB, MB or GB"
              + " (powers of 1024), such as \"64KB\" or \"1MB\"");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
    int shift;
    switch (unit) {
      case "kb":
      case "kib":
        shift = 10;
        break;
      case "mb":
      case "mib":
        shift = 20;
        break;
      case "gb":
      case "gib":
        shift = 30;
        break;
      default:
        shift = 0;
    }
    if (n > (Long.MAX_VALUE >> shift)) {
      throw new IllegalArgumentException("is too large (was \"" + text + "\")");
    }
    return n << shift;
  }

  /** Formats bytes in the largest unit that holds them exactly: {@code "1MB"}, {@code "1500B"}. */
  static String formatSize(long bytes) {
    String[] units = {"GB", "MB", "KB"};
    int[] shifts = {30, 20, 10};
    for (int i = 0; i < units.length; i++) {
      long unit = 1L << shifts[i];
      if (bytes != 0 && bytes % unit == 0) {
        return bytes / unit + units[i];
      }
    }
    return bytes + "B";
  }

  @Override
  public String toString() {
    return OUTPUT_LIMIT + "=" + formatSize(outputLimit) + " " + TAIL_LINES + "=" + tailLines;
  }
}
