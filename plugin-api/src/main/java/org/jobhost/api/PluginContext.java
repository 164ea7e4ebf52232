package org.jobhost.api;

import java.nio.file.Path;
import java.time.Clock;

/** What the host gives an extension at {@link Managed#init}. Thread-safe. */
public interface PluginContext {

  /** The plugin's id, as in its manifest. */
  String pluginId();

  /** The plugin's {@code [plugins.<id>]} section of the configuration (empty when absent). */
  PluginSettings settings();

  /**
   * A directory that belongs to this plugin and survives restarts ({@code state_dir/<plugin-id>}),
   * created on first call.
   */
  Path stateDirectory();

  /** The installation's home directory, against which relative paths in settings resolve. */
  Path homeDirectory();

  /**
   * The daemon, to wake the dispatcher or read stats.
   *
   * @throws IllegalStateException in a command-line process ({@link CliCommand}), which has no
   *     daemon
   */
  Host host();

  /** The host's clock; tests replace it. */
  Clock clock();

  /**
   * Whether the host runs with {@code strict = true}. A plugin that would otherwise report a
   * partial problem and carry on without the offending part (one bad task among good ones, say)
   * should instead refuse to start, by throwing a {@link SettingsException} from {@link
   * Managed#init}, when this is true.
   *
   * @return {@code false} unless the site asked for strictness
   */
  default boolean strict() {
    return false;
  }
}
