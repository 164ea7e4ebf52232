package org.jobhost.plugins.command;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.jobhost.api.Host;
import org.jobhost.api.PluginContext;
import org.jobhost.api.PluginSettings;

/** A plugin context over given settings and home directory; it has no host. Immutable. */
final class TestPluginContext implements PluginContext {

  private final PluginSettings settings;
  private final Path home;

  TestPluginContext(Map<String, Object> settings, Path home) {
    this.settings = PluginSettings.of("plugins.command", settings, key -> "jobhost.toml line 9");
    this.home = home;
  }

  @Override
  public String pluginId() {
    return "command";
  }

  @Override
  public PluginSettings settings() {
    return settings;
  }

  @Override
  public Path stateDirectory() {
    return home.resolve("state/command");
  }

  @Override
  public Path homeDirectory() {
    return home;
  }

  @Override
  public Host host() {
    throw new IllegalStateException("no host in this test");
  }

  @Override
  public Clock clock() {
    return Clock.systemUTC();
  }
}
