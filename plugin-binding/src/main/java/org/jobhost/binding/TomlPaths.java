package org.jobhost.binding;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tomlj.TomlArray;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

/**
 * A parsed TOML document as the host hands it to plugins: its tables as plain Java values, and the
 * place where a dotted key such as {@code plugins.cron.tasks[2].name} is written, for error
 * messages. The host's configuration loader and the test kit's {@code TomlSettings} both use it, so
 * a plugin sees the same values and the same places in a test as under the daemon. Stateless;
 * thread-safe.
 */
public final class TomlPaths {

  private static final Pattern PATH_PART = Pattern.compile("([^\\[\\]]+)((?:\\[\\d+\\])*)");
  private static final Pattern INDEX = Pattern.compile("\\[(\\d+)\\]");

  private TomlPaths() {}

  /**
   * The keys of a {@code [plugins.<id>]} section that belong to the host, not to the plugin ({@code
   * enabled}, {@code plugin_file}): they never reach the plugin's settings, so its own {@code
   * requireOnly} does not see them.
   */
  public static final Set<String> PLUGIN_HOST_KEYS = Set.of("enabled", "plugin_file");

  /** A plugin's section as the plugin sees it: without {@link #PLUGIN_HOST_KEYS}. */
  public static Map<String, Object> withoutHostKeys(Map<String, ?> section) {
    Map<String, Object> own = new LinkedHashMap<>(section);
    own.keySet().removeAll(PLUGIN_HOST_KEYS);
    return own;
  }

  /**
   * The position of the deepest part of {@code dotted} that {@code root} contains (a key, or an
   * element of an array named with {@code [i]}); {@code null} when not even the first part exists.
   */
  public static TomlPosition positionOf(TomlTable root, String dotted) {
    Object node = root;
    TomlPosition best = null;
    for (String part : dotted.split("\\.")) {
      Matcher m = PATH_PART.matcher(part);
      if (!m.matches()
          || !(node instanceof TomlTable)
          || !((TomlTable) node).contains(List.of(m.group(1)))) {
        break;
      }
      TomlTable table = (TomlTable) node;
      best = table.inputPositionOf(List.of(m.group(1)));
      node = table.get(List.of(m.group(1)));
      Matcher idx = INDEX.matcher(m.group(2));
      while (idx.find() && node instanceof TomlArray) {
        int i = Integer.parseInt(idx.group(1));
        TomlArray array = (TomlArray) node;
        if (i >= array.size()) {
          break;
        }
        TomlPosition p = array.inputPositionOf(i);
        best = p != null ? p : best;
        node = array.get(i);
      }
    }
    return best;
  }

  /**
   * {@code source}, followed by {@code " line N"} when {@code root} contains (a prefix of) {@code
   * dotted}.
   */
  public static String where(TomlTable root, String dotted, String source) {
    TomlPosition p = positionOf(root, dotted);
    return p == null ? source : source + " line " + p.line();
  }

  /** A TOML table as plain maps, lists, strings, numbers and booleans, all the way down. */
  public static Map<String, Object> plain(TomlTable table) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (String key : table.keySet()) {
      out.put(key, plainValue(table.get(List.of(key))));
    }
    return out;
  }

  private static Object plainValue(Object value) {
    if (value instanceof TomlTable) {
      return plain((TomlTable) value);
    }
    if (value instanceof TomlArray) {
      TomlArray array = (TomlArray) value;
      List<Object> list = new ArrayList<>();
      for (int i = 0; i < array.size(); i++) {
        list.add(plainValue(array.get(i)));
      }
      return list;
    }
    return value;
  }
}
