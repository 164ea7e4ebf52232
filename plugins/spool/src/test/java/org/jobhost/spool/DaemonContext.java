package org.jobhost.spool;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.jobhost.api.PluginContext;
import org.jobhost.api.PluginSettings;

/**
 * A plugin context as in the daemon: a temporary home, a settable clock and a {@link FakeHost}.
 * Immutable.
 */
record DaemonContext(Path home, Map<String, Object> values, Clock clock, FakeHost host)
    implements PluginContext {

  @Override
  public String pluginId() {
    return "spool";
  }

  @Override
  public PluginSettings settings() {
    return PluginSettings.of("plugins.spool", values, k -> "jobhost.toml key " + k);
  }

  @Override
  public Path stateDirectory() {
    return home.resolve("var/spool");
  }

  @Override
  public Path homeDirectory() {
    return home;
  }
}
