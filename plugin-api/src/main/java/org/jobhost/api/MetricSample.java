package org.jobhost.api;

import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One value of a plugin's own metric, as a plugin publishes it through {@link
 * PluginContext#publishMetrics}. A metrics endpoint (the bundled {@code web} plugin) exposes it as
 * {@code jobhost_<plugin id>_<name>} with these labels; keep label values few (never a job id).
 * Immutable.
 *
 * @param name the metric's name inside the plugin: lower-case letters, digits and {@code _},
 *     starting with a letter, such as {@code incoming_jobs}; a counter's name ends in {@code
 *     _total}
 * @param help one line saying what it counts
 * @param kind counter (only grows) or gauge (a value now)
 * @param labels label names (as the name) to values; copied
 * @param value the value now: finite, and not negative for a counter
 */
public record MetricSample(
    String name, String help, Kind kind, Map<String, String> labels, double value) {

  /** What a sample measures. */
  public enum Kind {
    /** A count since start that only grows, such as jobs handed out. */
    COUNTER,
    /** A value now that may go up and down, such as files waiting. */
    GAUGE
  }

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,99}");

  /** Validates and copies. */
  public MetricSample {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(help, "help");
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "metric name \""
              + name
              + "\" must be lower-case letters, digits and _, starting with a letter");
    }
    if (kind == Kind.COUNTER && !name.endsWith("_total")) {
      throw new IllegalArgumentException(
          "counter \"" + name + "\" must end in _total, such as " + name + "_total");
    }
    labels = Map.copyOf(labels);
    for (String label : labels.keySet()) {
      if (!NAME.matcher(label).matches() || label.equals("plugin")) {
        throw new IllegalArgumentException(
            "label \""
                + label
                + "\" of metric "
                + name
                + " must be lower-case letters, digits and _, and not \"plugin\"");
      }
    }
    if (!Double.isFinite(value) || (kind == Kind.COUNTER && value < 0)) {
      throw new IllegalArgumentException(
          "metric "
              + name
              + " has the value "
              + value
              + "; it must be finite"
              + (kind == Kind.COUNTER ? " and not negative" : ""));
    }
  }

  /** A gauge without labels. */
  public static MetricSample gauge(String name, String help, double value) {
    return new MetricSample(name, help, Kind.GAUGE, Map.of(), value);
  }

  /** A counter without labels. */
  public static MetricSample counter(String name, String help, double value) {
    return new MetricSample(name, help, Kind.COUNTER, Map.of(), value);
  }
}
