package org.jobhost.cron;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.jobhost.api.Host;
import org.jobhost.api.PluginContext;
import org.jobhost.api.PluginSettings;

/** A plugin context over a temporary home, as in the command-line process (no host). */
record FakeContext(Path home, Map<String, Object> values, Clock clock) implements PluginContext {

  @Override
  public String pluginId() {
    return "cron";
  }

  @Override
  public PluginSettings settings() {
    return PluginSettings.of("plugins.cron", values, k -> "jobhost.toml key " + k);
  }

  @Override
  public Path stateDirectory() {
    try {
      return Files.createDirectories(home.resolve("state/cron"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Path homeDirectory() {
    return home;
  }

  @Override
  public Host host() {
    throw new IllegalStateException("no daemon in the command-line process");
  }
}
