package org.jobhost.testkit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jobhost.api.PluginSettings;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

/**
 * A plugin's settings written as TOML, as the host would hand them over: the values as plain Java
 * objects (String, Long, Double, Boolean, List, Map), every key named by its full dotted path
 * ({@code plugins.<id>.tasks[1].name}), and every error naming where the key is written ({@code
 * settings.toml line 3}).
 *
 * <p>The text is either the body of the plugin's section ({@code rate = 5}) or a whole
 * configuration file that contains a {@code [plugins.<id>]} table.
 */
public final class TomlSettings {

  private static final Pattern PATH_PART = Pattern.compile("([^\\[\\]]+)((?:\\[\\d+\\])*)");
  private static final Pattern INDEX = Pattern.compile("\\[(\\d+)\\]");

  private TomlSettings() {}

  /** The settings of plugin {@code pluginId}, with places named {@code settings.toml line N}. */
  public static PluginSettings parse(String pluginId, String toml) {
    return parse(pluginId, toml, "settings.toml");
  }

  /**
   * The settings of plugin {@code pluginId}.
   *
   * @param source the name errors give the text, such as a file name
   * @throws IllegalArgumentException when the text is not valid TOML, naming the line and column
   */
  public static PluginSettings parse(String pluginId, String toml, String source) {
    TomlParseResult parsed = Toml.parse(toml == null ? "" : toml);
    if (parsed.hasErrors()) {
      throw new IllegalArgumentException(
          parsed.errors().stream()
              .map(
                  e ->
                      source
                          + " line "
                          + e.position().line()
                          + " column "
                          + e.position().column()
                          + ": "
                          + e.getMessage())
              .collect(Collectors.joining("; ")));
    }
    String prefix = "plugins." + pluginId;
    List<String> sectionPath = List.of("plugins", pluginId);
    boolean whole = parsed.isTable(sectionPath);
    TomlTable section = whole ? parsed.getTable(sectionPath) : parsed;
    Map<String, Object> values = section == null ? Map.of() : plainTable(section);
    return PluginSettings.of(
        prefix,
        values,
        dotted -> {
          String inDocument =
              whole || !dotted.startsWith(prefix + ".") ? dotted : rest(dotted, prefix);
          return whereIn(parsed, inDocument, source);
        });
  }

  private static String rest(String dotted, String prefix) {
    return dotted.substring(prefix.length() + 1);
  }

  /** The place of a dotted key like {@code tasks[2].name}: the deepest part that exists. */
  private static String whereIn(TomlTable root, String dotted, String source) {
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
    return best == null ? source : source + " line " + best.line();
  }

  private static Map<String, Object> plainTable(TomlTable table) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (String key : table.keySet()) {
      out.put(key, plain(table.get(List.of(key))));
    }
    return out;
  }

  private static Object plain(Object value) {
    if (value instanceof TomlTable) {
      return plainTable((TomlTable) value);
    }
    if (value instanceof TomlArray) {
      TomlArray array = (TomlArray) value;
      List<Object> list = new ArrayList<>();
      for (int i = 0; i < array.size(); i++) {
        list.add(plain(array.get(i)));
      }
      return list;
    }
    return value;
  }
}
