package org.jobhost.host.plugins;

import java.nio.file.Path;
import java.util.List;
import org.jobhost.api.PluginState;

/**
 * What loading one plugin gave, for {@code jobhost plugins} and the start-up log. Immutable.
 *
 * @param id the plugin id, or the file name when no id could be read
 * @param version its version, or {@code "?"}
 * @param file the jar, zip or directory ({@code null} for the host's own classpath)
 * @param state {@code loaded}, {@code disabled}, {@code failed}, or {@code duplicate} (another file
 *     declares the same id and loads instead, see {@code DuplicateIds})
 * @param extensions {@code ExtensionPoint: ClassName} of each extension that works
 * @param problems what went wrong, each naming the file or class and the fix
 */
public record PluginReport(
    String id,
    String version,
    Path file,
    String state,
    List<String> extensions,
    List<String> problems) {

  /** Copies. */
  public PluginReport {
    extensions = List.copyOf(extensions);
    problems = List.copyOf(problems);
  }

  /** Whether something went wrong. */
  public boolean failed() {
    return !problems.isEmpty();
  }

  /** The state as the command line and the dashboard show it: {@link PluginState#shownState()}. */
  public String shownState() {
    return toState().shownState();
  }

  /** This report as plugins see it through {@link org.jobhost.api.Host#pluginStates()}. */
  public PluginState toState() {
    return new PluginState(id, version, state, problems);
  }
}
