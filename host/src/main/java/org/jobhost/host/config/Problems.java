package org.jobhost.host.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The problems found in one configuration, collected so that all are reported together. Each reads
 * {@code <key> <what> in <where>; <fix>}. Not thread-safe; used by one load.
 */
final class Problems {

  private final List<String> all = new ArrayList<>();

  /** Adds a problem already worded in full. */
  void add(String message) {
    all.add(message);
  }

  /**
   * Adds a problem with a setting.
   *
   * @param key the setting's name as the operator writes it ({@code workers.max_jobs})
   * @param what what is wrong, with the offending value
   * @param where where the value came from (a file and line, an environment variable, ...)
   * @param fix what to do
   */
  void add(String key, String what, String where, String fix) {
    all.add(key + " " + what + " in " + where + "; " + fix);
  }

  boolean isEmpty() {
    return all.isEmpty();
  }

  /** The problems so far, in the order found. */
  List<String> list() {
    return List.copyOf(all);
  }

  /** Throws a {@link ConfigException} listing every problem, if there is one. */
  void throwIfAny(Path file) {
    if (!all.isEmpty()) {
      throw new ConfigException(file, all);
    }
  }
}
