package org.jobhost.host.plugins;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.jobhost.api.Host;
import org.jobhost.api.PluginContext;
import org.jobhost.api.PluginSettings;

/**
 * A plugin context with no daemon behind it, for loading tests: no settings, directories that do
 * not exist, the system clock, and a {@link #host()} that throws. Immutable.
 */
record NoDaemonContext(String pluginId) implements PluginContext {
  @Override
  public PluginSettings settings() {
    return PluginSettings.of(Map.of());
  }

  @Override
  public Path stateDirectory() {
    return Path.of("/nonexistent");
  }

  @Override
  public Path homeDirectory() {
    return Path.of("/nonexistent");
  }

  @Override
  public Host host() {
    throw new IllegalStateException("no daemon");
  }

  @Override
  public Clock clock() {
    return Clock.systemUTC();
  }
}
