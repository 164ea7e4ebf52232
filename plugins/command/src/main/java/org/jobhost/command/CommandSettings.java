package org.jobhost.command;

import java.util.Set;
import org.jobhost.api.PluginSettings;
import org.jobhost.api.Sizes;

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
        bytes = Sizes.parse((String) raw);
      } catch (IllegalArgumentException e) {
        throw settings.invalid(
            OUTPUT_LIMIT,
            "is not a size (was \""
                + raw
                + "\"); write a whole number of bytes, or a number and B, KB, MB or GB"
                + " (powers of 1024), such as \"64KB\" or \"1MB\"");
      } catch (ArithmeticException e) {
        throw settings.invalid(OUTPUT_LIMIT, "is too large (was \"" + raw + "\")");
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

  @Override
  public String toString() {
    return OUTPUT_LIMIT + "=" + Sizes.format(outputLimit) + " " + TAIL_LINES + "=" + tailLines;
  }
}
