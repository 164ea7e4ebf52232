package org.jobhost.host.control;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jobhost.host.config.Config;
import org.jobhost.host.plugins.HotPlugins;
import org.jobhost.host.plugins.PluginReport;

/**
 * The plugin reports in a control answer ({@code plugins} request), so that {@code jobhost plugins}
 * shows what the running daemon loaded rather than what the disk holds now: {@code plugin.N.id},
 * {@code .version}, {@code .state}, {@code .file} (empty for the class path), {@code .extension.M}
 * and {@code .problem.M}. Stateless; thread-safe.
 */
public final class PluginReports {

  private PluginReports() {}

  /** The fields of a {@code plugins} answer. */
  public static Map<String, String> fields(List<PluginReport> reports) {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("plugins", Integer.toString(reports.size()));
    for (int i = 0; i < reports.size(); i++) {
      PluginReport r = reports.get(i);
      String p = "plugin." + i + ".";
      f.put(p + "id", r.id());
      f.put(p + "version", r.version());
      f.put(p + "state", r.state());
      f.put(p + "file", r.file() == null ? "" : r.file().toString());
      for (int j = 0; j < r.extensions().size(); j++) {
        f.put(p + "extension." + j, r.extensions().get(j));
      }
      for (int j = 0; j < r.problems().size(); j++) {
        f.put(p + "problem." + j, r.problems().get(j));
      }
    }
    return f;
  }

  /**
   * Answers {@code plugins reload}: rescans the plugins directory and waits for the result, up to
   * the grace and kill timeouts and a margin. Fields: {@code change.N} and {@code failure.N} (what
   * {@link HotPlugins.Outcome} says), then the reports as {@link #fields} gives them.
   */
  static ControlProtocol rescan(DaemonControl c) {
    Config cfg = c.config();
    long wait = cfg.timeouts().grace().plus(cfg.timeouts().kill()).plusSeconds(60).toMillis();
    HotPlugins.Outcome o;
    try {
      o = c.rescanPlugins(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ControlProtocol.error("interrupted while waiting for the plugin rescan");
    }
    Map<String, String> f = new LinkedHashMap<>();
    f.put("changes", Integer.toString(o.changes().size()));
    for (int i = 0; i < o.changes().size(); i++) {
      f.put("change." + i, o.changes().get(i));
    }
    f.put("failures", Integer.toString(o.failures().size()));
    for (int i = 0; i < o.failures().size(); i++) {
      f.put("failure." + i, o.failures().get(i));
    }
    f.putAll(fields(c.plugins()));
    return ControlProtocol.ok(f);
  }

  /** The changes and failures of a {@code plugins reload} answer. */
  public static HotPlugins.Outcome outcome(Map<String, String> fields) {
    return new HotPlugins.Outcome(numbered(fields, "change."), numbered(fields, "failure."));
  }

  /** The reports of a {@code plugins} answer. */
  public static List<PluginReport> reports(Map<String, String> fields) {
    int n = Integer.parseInt(fields.getOrDefault("plugins", "0"));
    List<PluginReport> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String p = "plugin." + i + ".";
      String file = fields.getOrDefault(p + "file", "");
      out.add(
          new PluginReport(
              fields.getOrDefault(p + "id", "?"),
              fields.getOrDefault(p + "version", "?"),
              file.isEmpty() ? null : Path.of(file),
              fields.getOrDefault(p + "state", "?"),
              numbered(fields, p + "extension."),
              numbered(fields, p + "problem.")));
    }
    return out;
  }

  private static List<String> numbered(Map<String, String> fields, String prefix) {
    List<String> out = new ArrayList<>();
    for (int j = 0; fields.containsKey(prefix + j); j++) {
      out.add(fields.get(prefix + j));
    }
    return out;
  }
}
