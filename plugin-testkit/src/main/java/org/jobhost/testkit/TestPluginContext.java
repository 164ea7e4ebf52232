package org.jobhost.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.jobhost.api.AdminView;
import org.jobhost.api.Host;
import org.jobhost.api.MetricSample;
import org.jobhost.api.PluginContext;
import org.jobhost.api.PluginSettings;
import org.jobhost.binding.TomlPaths;

/**
 * A {@link PluginContext} for tests: settings from TOML, a {@link FakeHost}, a {@link ManualClock}
 * and a state directory of the test's choosing (or a fresh temporary one). Thread-safe; immutable
 * but for the lazily created state directory.
 *
 * <pre>{@code
 * TestPluginContext ctx = TestPluginContext.builder("greeter").settings("count = 3").build();
 * source.init(ctx);
 * }</pre>
 */
public final class TestPluginContext implements PluginContext {

  private final String pluginId;
  private final PluginSettings settings;
  private final Host host;
  private final Clock clock;
  private final Path home;
  private final boolean strict;
  private final boolean commandLine;
  private final boolean checkOnly;
  private Path state;
  private final Map<String, AdminView> views = new LinkedHashMap<>();
  private final List<Supplier<List<MetricSample>>> metrics = new ArrayList<>();

  private TestPluginContext(Builder b) {
    this.pluginId = b.pluginId;
    this.settings = b.settings;
    this.host = b.host;
    this.clock = b.clock;
    this.home = b.home;
    this.state = b.state;
    this.strict = b.strict;
    this.commandLine = b.commandLine;
    this.checkOnly = b.checkOnly;
  }

  /** A context for plugin {@code pluginId}: empty settings, a new FakeHost and ManualClock. */
  public static Builder builder(String pluginId) {
    return new Builder(pluginId);
  }

  @Override
  public String pluginId() {
    return pluginId;
  }

  @Override
  public PluginSettings settings() {
    return settings;
  }

  /** The state directory given to the builder, else a temporary directory made on first call. */
  @Override
  public synchronized Path stateDirectory() {
    try {
      if (state == null) {
        state = Files.createTempDirectory("jobhost-test-" + pluginId + "-");
      }
      Files.createDirectories(state);
      return state;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the state directory of " + pluginId, e);
    }
  }

  @Override
  public Path homeDirectory() {
    return home;
  }

  /**
   * The host handle.
   *
   * @throws IllegalStateException when built with {@link Builder#commandLine()}, as in a
   *     command-line process
   */
  @Override
  public Host host() {
    if (commandLine) {
      throw new IllegalStateException(
          "no daemon in a command-line process: a CliCommand cannot use PluginContext.host()");
    }
    return host;
  }

  @Override
  public Clock clock() {
    return clock;
  }

  @Override
  public boolean strict() {
    return strict;
  }

  @Override
  public boolean checkOnly() {
    return checkOnly;
  }

  /** Keeps the view, as the host does: in the order offered, a second of one name replacing it. */
  @Override
  public synchronized void publishView(AdminView view) {
    views.put(Objects.requireNonNull(view, "view").name(), view);
  }

  /** The views the plugin offered through {@link #publishView}, in the order offered. */
  public synchronized List<AdminView> views() {
    return List.copyOf(views.values());
  }

  /** The view the plugin offered under {@code name}; fails the test when there is none. */
  public synchronized AdminView view(String name) {
    AdminView v = views.get(name);
    if (v == null) {
      throw new AssertionError(
          "plugin "
              + pluginId
              + " offered no view named "
              + name
              + "; it offered "
              + views.keySet());
    }
    return v;
  }

  /** Keeps the supplier; {@link #metrics()} calls it, as a scrape would. */
  @Override
  public synchronized void publishMetrics(Supplier<List<MetricSample>> samples) {
    metrics.add(Objects.requireNonNull(samples, "samples"));
  }

  /** Calls every supplier the plugin published once, as a scrape does; the samples in order. */
  public List<MetricSample> metrics() {
    List<Supplier<List<MetricSample>>> now;
    synchronized (this) {
      now = List.copyOf(metrics);
    }
    List<MetricSample> out = new ArrayList<>();
    for (Supplier<List<MetricSample>> s : now) {
      out.addAll(s.get());
    }
    return out;
  }

