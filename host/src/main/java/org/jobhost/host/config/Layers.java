package org.jobhost.host.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jobhost.binding.TomlPaths;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

/**
 * The layers of one load: the TOML file (or none), then {@code JOBHOST_<KEY>} environment
 * variables, then {@code --set key=value} overrides, for the top-level scalar keys; sections come
 * from the file alone. Knows where each value came from, for messages, and reports unknown keys and
 * malformed sections. Not thread-safe; used by one load.
 */
final class Layers {

  private static final String ENV_PREFIX = "JOBHOST_";

  /** The top-level keys with one scalar value: the ones the environment and --set can set. */
  static final Set<String> SCALAR_KEYS =
      Set.of(
          "max_workers",
          "idle_time",
          "grace_timeout",
          "kill_timeout",
          "dispatch",
          "plugins_dir",
          "log_dir",
          "state_dir",
          "run_dir",
          "strict",
          "pause_children",
          "pid_file",
          "user",
          "group",
          "allow_root",
          "log_format");

  private static final Set<String> TOP_KEYS =
      union(SCALAR_KEYS, Set.of("forward_signals", "retry", "types", "plugins", "workers"));

  private final Path file;
  private final TomlTable root;
  private final Problems problems;
  private final Map<String, Setting> values = new LinkedHashMap<>();

  /**
   * @param file the file read, or {@code null} for none
   * @param root its parsed content, or {@code null}
   * @param env the environment
   * @param overrides {@code key=value} settings from the command line
   * @param problems where unknown keys and malformed overrides are reported
   */
  Layers(
      Path file,
      TomlTable root,
      Map<String, String> env,
      List<String> overrides,
      Problems problems) {
    this.file = file;
    this.root = root;
    this.problems = problems;
    if (root != null) {
      checkKnown(root, List.of(), TOP_KEYS);
      for (String key : new TreeSet<>(root.keySet())) {
        if (SCALAR_KEYS.contains(key) || key.equals("forward_signals")) {
          values.put(key, new Setting(key, root.get(List.of(key)), where(List.of(key)), false));
        }
      }
    }
    for (String key : SCALAR_KEYS) {
      String name = ENV_PREFIX + key.toUpperCase(Locale.ROOT);
      String v = env.get(name);
      if (v != null) {
        values.put(key, new Setting(key, v, "environment variable " + name, true));
      }
    }
    for (String o : overrides) {
      int eq = o.indexOf('=');
      String key = eq < 0 ? o.trim() : o.substring(0, eq).trim();
      if (eq < 0 || !SCALAR_KEYS.contains(key)) {
        problems.add(
            "--set "
                + o
                + " is not a KEY=VALUE setting this option can change; use one of "
                + new TreeSet<>(SCALAR_KEYS));
        continue;
      }
      values.put(
          key, new Setting(key, o.substring(eq + 1).trim(), "command line --set " + key, true));
    }
  }

  /** The file read, or {@code null}. */
  Path file() {
    return file;
  }

  /** A top-level setting from the highest layer that has it, or {@code null}. */
  Setting get(String key) {
    return values.get(key);
  }

  /** Whether some layer sets this top-level key. */
  boolean has(String key) {
    return values.containsKey(key);
  }

  /**
   * The section at {@code at} ({@code [workers]}, {@code [types.x]}), or {@code null} when the file
   * has none; a key that is not a table is reported.
   */
  TomlTable table(List<String> at) {
    if (root == null || !root.contains(at)) {
      return null;
    }
    Object o = root.get(at);
    if (o instanceof TomlTable) {
      return (TomlTable) o;
    }
    problems.add(
        String.join(".", at)
            + " must be a table (["
            + String.join(".", at)
            + "]) in "
            + where(at)
            + "; write it as a section");
    return null;
  }

  /** The setting {@code key} of the section {@code section} at {@code at}, or {@code null}. */
  Setting in(TomlTable section, List<String> at, String key) {
    if (!section.contains(key)) {
      return null;
    }
    return new Setting(
        String.join(".", at) + "." + key, section.get(key), where(keyPath(at, key)), false);
  }

  /** Reports each key of {@code table} (at {@code at}; empty for the top) that is not known. */
  void checkKnown(TomlTable table, List<String> at, Set<String> known) {
    for (String k : new TreeSet<>(table.keySet())) {
      if (!known.contains(k)) {
        List<String> path = keyPath(at, k);
        problems.add(
            String.join(".", path)
                + " is not a known setting in "
                + where(path)
                + "; remove it or check its spelling (known: "
                + new TreeSet<>(known)
                + ")");
      }
    }
  }

  /** Where a key is: the file and line, or the file, or {@code (defaults)} without a file. */
  String where(List<String> at) {
    if (root == null) {
      return "(defaults)";
    }
    TomlPosition p = root.inputPositionOf(at);
    return p == null ? String.valueOf(file) : file + " line " + p.line();
  }

  /** The place of a dotted key like {@code plugins.cron.tasks[2].name}. */
  String whereDotted(String dotted) {
    return root == null ? "(defaults)" : TomlPaths.where(root, dotted, String.valueOf(file));
  }

  private static List<String> keyPath(List<String> at, String key) {
    List<String> p = new ArrayList<>(at);
    p.add(key);
    return p;
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> s = new HashSet<>(a);
    s.addAll(b);
    return Set.copyOf(s);
  }
}
