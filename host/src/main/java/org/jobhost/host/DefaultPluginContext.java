package org.jobhost.host;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.jobhost.api.AdminView;
import org.jobhost.api.Host;
import org.jobhost.api.MetricSample;
import org.jobhost.api.PluginContext;
import org.jobhost.api.PluginSettings;
import org.jobhost.host.config.Config;
import org.jobhost.host.plugins.PublishedMetrics;
import org.jobhost.host.plugins.PublishedViews;

/**
 * What each extension gets at init, in every kind of jobhost process. The three kinds differ only
 * in where the configuration comes from (the daemon's current one, which a reload replaces, or the
 * one read at start), which {@link Host} there is, what {@link #strict()} says and whether metrics
 * and views are published; each has its factory. Thread-safe.
 */
public final class DefaultPluginContext implements PluginContext {

  private final String pluginId;
  private final Supplier<Config> config;
  private final Supplier<Host> host;
  private final Clock clock;
  private final BooleanSupplier strict;
  private final PublishedMetrics metrics;
  private final PublishedViews views;
  private final boolean checkOnly;

  private DefaultPluginContext(
      String pluginId,
      Supplier<Config> config,
      Supplier<Host> host,
      Clock clock,
      BooleanSupplier strict,
      PublishedMetrics metrics,
      PublishedViews views,
      boolean checkOnly) {
    this.pluginId = pluginId;
    this.config = config;
    this.host = host;
    this.clock = clock;
    this.strict = strict;
    this.metrics = metrics;
    this.views = views;
    this.checkOnly = checkOnly;
  }

  /** In the daemon: settings follow each reload, metrics and views are published. */
  static DefaultPluginContext daemon(
      String pluginId,
      Supplier<Config> config,
      Host host,
      Clock clock,
      PublishedMetrics metrics,
      PublishedViews views) {
    return new DefaultPluginContext(
        pluginId, config, () -> host, clock, () -> config.get().strict(), metrics, views, false);
  }

  /** In a worker JVM (isolation = "process"): the configuration of its start, a limited host. */
  public static DefaultPluginContext worker(String pluginId, Config config, Host host) {
    return new DefaultPluginContext(
        pluginId, () -> config, () -> host, Clock.systemUTC(), config::strict, null, null, false);
  }

  /**
   * For {@code jobhost check} and {@code jobhost plugins}, which start every extension as a daemon
   * would and stop it again: {@code host} stands in for the daemon; no metrics or views are kept;
   * {@link #checkOnly()} is true.
   *
   * @param strict whether plugins are to refuse what they would otherwise report and skip
   */
  public static DefaultPluginContext checking(
      String pluginId, Config config, boolean strict, Host host) {
    return new DefaultPluginContext(
        pluginId, () -> config, () -> host, Clock.systemUTC(), () -> strict, null, null, true);
  }

  /**
   * In a command-line process: no daemon, so {@link #host()} throws.
   *
   * @param strict whether plugins are to refuse what they would otherwise report and skip (the
   *     configuration's {@code strict}; {@code jobhost check} uses {@link #checking} instead)
   */
  public static DefaultPluginContext commandLine(String pluginId, Config config, boolean strict) {
    return new DefaultPluginContext(
        pluginId,
        () -> config,
        () -> {
          throw new IllegalStateException("there is no daemon in a command-line process");
        },
        Clock.systemUTC(),
        () -> strict,
        null,
        null,
        false);
  }

  @Override
  public String pluginId() {
    return pluginId;
  }

  @Override
  public PluginSettings settings() {
    return config.get().pluginSettings(pluginId);
  }

  @Override
  public Path stateDirectory() {
    Path dir = config.get().dirs().state().resolve(pluginId);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir + " for plugin " + pluginId, e);
    }
    return dir;
  }

  @Override
  public Path homeDirectory() {
    return config.get().dirs().home();
  }

  @Override
  public Host host() {
    return host.get();
  }

  @Override
  public Clock clock() {
    return clock;
  }

  @Override
  public boolean checkOnly() {
    return checkOnly;
  }

  @Override
  public boolean strict() {
    return strict.getAsBoolean();
  }

  @Override
  public void publishMetrics(Supplier<List<MetricSample>> samples) {
    if (metrics != null) {
      metrics.publish(this, pluginId, samples);
    }
  }

  @Override
  public void publishView(AdminView view) {
    if (views != null) {
      views.publish(pluginId, view);
    }
  }
}
