package org.jobhost.api;

/**
 * Told of the daemon's lifecycle and of every job's start and end. All methods are no-ops by
 * default.
 *
 * <p>Lifecycle methods run on the event thread, one at a time, after the transition happened.
 * {@link #jobStarted} and {@link #jobEnded} run on the worker thread of that job and overlap
 * between jobs; they are on the job's path, so keep them fast. Exceptions are logged with the
 * plugin id and otherwise ignored.
 */
public interface HostListener extends Managed {

  /** The daemon is RUNNING: plugins are loaded and dispatch started. */
  default void started(Host host) {}

  /** A reload applied a new, valid configuration. */
  default void reloaded(Host host) {}

  /** Dispatch was paused (TSTP or {@link Host#pause()}). */
  default void paused(Host host) {}

  /** Dispatch resumed after a pause. */
  default void resumed(Host host) {}

  /** A graceful stop began: no new jobs start; running jobs are asked to stop. */
  default void stopping(Host host) {}

  /** The daemon is STOPPED; the process exits right after. */
  default void stopped(Host host) {}

  /**
   * A plugin was loaded into the running daemon by a rescan of the plugins directory ({@code
   * jobhost plugins reload}, or HUP): a new plugin, or the new version of a replaced one (then
   * {@link #pluginUnloaded} for the old version comes first). Its extensions are initialised and
   * bound when this is called; the new plugin's own listeners are told {@link #started} after it.
   * Not called for the plugins loaded at start. Runs on the event thread like the lifecycle
   * methods.
   *
   * @param host the daemon
   * @param plugin the plugin as {@link Host#pluginStates()} shows it now
   */
  default void pluginLoaded(Host host, PluginState plugin) {}

  /**
   * A plugin was unloaded from the running daemon by a rescan: its file was removed, disabled or
   * replaced by a new version. Its sources are no longer polled, its running jobs have ended, and
   * its extensions are closed when this is called (so a plugin is never told of its own unloading).
   * Runs on the event thread like the lifecycle methods.
   *
   * @param host the daemon
   * @param plugin the plugin as it was before it was unloaded
   */
  default void pluginUnloaded(Host host, PluginState plugin) {}

  /** A job is about to be handed to its runner. */
  default void jobStarted(Job job) {}

  /** A job ended with this outcome (after retries were decided). */
  default void jobEnded(Job job, Outcome outcome) {}
}