  /** The same context with other settings, as a reload would give. */
  public TestPluginContext withSettings(PluginSettings newSettings) {
    Builder b = new Builder(pluginId);
    b.settings = Objects.requireNonNull(newSettings, "settings");
    b.host = host;
    b.clock = clock;
    b.home = home;
    b.state = state;
    b.strict = strict;
    b.commandLine = commandLine;
    b.checkOnly = checkOnly;
    return new TestPluginContext(b);
  }

  /** Builds a {@link TestPluginContext}. Not thread-safe. */
  public static final class Builder {
    private final String pluginId;
    private PluginSettings settings;
    private Host host = new FakeHost();
    private Clock clock = new ManualClock();
    private Path home = Path.of("").toAbsolutePath();
    private Path state;
    private boolean strict;
    private boolean commandLine;
    private boolean checkOnly;

    private Builder(String pluginId) {
      if (pluginId == null || pluginId.isBlank()) {
        throw new IllegalArgumentException("a plugin id must not be blank");
      }
      this.pluginId = pluginId;
      this.settings = TomlSettings.parse(pluginId, "");
    }

    /** The plugin's section as TOML ({@code rate = 5}, or a file with {@code [plugins.<id>]}). */
    public Builder settings(String toml) {
      this.settings = TomlSettings.parse(pluginId, toml);
      return this;
    }

    /**
     * The plugin's section as the values the host parses from it (String, Long, Double, Boolean,
     * List, Map), for a test that builds them in code. An error names a key's place as {@code test
     * settings key plugins.<id>.<key>}; write the section as TOML ({@link #settings(String)}) for
     * errors that name a line. The host's keys ({@code enabled}, {@code plugin_file}) are left out,
     * as the host leaves them out.
     */
    public Builder settings(Map<String, ?> values) {
      Map<String, Object> copy = TomlPaths.withoutHostKeys(values);
      this.settings = PluginSettings.of("plugins." + pluginId, copy, k -> "test settings key " + k);
      return this;
    }

    /** The plugin's section, already built. */
    public Builder settings(PluginSettings settings) {
      this.settings = Objects.requireNonNull(settings, "settings");
      return this;
    }

    /** The host handle (a new {@link FakeHost} by default). */
    public Builder host(Host host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /** The clock (a new {@link ManualClock} by default). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The installation's home (the working directory by default). */
    public Builder homeDirectory(Path home) {
      this.home = Objects.requireNonNull(home, "home");
      return this;
    }

    /** The plugin's state directory (a fresh temporary one by default), created when asked for. */
    public Builder stateDirectory(Path state) {
      this.state = Objects.requireNonNull(state, "state");
      return this;
    }

    /**
     * Lays the context out as the daemon does for an installation in {@code home} with the default
     * {@code state_dir}: {@code home} is the home directory and {@code home/var/<id>} the state
     * directory. A plugin that keeps a file beside its state directory (as the bundled ones keep
     * {@code var/jobhost.db}) then finds it under {@code home}, not beside a temporary directory.
     */
    public Builder installation(Path home) {
      this.home = Objects.requireNonNull(home, "home");
      this.state = home.resolve("var").resolve(pluginId);
      return this;
    }

    /** Whether the site runs with {@code strict = true} (false by default). */
    public Builder strict(boolean strict) {
      this.strict = strict;
      return this;
    }

    /** A context as a {@code CliCommand} gets it: {@link PluginContext#host()} throws. */
    public Builder commandLine() {
      this.commandLine = true;
      return this;
    }

    /**
     * A context as {@code jobhost check} and {@code jobhost plugins} give it: {@link
     * PluginContext#checkOnly()} is true, for a test that the extension checks its settings and
     * starts nothing (no port, no claim, no recovery) while a daemon may run beside it.
     */
    public Builder checkOnly() {
      this.checkOnly = true;
      return this;
    }

    /** The context. */
    public TestPluginContext build() {
      return new TestPluginContext(this);
    }
  }
}
