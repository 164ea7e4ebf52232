package org.jobhost.host.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jobhost.api.PluginSettings;
import org.jobhost.api.Signal;
import org.jobhost.binding.TomlPaths;
import org.tomlj.TomlTable;

/**
 * Reads a {@link Config} out of its {@link Layers}: the top-level settings, then the {@code
 * [retry]}, {@code [workers]}, {@code [types.*]} and {@code [plugins.*]} sections, each value
 * through a {@link SettingReader}. Every problem is collected; {@link #read} throws them together.
 * Not thread-safe; used once.
 */
final class ConfigReader {

  private static final Set<String> WORKER_KEYS =
      Set.of("max_jobs", "max_memory", "java_opts", "start_timeout");

  private static final Set<String> RETRY_KEYS =
      Set.of("max_attempts", "backoff", "max_backoff", "jitter");

  /** A type's own keys and those of its retry policy. */
  private static final Set<String> TYPE_KEYS =
      Set.of("max_attempts", "backoff", "max_backoff", "jitter", "timeout", "isolation");

  private static final int MAX_JOBS_LIMIT = 10_000_000;
  private static final int MAX_ATTEMPTS_LIMIT = 1000;
  private static final long MIN_WORKER_MEMORY = 16L * 1024 * 1024;

  private final Path home;
  private final Layers layers;
  private final Problems problems;
  private final SettingReader read;

  ConfigReader(Path home, Layers layers, Problems problems) {
    this.home = home;
    this.layers = layers;
    this.problems = problems;
    this.read = new SettingReader(problems);
  }

  /**
   * The configuration.
   *
   * @throws ConfigException listing every problem found, also those of the layers
   */
  Config read() {
    int maxWorkers =
        read.integer(
            layers.get("max_workers"), Defaults.maxWorkers(), 1, Defaults.MAX_WORKERS_LIMIT);
    Duration idle =
        read.duration(layers.get("idle_time"), Defaults.IDLE_TIME, Duration.ofMillis(1));
    Duration grace =
        read.duration(layers.get("grace_timeout"), Defaults.GRACE_TIMEOUT, Duration.ZERO);
    Duration kill = read.duration(layers.get("kill_timeout"), Defaults.KILL_TIMEOUT, Duration.ZERO);
    DispatchMode dispatch =
        read.enumValue(layers.get("dispatch"), DispatchMode.class, Defaults.DISPATCH);
    Path plugins = path("plugins_dir", Defaults.PLUGINS_DIR);
    Path logs = path("log_dir", Defaults.LOG_DIR);
    Path state = path("state_dir", Defaults.STATE_DIR);
    Path run = path("run_dir", Defaults.RUN_DIR);
    boolean strict = read.bool(layers.get("strict"), Defaults.STRICT);
    boolean pauseChildren = read.bool(layers.get("pause_children"), Defaults.PAUSE_CHILDREN);
    Set<Signal> forward = read.signals(layers.get("forward_signals"));
    RetryPolicy retry = retry(List.of("retry"), Defaults.retry());
    TomlTable retryTable = layers.table(List.of("retry"));
    if (retryTable != null) {
      layers.checkKnown(retryTable, List.of("retry"), RETRY_KEYS);
    }
    Path pidFile =
        layers.has("pid_file")
            ? path("pid_file", Defaults.PID_FILE)
            : run.resolve(Defaults.PID_FILE_NAME);
    String user = read.optionalString(layers.get("user"));
    String group = read.optionalString(layers.get("group"));
    boolean allowRoot = read.bool(layers.get("allow_root"), Defaults.ALLOW_ROOT);
    LogFormat logFormat =
        read.enumValue(layers.get("log_format"), LogFormat.class, Defaults.LOG_FORMAT);
    WorkerConfig workers = workers();
    Map<String, TypeConfig> types = types(retry);
    Map<String, PluginSettings> pluginSections = plugins();
    problems.throwIfAny(layers.file());
    return new Config(
        layers.file(),
        new Directories(home, plugins, logs, state, run),
        maxWorkers,
        new Timeouts(idle, grace, kill),
        dispatch,
        strict,
        forward,
        pauseChildren,
        retry,
        new ServiceConfig(pidFile, user, group, allowRoot, logFormat),
        workers,
        types,
        pluginSections);
  }

