package org.jobhost.api;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;

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

  /**
   * Whether this extension is started only to be checked and stopped again at once ({@code jobhost
   * check}, or {@code jobhost plugins} when no daemon runs). It should validate its settings as
   * always, but not serve, bind a port, claim work or recover what a crash left behind: the daemon
   * it checks for may be running beside it, and that daemon's running jobs look just like the
   * leftovers of a crash.
   *
   * @return {@code false} in a daemon, a worker JVM and a plugin command's process
   */
  default boolean checkOnly() {
    return false;
  }

  /**
   * Publishes this extension's own metrics. The host keeps the supplier and calls it whenever a
   * metrics endpoint is read (the bundled {@code web} plugin's {@code /metrics}, every few
   * seconds), on that endpoint's thread and concurrently with anything else: it must be
   * thread-safe, fast (no I/O that may block) and may return a new list each time. A supplier that
   * throws or returns an invalid sample is logged with the plugin id and left out of that read. A
   * second call replaces the supplier. The pull model keeps plugins free of any metrics library:
   * they keep their own counters and the endpoint decides the format.
   *
   * <p>Does nothing by default (a host without metrics, or a command-line process).
   *
   * @param samples the values now, each named within this plugin (see {@link MetricSample})
   */
  default void publishMetrics(Supplier<List<MetricSample>> samples) {}

  /**
   * Offers a table with actions to operators' tools, such as the bundled {@code web} plugin's
   * dashboard, which find it through {@link Host#views()}. Views are kept per extension and in the
   * order offered; offering a second view with the same {@link AdminView#name()} replaces the
   * first. The host forgets them when it unloads the plugin.
   *
   * <p>Does nothing by default (a host without views, or a command-line process).
   */
  default void publishView(AdminView view) {}
}
