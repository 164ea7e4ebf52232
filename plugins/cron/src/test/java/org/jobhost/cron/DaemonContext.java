package org.jobhost.cron;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.function.Function;
import org.jobhost.api.PluginContext;
import org.jobhost.api.PluginSettings;

/**
 * A plugin context as in the daemon: a temporary home with state in {@code home/var}, a settable
 * clock, a {@link FakeHost}, settings that say where each key is written, and the host's {@code
 * strict} setting. Immutable.
 */
record DaemonContext(
    Path home,
    Map<String, Object> values,
    Clock clock,
    FakeHost host,
    Function<String, String> where,
    boolean strict)
    implements PluginContext {

  DaemonContext(Path home, Map<String, Object> values, Clock clock) {
    this(home, values, clock, new FakeHost(), k -> "jobhost.toml key " + k);
  }

  DaemonContext(
      Path home,
      Map<String, Object> values,
      Clock clock,
      FakeHost host,
      Function<String, String> where) {
    this(home, values, clock, host, where, false);
  }

  /** The same context in a host with {@code strict = true}. */
  DaemonContext asStrict() {
    return new DaemonContext(home, values, clock, host, where, true);
  }

  @Override
  public String pluginId() {
    return "cron";
  }

  @Override
  public PluginSettings settings() {
    return PluginSettings.of("plugins.cron", values, where);
  }

  @Override
  public Path stateDirectory() {
    try {
      return Files.createDirectories(home.resolve("var/cron"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Path homeDirectory() {
    return home;
  }

  /** The database file these settings name by default. */
  Path database() {
    return home.resolve("var/jobhost.db");
  }
}
