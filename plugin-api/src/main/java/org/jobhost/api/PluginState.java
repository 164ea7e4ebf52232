package org.jobhost.api;

import java.util.List;
import java.util.Objects;

/**
 * One plugin as the host loaded it, as {@link Host#pluginStates()} shows it. Immutable.
 *
 * @param id the plugin id (or the file name when no id could be read)
 * @param version the plugin's version, or {@code "?"}
 * @param state {@code loaded}, {@code disabled} or {@code failed}, as {@code jobhost plugins}
 *     prints it
 * @param problems what went wrong, each naming the thing and the fix; empty when nothing did
 */
public record PluginState(String id, String version, String state, List<String> problems) {

  /** Validates and copies. */
  public PluginState {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(state, "state");
    problems = List.copyOf(problems);
  }

  /** Whether something went wrong with this plugin (it may still run in part: degraded). */
  public boolean degraded() {
    return !problems.isEmpty();
  }

  /**
   * The state as {@code jobhost plugins}, {@code jobhost status}, the dashboard and the metrics
   * show it: {@code degraded} for a plugin that loaded but has a problem (an extension that failed
   * to start, a refused binding), else {@link #state()} ({@code failed} stays {@code failed}).
   */
  public String shownState() {
    return degraded() && "loaded".equals(state) ? "degraded" : state;
  }
}
