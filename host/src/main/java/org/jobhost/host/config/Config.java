package org.jobhost.host.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jobhost.api.Durations;
import org.jobhost.api.PluginSettings;
import org.jobhost.api.Signal;
import org.jobhost.binding.TomlPaths;

/**
 * The daemon's whole configuration. Immutable; a reload builds a new one.
 *
 * @param file the file it was read from, or {@code null} when none existed
 * @param dirs the installation and the directories the daemon uses
 * @param maxWorkers worker slots
 * @param timeouts the idle sleep, the grace and the kill timeouts
 * @param dispatch queue or batch
 * @param strict whether a broken plugin stops the start
 * @param forwardSignals signals also sent to every running child process group
 * @param pauseChildren whether a pause also stops (SIGSTOP) running child processes
 * @param retry the default retry policy
 * @param service PID file, user switch
 * @param workers the worker JVM pool
 * @param types per-type settings
 * @param plugins each plugin's {@code [plugins.<id>]} section, by plugin id
 */
public record Config(
    Path file,
    Directories dirs,
    int maxWorkers,
    Timeouts timeouts,
    DispatchMode dispatch,
    boolean strict,
    Set<Signal> forwardSignals,
    boolean pauseChildren,
    RetryPolicy retry,
    ServiceConfig service,
    WorkerConfig workers,
    Map<String, TypeConfig> types,
    Map<String, PluginSettings> plugins) {

  /** Validates and copies. */
  public Config {
    Objects.requireNonNull(dirs, "dirs");
    Objects.requireNonNull(timeouts, "timeouts");
    Objects.requireNonNull(dispatch, "dispatch");
    Objects.requireNonNull(retry, "retry");
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(workers, "workers");
    forwardSignals = Set.copyOf(forwardSignals);
    types = Map.copyOf(types);
    plugins = Map.copyOf(plugins);
  }

  /** The settings of a job type: its own section, or the defaults. */
  public TypeConfig type(String name) {
    TypeConfig t = types.get(name);
    return t != null ? t : new TypeConfig(name, null, retry, Defaults.ISOLATION);
  }

  /**
   * A plugin's section without the host's keys ({@link TomlPaths#PLUGIN_HOST_KEYS}: {@code
   * enabled}, {@code plugin_file}), empty when absent.
   */
  public PluginSettings pluginSettings(String pluginId) {
    String prefix = "plugins." + pluginId;
    PluginSettings s = plugins.get(pluginId);
    if (s == null) {
      return PluginSettings.of(prefix, Map.of(), k -> describeFile());
    }
    return PluginSettings.of(
        prefix,
        TomlPaths.withoutHostKeys(s.asMap()),
        k -> s.where(k.substring(prefix.length() + 1)));
  }

  /**
   * The file name the site chose with {@code [plugins.<id>] plugin_file} for a plugin id that
   * several files in {@code plugins_dir} declare, or {@code null}.
   */
  public String pluginFile(String pluginId) {
    PluginSettings s = plugins.get(pluginId);
    return s == null ? null : s.string("plugin_file").orElse(null);
  }

  /** Whether {@code [plugins.<id>] enabled = false} turns a plugin off. */
  public boolean pluginEnabled(String pluginId) {
    PluginSettings s = plugins.get(pluginId);
    return s == null || s.bool("enabled", true);
  }

  /** The file, for messages. */
  public String describeFile() {
    return file == null ? "(no configuration file; defaults)" : file.toString();
  }

  /** The effective settings, one {@code key = value} per line, for the start-up log. */
  public List<String> describe() {
    List<String> lines = new ArrayList<>();
    lines.add("config_file = " + describeFile());
    lines.add("home = " + dirs.home());
    lines.add("max_workers = " + maxWorkers);
    lines.add("idle_time = " + Durations.format(timeouts.idle()));
    lines.add("grace_timeout = " + Durations.format(timeouts.grace()));
    lines.add("kill_timeout = " + Durations.format(timeouts.kill()));
    lines.add("dispatch = " + dispatch.name().toLowerCase(java.util.Locale.ROOT));
    lines.add("plugins_dir = " + dirs.plugins());
    lines.add("log_dir = " + dirs.logs());
    lines.add("state_dir = " + dirs.state());
    lines.add("run_dir = " + dirs.run());
    lines.add("strict = " + strict);
    lines.add("forward_signals = " + forwardSignals);
    lines.add("pause_children = " + pauseChildren);
    lines.add("pid_file = " + service.pidFile());
    lines.add("user = " + (service.user() == null ? "(unchanged)" : service.user()));
    lines.add("group = " + (service.group() == null ? "(the user's)" : service.group()));
    lines.add("allow_root = " + service.allowRoot());
    lines.add("log_format = " + service.logFormat().name().toLowerCase(java.util.Locale.ROOT));
    lines.add(
        "workers = {max_jobs = "
            + workers.maxJobs()
            + ", max_memory = "
            + org.jobhost.api.Sizes.format(workers.maxMemory())
            + ", java_opts = "
            + workers.javaOpts()
            + ", start_timeout = "
            + Durations.format(workers.startTimeout())
            + "}");
    lines.add(
        "retry = {max_attempts = "
            + retry.maxAttempts()
            + ", backoff = "
            + Durations.format(retry.backoff())
            + ", max_backoff = "
            + Durations.format(retry.maxBackoff())
            + ", jitter = "
            + retry.jitter()
            + "}");
    types.values().stream()
        .sorted(java.util.Comparator.comparing(TypeConfig::name))
        .forEach(
            t ->
                lines.add(
                    "types."
                        + t.name()
                        + " = {timeout = "
                        + (t.timeout() == null ? "none" : Durations.format(t.timeout()))
                        + ", max_attempts = "
                        + t.retry().maxAttempts()
                        + ", isolation = "
                        + t.isolation().name().toLowerCase(java.util.Locale.ROOT)
                        + "}"));
    plugins.keySet().stream().sorted().forEach(id -> lines.add("plugins." + id + " = {...}"));
    return lines;
  }
}
