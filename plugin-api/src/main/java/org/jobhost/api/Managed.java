package org.jobhost.api;

import org.pf4j.ExtensionPoint;

/**
 * The life of an extension inside the host; every extension point extends it, and every method has
 * a no-op default so a plugin overrides only what it needs.
 *
 * <p>Calls come from the host's start-up thread ({@link #init}, {@link #close}) and from the event
 * thread ({@link #settingsChanged}); they never overlap for one instance. An exception thrown from
 * {@link #init} disables this extension (it is reported by {@code jobhost plugins} with the
 * exception's message); one thrown from the other methods is logged with the plugin id.
 */
public interface Managed extends ExtensionPoint {

  /**
   * Called once, before any other method of this extension. May block for start-up work (opening a
   * database, scanning a directory), but every second spent here delays the daemon's readiness.
   *
   * <p>The per-extension contract: the host creates one instance of every extension class listed by
   * the plugin (a class that implements several extension points is one instance) and calls {@code
   * init} on each instance separately, in load order (sources, runners, hooks, listeners,
   * commands), each with the same context and the <em>whole</em> {@code [plugins.<id>]} section. So
   * every extension that checks its section with {@link PluginSettings#requireOnly} must list every
   * key of the plugin, not only the ones it reads; state that extensions share (a database
   * connection) is the plugin's own to share, opened by the first {@code init} that needs it and
   * closed by the last {@link #close}. The host's own keys of that section ({@code enabled}, {@code
   * plugin_file}) are never in the settings a plugin sees.
   *
   * <p>Where it is called: in the daemon for every extension; by {@code jobhost check} and {@code
   * jobhost plugins} (no daemon running) for every extension, followed by {@link #close}, to report
   * what a daemon would; in a plugin command's process for that command only (after its arguments
   * were parsed). A {@link SettingsException} thrown here is reported as its message alone (one
   * line with the file, line and key); a {@link NoClassDefFoundError} gets a hint to shade the
   * missing library into the plugin jar.
   *
   * @param context this plugin's settings, state directory and a handle on the host
   */
  default void init(PluginContext context) throws Exception {}

  /**
   * Called on the event thread during a reload, before any part of the reload is applied, for every
   * extension whose {@code [plugins.<id>]} section changed. Check the new settings here without
   * changing any state: throwing (a {@link SettingsException} naming the key and the fix) rejects
   * the whole reload, so that the host and every plugin keep the configuration they had, and the
   * operator is told this plugin's reason. When every extension accepts, the reload is applied and
   * {@link #settingsChanged} follows. Keep it fast: it delays the reload of every plugin.
   *
   * @param settings the new section, already valid TOML
   */
  default void validateSettings(PluginSettings settings) throws Exception {}

  /**
   * Called on the event thread after a reload changed this plugin's {@code [plugins.<id>]} section.
   * The new settings are already valid TOML; an extension that finds them unusable throws a {@link
   * SettingsException} and keeps working with the old ones.
   */
  default void settingsChanged(PluginSettings settings) throws Exception {}

  /**
   * Called once when the host stops, after the last job of this extension ended. Release files,
   * connections and threads here; keep it under a second.
   */
  default void close() throws Exception {}
}