  private Path path(String key, String fallback) {
    return read.path(layers.get(key), home, fallback);
  }

  private WorkerConfig workers() {
    List<String> at = List.of("workers");
    TomlTable t = layers.table(at);
    if (t == null) {
      return new WorkerConfig(
          Defaults.WORKER_MAX_JOBS,
          Defaults.WORKER_MAX_MEMORY,
          List.of(),
          Defaults.WORKER_START_TIMEOUT);
    }
    layers.checkKnown(t, at, WORKER_KEYS);
    int maxJobs =
        read.wholeNumberFrom(
            layers.in(t, at, "max_jobs"),
            Defaults.WORKER_MAX_JOBS,
            1,
            MAX_JOBS_LIMIT,
            "set it to 1 or more");
    long maxMemory =
        read.size(
            layers.in(t, at, "max_memory"),
            Defaults.WORKER_MAX_MEMORY,
            MIN_WORKER_MEMORY,
            "16MB",
            "\"256MB\"");
    List<String> javaOpts =
        read.strings(layers.in(t, at, "java_opts"), List.of(), "[\"-Xmx256m\"]");
    Duration start =
        read.duration(
            layers.in(t, at, "start_timeout"),
            Defaults.WORKER_START_TIMEOUT,
            Duration.ofMillis(100));
    return new WorkerConfig(maxJobs, maxMemory, javaOpts, start);
  }

  private RetryPolicy retry(List<String> at, RetryPolicy fallback) {
    TomlTable t = layers.table(at);
    if (t == null) {
      return fallback;
    }
    int max =
        read.wholeNumberFrom(
            layers.in(t, at, "max_attempts"),
            fallback.maxAttempts(),
            1,
            MAX_ATTEMPTS_LIMIT,
            "1 means no retry");
    Duration backoff =
        read.duration(layers.in(t, at, "backoff"), fallback.backoff(), Duration.ZERO);
    Duration maxBackoff =
        read.duration(layers.in(t, at, "max_backoff"), fallback.maxBackoff(), Duration.ZERO);
    double jitter =
        read.fraction(layers.in(t, at, "jitter"), fallback.jitter(), "0.2 spreads waits by ±20%");
    return new RetryPolicy(max, backoff, maxBackoff, jitter);
  }

  private Map<String, TypeConfig> types(RetryPolicy defaults) {
    TomlTable t = layers.table(List.of("types"));
    Map<String, TypeConfig> out = new LinkedHashMap<>();
    if (t == null) {
      return out;
    }
    for (String name : new TreeSet<>(t.keySet())) {
      List<String> at = List.of("types", name);
      TomlTable type = layers.table(at);
      if (type == null) {
        continue;
      }
      layers.checkKnown(type, at, TYPE_KEYS);
      Duration timeout = read.duration(layers.in(type, at, "timeout"), null, Duration.ofMillis(1));
      Isolation isolation =
          read.either(
              layers.in(type, at, "isolation"),
              Defaults.ISOLATION,
              "thread",
              Isolation.THREAD,
              "process",
              Isolation.PROCESS);
      out.put(name, new TypeConfig(name, timeout, retry(at, defaults), isolation));
    }
    return out;
  }

  private Map<String, PluginSettings> plugins() {
    TomlTable t = layers.table(List.of("plugins"));
    Map<String, PluginSettings> out = new LinkedHashMap<>();
    if (t == null) {
      return out;
    }
    for (String id : t.keySet()) {
      TomlTable section = layers.table(List.of("plugins", id));
      if (section != null) {
        out.put(
            id, PluginSettings.of("plugins." + id, TomlPaths.plain(section), layers::whereDotted));
      }
    }
    return out;
  }
}
