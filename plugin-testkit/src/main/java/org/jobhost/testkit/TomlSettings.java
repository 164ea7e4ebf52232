package org.jobhost.testkit;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jobhost.api.PluginSettings;
import org.jobhost.binding.TomlPaths;
import org.tomlj.Toml;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

/**
 * A plugin's settings written as TOML, as the host would hand them over: the values as plain Java
 * objects (String, Long, Double, Boolean, List, Map), every key named by its full dotted path
 * ({@code plugins.<id>.tasks[1].name}), and every error naming where the key is written ({@code
 * settings.toml line 3}).
 *
 * <p>The text is either the body of the plugin's section ({@code rate = 5}) or a whole
 * configuration file that contains a {@code [plugins.<id>]} table. The host's keys of the section
 * ({@code enabled}, {@code plugin_file}) are left out, as the host leaves them out: a plugin never
 * sees them.
 */
public final class TomlSettings {

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
    Map<String, Object> values =
        section == null ? Map.of() : TomlPaths.withoutHostKeys(TomlPaths.plain(section));
    return PluginSettings.of(
        prefix,
        values,
        dotted -> {
          String inDocument =
              whole || !dotted.startsWith(prefix + ".") ? dotted : rest(dotted, prefix);
          return TomlPaths.where(parsed, inDocument, source);
        });
  }

  private static String rest(String dotted, String prefix) {
    return dotted.substring(prefix.length() + 1);
  }
}
