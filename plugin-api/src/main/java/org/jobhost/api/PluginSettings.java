package org.jobhost.api;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A plugin's section of the configuration file ({@code [plugins.<id>]}), read-only. Every getter
 * that meets a value of the wrong type throws a {@link SettingsException} naming the file, line,
 * key and expected type, so a plugin's own errors read like the host's. Thread-safe.
 */
public interface PluginSettings {

  /** The keys present at this level. */
  Set<String> keys();

  /** Whether the key is present. */
  boolean has(String key);

  /** A string value, if present. */
  Optional<String> string(String key);

  /** A string value, or the fallback. */
  default String string(String key, String fallback) {
    return string(key).orElse(fallback);
  }

  /** A whole number, or the fallback. */
  long integer(String key, long fallback);

  /** A boolean, or the fallback. */
  boolean bool(String key, boolean fallback);

  /** A duration written as {@code "500ms"}, {@code "5s"}, {@code "2m"}, or the fallback. */
  Duration duration(String key, Duration fallback);

  /** An array of strings; empty when absent. */
  List<String> strings(String key);

  /** A sub-table ({@code [plugins.<id>.key]}); empty settings when absent. */
  PluginSettings table(String key);

  /** An array of tables ({@code [[plugins.<id>.key]]}); empty when absent. */
  List<PluginSettings> tables(String key);

  /** The values as plain Java objects (String, Long, Double, Boolean, List, Map). */
  Map<String, Object> asMap();

  /** Where a key is written, for messages: {@code "/etc/jobhost/jobhost.toml line 12"}. */
  String where(String key);

  /** The full dotted name of a key at this level, such as {@code plugins.cron.tasks[2].name}. */
  String path(String key);

  /**
   * An error about a key, with the file, line and full key in front of the message.
   *
   * @param key the key at this level
   * @param problem what is wrong and what to do, such as {@code "must be at least 1 (was 0)"}
   */
  default SettingsException invalid(String key, String problem) {
    return new SettingsException(path(key), path(key) + " " + problem + " (" + where(key) + ")");
  }

  /**
   * Rejects keys this plugin does not know, so a typo is an error instead of a silent default.
   *
   * @throws SettingsException naming the first unknown key, where it is, and the known ones
   */
  default void requireOnly(Set<String> known) {
    for (String k : keys()) {
      if (!known.contains(k)) {
        throw invalid(
            k, "is not a known setting; known settings are " + new java.util.TreeSet<>(known));
      }
    }
  }

  /** Settings from plain values, as in a test or an embedded use. */
  static PluginSettings of(Map<String, Object> values) {
    return new MapSettings("", values, k -> "settings", k -> k);
  }

  /**
   * Settings from plain values with a way to say where each key is written.
   *
   * @param prefix the dotted path of this table, such as {@code plugins.demo}
   * @param values the table
   * @param where maps a full dotted key to a place such as {@code "jobhost.toml line 12"}
   */
  static PluginSettings of(
      String prefix, Map<String, Object> values, Function<String, String> where) {
    return new MapSettings(prefix, values, where, k -> prefix.isEmpty() ? k : prefix + "." + k);
  }
}
