package org.jobhost.host.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jobhost.api.Durations;
import org.jobhost.api.PluginSettings;
import org.jobhost.api.Signal;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

/**
 * Builds a {@link Config} from defaults ← the TOML file ← environment variables ({@code
 * JOBHOST_MAX_WORKERS=4}) ← command-line overrides ({@code --set max_workers=4}), and reports every
 * problem together. Thread-safe (stateless apart from its inputs).
 */
public final class ConfigLoader {

  /** The environment variable naming the configuration file. */
  public static final String CONFIG_ENV = "JOBHOST_CONFIG";

  /** The environment variable naming the installation directory. */
  public static final String HOME_ENV = "JOBHOST_HOME";

  /** The system property naming the installation directory (set by {@code bin/jobhost}). */
  public static final String HOME_PROPERTY = "jobhost.home";

  private static final String ENV_PREFIX = "JOBHOST_";

  private static final Set<String> SCALAR_KEYS =
      Set.of(
          "max_workers",
          "idle_time",
          "grace_timeout",
          "kill_timeout",
          "dispatch",
          "plugins_dir",
          "log_dir",
          "state_dir",
          "run_dir",
          "strict",
          "pause_children",
          "pid_file",
          "user",
          "group",
          "allow_root",
          "log_format");
  private static final Set<String> TOP_KEYS =
      union(SCALAR_KEYS, Set.of("forward_signals", "retry", "types", "plugins", "workers"));
  private static final Set<String> RETRY_KEYS =
      Set.of("max_attempts", "backoff", "max_backoff", "jitter");
  private static final Set<String> WORKER_KEYS =
      Set.of("max_jobs", "max_memory", "java_opts", "start_timeout");
  private static final Set<String> TYPE_KEYS = union(RETRY_KEYS, Set.of("timeout", "isolation"));
  private static final Pattern PATH_PART = Pattern.compile("([^.\\[\\]]+)((?:\\[\\d+\\])*)");

  private final Path home;
  private final Map<String, String> env;

  /**
   * @param home the installation directory
   * @param env the environment (normally {@link System#getenv()})
   */
  public ConfigLoader(Path home, Map<String, String> env) {
    this.home = home.toAbsolutePath().normalize();
    this.env = Map.copyOf(env);
  }

  /** A loader for this process: the home from {@code -Djobhost.home}, $JOBHOST_HOME or the cwd. */
  public static ConfigLoader forThisProcess() {
    String h = System.getProperty(HOME_PROPERTY);
    if (h == null || h.isBlank()) {
      h = System.getenv(HOME_ENV);
    }
    Path home = h == null || h.isBlank() ? Path.of("") : Path.of(h);
    return new ConfigLoader(home, System.getenv());
  }

  /** The installation directory. */
  public Path home() {
    return home;
  }

  /**
   * Which file to read: {@code explicit} (from {@code --config}), else $JOBHOST_CONFIG, else {@code
   * conf/jobhost.toml} of the installation.
   */
  public Path locate(Path explicit) {
    if (explicit != null) {
      return explicit.toAbsolutePath().normalize();
    }
    String fromEnv = env.get(CONFIG_ENV);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return Path.of(fromEnv).toAbsolutePath().normalize();
    }
    return home.resolve("conf").resolve("jobhost.toml");
  }

  /**
   * Loads and validates.
   *
   * @param explicit the file named on the command line, or {@code null}
   * @param overrides {@code key=value} settings from the command line
   * @throws ConfigException listing every problem
   */
  public Config load(Path explicit, List<String> overrides) {
    Path file = locate(explicit);
    List<String> problems = new ArrayList<>();
    TomlTable root = null;
    boolean explicitlyNamed = explicit != null || env.containsKey(CONFIG_ENV);
    if (Files.isRegularFile(file)) {
      try {
        TomlParseResult parsed = Toml.parse(file);
        for (TomlParseError e : parsed.errors()) {
          problems.add(
              file
                  + " line "
                  + e.position().line()
                  + " column "
                  + e.position().column()
                  + ": "
                  + e.getMessage()
                  + "; fix the TOML syntax there");
        }
        root = parsed;
      } catch (CharacterCodingException e) {
        problems.add(
            file
                + " is not UTF-8 text, as TOML must be; save it as UTF-8 (iconv -f latin1 -t utf-8,"
                + " or your editor's encoding setting)");
      } catch (IOException e) {
        problems.add("cannot read " + file + ": " + e.getMessage() + "; check its permissions");
      } catch (RuntimeException | AssertionError e) {
        // The TOML library failed on input its own checks did not expect (an assertion of its own
        // where assertions are on): the file is still the operator's to fix, not a crash.
        problems.add(
            "cannot parse "
                + file
                + " as TOML ("
                + e
                + "); fix the TOML syntax: look for a malformed table header or a control"
                + " character");
      }
    } else if (explicitlyNamed) {
      problems.add(
          "configuration file "
              + file
              + " does not exist; create it (conf/jobhost.toml of the installation lists every key)"
              + " or name another with --config");
    } else {
      file = null;
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(file, problems);
    }
    return new Reader(file, root, overrides).read();
  }

  /** One pass over the layers, collecting problems. Not thread-safe; used once. */
  private final class Reader {
    private final Path file;
    private final TomlTable root;
    private final Map<String, Value> values = new LinkedHashMap<>();
    private final List<String> problems = new ArrayList<>();

    Reader(Path file, TomlTable root, List<String> overrides) {
      this.file = file;
      this.root = root;
      if (root != null) {
        for (String key : new TreeSet<>(root.keySet())) {
          if (!TOP_KEYS.contains(key)) {
            problems.add(
                key
                    + " is not a known setting in "
                    + where(List.of(key))
                    + "; remove it or check its spelling (known: "
                    + new TreeSet<>(TOP_KEYS)
                    + ")");
          } else if (SCALAR_KEYS.contains(key) || key.equals("forward_signals")) {
            values.put(key, new Value(root.get(List.of(key)), where(List.of(key)), false));
          }
        }
      }
      for (String key : SCALAR_KEYS) {
        String name = ENV_PREFIX + key.toUpperCase(Locale.ROOT);
        String v = env.get(name);
        if (v != null) {
          values.put(key, new Value(v, "environment variable " + name, true));
        }
      }
      for (String o : overrides) {
        int eq = o.indexOf('=');
        String key = eq < 0 ? o.trim() : o.substring(0, eq).trim();
        if (eq < 0 || !SCALAR_KEYS.contains(key)) {
          problems.add(
              "--set "
                  + o
                  + " is not a KEY=VALUE setting this option can change; use one of "
                  + new TreeSet<>(SCALAR_KEYS));
          continue;
        }
        values.put(key, new Value(o.substring(eq + 1).trim(), "command line --set " + key, true));
      }
    }

    Config read() {
      int maxWorkers = integer("max_workers", Defaults.maxWorkers(), 1, Defaults.MAX_WORKERS_LIMIT);
      Duration idle = duration("idle_time", Defaults.IDLE_TIME, Duration.ofMillis(1));
      Duration grace = duration("grace_timeout", Defaults.GRACE_TIMEOUT, Duration.ZERO);
      Duration kill = duration("kill_timeout", Defaults.KILL_TIMEOUT, Duration.ZERO);
      DispatchMode dispatch = enumValue("dispatch", DispatchMode.class, Defaults.DISPATCH);
      Path plugins = path("plugins_dir", Defaults.PLUGINS_DIR);
      Path logs = path("log_dir", Defaults.LOG_DIR);
      Path state = path("state_dir", Defaults.STATE_DIR);
      Path run = path("run_dir", Defaults.RUN_DIR);
      boolean strict = bool("strict", Defaults.STRICT);
      boolean pauseChildren = bool("pause_children", Defaults.PAUSE_CHILDREN);
      Set<Signal> forward = signals("forward_signals");
      RetryPolicy retry = retry(List.of("retry"), Defaults.retry());
      Path pidFile =
          values.containsKey("pid_file")
              ? path("pid_file", Defaults.PID_FILE)
              : run.resolve(Defaults.PID_FILE_NAME);
      String user = optionalString("user");
      String group = optionalString("group");
      boolean allowRoot = bool("allow_root", Defaults.ALLOW_ROOT);
      LogFormat logFormat = enumValue("log_format", LogFormat.class, Defaults.LOG_FORMAT);
      WorkerConfig workers = workers();
      Map<String, TypeConfig> types = types(retry);
      Map<String, PluginSettings> pluginSections = plugins();
      if (!problems.isEmpty()) {
        throw new ConfigException(file, problems);
      }
      return new Config(
          file,
          home,
          maxWorkers,
          idle,
          grace,
          kill,
          dispatch,
          plugins,
          logs,
          state,
          run,
          strict,
          forward,
          pauseChildren,
          retry,
          new ServiceConfig(pidFile, user, group, allowRoot, logFormat),
          workers,
          types,
          pluginSections);
    }

    private int integer(String key, int fallback, int min, int max) {
      Value v = values.get(key);
      if (v == null) {
        return fallback;
      }
      Long n = null;
      if (v.raw) {
        try {
          n = Long.parseLong(((String) v.value).trim());
        } catch (NumberFormatException e) {
          n = null;
        }
      } else if (v.value instanceof Long) {
        n = (Long) v.value;
      }
      if (n == null) {
        problem(
            key,
            "must be a whole number (was " + show(v.value) + ")",
            v,
            "write it without quotes, such as " + key + " = " + fallback);
        return fallback;
      }
      if (n < min || n > max) {
        problem(
            key,
            "must be between " + min + " and " + max + " (was " + n + ")",
            v,
            "set it to " + min + " or more");
        return fallback;
      }
      return n.intValue();
    }

    private Duration duration(String key, Duration fallback, Duration min) {
      Value v = values.get(key);
      return v == null ? fallback : duration(key, v, fallback, min);
    }

    private Duration duration(String key, Value v, Duration fallback, Duration min) {
      if (!(v.value instanceof String)) {
        problem(
            key,
            "must be a duration string (was " + show(v.value) + ")",
            v,
            "write it as \"500ms\", \"5s\" or \"2m\"");
        return fallback;
      }
      try {
        Duration d = Durations.parse((String) v.value);
        if (d.compareTo(min) < 0) {
          problem(
              key,
              "must be at least " + Durations.format(min) + " (was " + v.value + ")",
              v,
              "raise it");
          return fallback;
        }
        return d;
      } catch (IllegalArgumentException e) {
        problem(key, "is invalid: " + e.getMessage(), v, "write it as \"500ms\", \"5s\" or \"2m\"");
        return fallback;
      }
    }

    private boolean bool(String key, boolean fallback) {
      Value v = values.get(key);
      if (v == null) {
        return fallback;
      }
      if (v.value instanceof Boolean) {
        return (Boolean) v.value;
      }
      if (v.raw && ("true".equals(v.value) || "false".equals(v.value))) {
        return Boolean.parseBoolean((String) v.value);
      }
      problem(
          key,
          "must be true or false (was " + show(v.value) + ")",
          v,
          "write true or false without quotes");
      return fallback;
    }

    private <E extends Enum<E>> E enumValue(String key, Class<E> type, E fallback) {
      Value v = values.get(key);
      if (v == null) {
        return fallback;
      }
      List<String> allowed = new ArrayList<>();
      for (E e : type.getEnumConstants()) {
        allowed.add(e.name().toLowerCase(Locale.ROOT));
        if (v.value instanceof String && e.name().equalsIgnoreCase(((String) v.value).trim())) {
          return e;
        }
      }
      problem(
          key, "must be one of " + allowed + " (was " + show(v.value) + ")", v, "use one of those");
      return fallback;
    }

    private String optionalString(String key) {
      Value v = values.get(key);
      if (v == null) {
        return null;
      }
      if (v.value instanceof String && !((String) v.value).isBlank()) {
        return ((String) v.value).trim();
      }
      problem(
          key,
          "must be a non-empty string (was " + show(v.value) + ")",
          v,
          "write a name in quotes, or remove the key");
      return null;
    }

    private WorkerConfig workers() {
      int maxJobs = Defaults.WORKER_MAX_JOBS;
      long maxMemory = Defaults.WORKER_MAX_MEMORY;
      List<String> javaOpts = List.of();
      Duration start = Defaults.WORKER_START_TIMEOUT;
      List<String> at = List.of("workers");
      TomlTable t = table(at);
      if (t == null) {
        return new WorkerConfig(maxJobs, maxMemory, javaOpts, start);
      }
      for (String k : new TreeSet<>(t.keySet())) {
        if (!WORKER_KEYS.contains(k)) {
          problems.add(
              "workers."
                  + k
                  + " is not a known setting in "
                  + where(keyPath(at, k))
                  + "; known: "
                  + new TreeSet<>(WORKER_KEYS));
        }
      }
      if (t.contains("max_jobs")) {
        Object o = t.get("max_jobs");
        if (o instanceof Long && (Long) o >= 1 && (Long) o <= 10_000_000) {
          maxJobs = ((Long) o).intValue();
        } else {
          problem(
              "workers.max_jobs",
              "must be a whole number from 1 to 10000000 (was " + show(o) + ")",
              new Value(o, where(keyPath(at, "max_jobs")), false),
              "set it to 1 or more");
        }
      }
      if (t.contains("max_memory")) {
        Object o = t.get("max_memory");
        Value v = new Value(o, where(keyPath(at, "max_memory")), false);
        try {
          maxMemory = o instanceof Long ? (Long) o : org.jobhost.api.Sizes.parse(String.valueOf(o));
          if (maxMemory < 16L * 1024 * 1024) {
            problem(
                "workers.max_memory", "must be at least 16MB (was " + show(o) + ")", v, "raise it");
            maxMemory = Defaults.WORKER_MAX_MEMORY;
          }
        } catch (IllegalArgumentException e) {
          problem(
              "workers.max_memory", "is invalid: " + e.getMessage(), v, "write it as \"256MB\"");
        }
      }
      if (t.contains("java_opts")) {
        Object o = t.get("java_opts");
        if (o instanceof TomlArray
            && ((TomlArray) o).toList().stream().allMatch(x -> x instanceof String)) {
          List<String> opts = new ArrayList<>();
          for (Object x : ((TomlArray) o).toList()) {
            opts.add((String) x);
          }
          javaOpts = opts;
        } else {
          problem(
              "workers.java_opts",
              "must be an array of strings (was " + show(o) + ")",
              new Value(o, where(keyPath(at, "java_opts")), false),
              "write it as [\"-Xmx256m\"]");
        }
      }
      if (t.contains("start_timeout")) {
        start =
            duration(
                "workers.start_timeout",
                new Value(t.get("start_timeout"), where(keyPath(at, "start_timeout")), false),
                start,
                Duration.ofMillis(100));
      }
      return new WorkerConfig(maxJobs, maxMemory, javaOpts, start);
    }

    private Path path(String key, String fallback) {
      Value v = values.get(key);
      String p = fallback;
      if (v != null) {
        if (v.value instanceof String && !((String) v.value).isBlank()) {
          p = (String) v.value;
        } else {
          problem(
              key,
              "must be a non-empty path string (was " + show(v.value) + ")",
              v,
              "write a directory path in quotes");
        }
      }
      try {
        return home.resolve(p).normalize();
      } catch (java.nio.file.InvalidPathException e) {
        problem(
            key,
            "is not a valid path (" + e.getReason() + ")",
            v,
            "write a directory path without NUL or other characters the file system refuses");
        return home.resolve(fallback).normalize();
      }
    }

    private Set<Signal> signals(String key) {
      Value v = values.get(key);
      if (v == null) {
        return Set.of();
      }
      if (!(v.value instanceof TomlArray)) {
        problem(
            key,
            "must be an array of signal names (was " + show(v.value) + ")",
            v,
            "write it as [\"HUP\", \"USR1\"]");
        return Set.of();
      }
      Set<Signal> out = EnumSet.noneOf(Signal.class);
      for (Object o : ((TomlArray) v.value).toList()) {
        try {
          Signal s = Signal.parse(String.valueOf(o));
          if (s.reservedByJvm()) {
            problem(
                key, "cannot forward " + s.fullName() + ": the JVM reserves it", v, "remove it");
          } else {
            out.add(s);
          }
        } catch (IllegalArgumentException e) {
          problem(
              key, "has an entry that is no signal: " + e.getMessage(), v, "remove or correct it");
        }
      }
      return out;
    }

    private RetryPolicy retry(List<String> at, RetryPolicy fallback) {
      TomlTable t = table(at);
      if (t == null) {
        return fallback;
      }
      String prefix = String.join(".", at) + ".";
      int max = fallback.maxAttempts();
      Duration backoff = fallback.backoff();
      Duration maxBackoff = fallback.maxBackoff();
      double jitter = fallback.jitter();
      if (t.contains("max_attempts")) {
        Value v = new Value(t.get("max_attempts"), where(keyPath(at, "max_attempts")), false);
        if (v.value instanceof Long && (Long) v.value >= 1 && (Long) v.value <= 1000) {
          max = ((Long) v.value).intValue();
        } else {
          problem(
              prefix + "max_attempts",
              "must be a whole number from 1 to 1000 (was " + show(v.value) + ")",
              v,
              "1 means no retry");
        }
      }
      if (t.contains("backoff")) {
        backoff =
            duration(
                prefix + "backoff",
                new Value(t.get("backoff"), where(keyPath(at, "backoff")), false),
                backoff,
                Duration.ZERO);
      }
      if (t.contains("max_backoff")) {
        maxBackoff =
            duration(
                prefix + "max_backoff",
                new Value(t.get("max_backoff"), where(keyPath(at, "max_backoff")), false),
                maxBackoff,
                Duration.ZERO);
      }
      if (t.contains("jitter")) {
        Object j = t.get("jitter");
        Value v = new Value(j, where(keyPath(at, "jitter")), false);
        if (j instanceof Double && (Double) j >= 0 && (Double) j <= 1) {
          jitter = (Double) j;
        } else if (j instanceof Long && ((Long) j == 0 || (Long) j == 1)) {
          jitter = ((Long) j).doubleValue();
        } else {
          problem(
              prefix + "jitter",
              "must be a number from 0 to 1 (was " + show(j) + ")",
              v,
              "0.2 spreads waits by ±20%");
        }
      }
      return new RetryPolicy(max, backoff, maxBackoff, jitter);
    }

    private Map<String, TypeConfig> types(RetryPolicy defaults) {
      TomlTable t = table(List.of("types"));
      Map<String, TypeConfig> out = new LinkedHashMap<>();
      if (t == null) {
        return out;
      }
      for (String name : new TreeSet<>(t.keySet())) {
        List<String> at = List.of("types", name);
        TomlTable type = table(at);
        if (type == null) {
          continue;
        }
        for (String k : new TreeSet<>(type.keySet())) {
          if (!TYPE_KEYS.contains(k)) {
            problems.add(
                "types."
                    + name
                    + "."
                    + k
                    + " is not a known setting in "
                    + where(keyPath(at, k))
                    + "; known: "
                    + new TreeSet<>(TYPE_KEYS));
          }
        }
        Duration timeout = null;
        if (type.contains("timeout")) {
          timeout =
              duration(
                  "types." + name + ".timeout",
                  new Value(type.get("timeout"), where(keyPath(at, "timeout")), false),
                  null,
                  Duration.ofMillis(1));
        }
        Isolation isolation = Defaults.ISOLATION;
        if (type.contains("isolation")) {
          Object iv = type.get("isolation");
          Value v = new Value(iv, where(keyPath(at, "isolation")), false);
          if ("thread".equals(iv)) {
            isolation = Isolation.THREAD;
          } else if ("process".equals(iv)) {
            isolation = Isolation.PROCESS;
          } else {
            problem(
                "types." + name + ".isolation",
                "must be \"thread\" or \"process\" (was " + show(iv) + ")",
                v,
                "use one of those");
          }
        }
        out.put(name, new TypeConfig(name, timeout, retry(at, defaults), isolation));
      }
      return out;
    }

    private Map<String, PluginSettings> plugins() {
      TomlTable t = table(List.of("plugins"));
      Map<String, PluginSettings> out = new LinkedHashMap<>();
      if (t == null) {
        return out;
      }
      for (String id : t.keySet()) {
        TomlTable section = table(List.of("plugins", id));
        if (section != null) {
          out.put(id, PluginSettings.of("plugins." + id, plainTable(section), this::whereDotted));
        }
      }
      return out;
    }

    private TomlTable table(List<String> at) {
      if (root == null || !root.contains(at)) {
        return null;
      }
      Object o = root.get(at);
      if (o instanceof TomlTable) {
        return (TomlTable) o;
      }
      problems.add(
          String.join(".", at)
              + " must be a table (["
              + String.join(".", at)
              + "]) in "
              + where(at)
              + "; write it as a section");
      return null;
    }

    private void problem(String key, String what, Value v, String fix) {
      problems.add(key + " " + what + " in " + v.where + "; " + fix);
    }

    private String where(List<String> at) {
      if (root == null) {
        return "(defaults)";
      }
      TomlPosition p = root.inputPositionOf(at);
      return p == null ? String.valueOf(file) : file + " line " + p.line();
    }

    /** The place of a dotted key like {@code plugins.cron.tasks[2].name}. */
    private String whereDotted(String dotted) {
      if (root == null) {
        return "(defaults)";
      }
      Object node = root;
      TomlPosition best = null;
      for (String part : dotted.split("\\.")) {
        Matcher m = PATH_PART.matcher(part);
        if (!m.matches()
            || !(node instanceof TomlTable)
            || !((TomlTable) node).contains(List.of(m.group(1)))) {
          break;
        }
        TomlTable table = (TomlTable) node;
        best = table.inputPositionOf(List.of(m.group(1)));
        node = table.get(List.of(m.group(1)));
        Matcher idx = Pattern.compile("\\[(\\d+)\\]").matcher(m.group(2));
        while (idx.find() && node instanceof TomlArray) {
          int i = Integer.parseInt(idx.group(1));
          TomlArray arr = (TomlArray) node;
          if (i >= arr.size()) {
            break;
          }
          TomlPosition p = arr.inputPositionOf(i);
          best = p != null ? p : best;
          node = arr.get(i);
        }
      }
      return best == null ? String.valueOf(file) : file + " line " + best.line();
    }
  }

  /** A TOML table as plain maps and lists, all the way down. */
  static Map<String, Object> plainTable(TomlTable table) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (String key : table.keySet()) {
      out.put(key, plain(table.get(List.of(key))));
    }
    return out;
  }

  private static Object plain(Object value) {
    if (value instanceof TomlTable) {
      return plainTable((TomlTable) value);
    }
    if (value instanceof TomlArray) {
      List<Object> list = new ArrayList<>();
      TomlArray array = (TomlArray) value;
      for (int i = 0; i < array.size(); i++) {
        list.add(plain(array.get(i)));
      }
      return list;
    }
    return value;
  }

  private static List<String> keyPath(List<String> at, String key) {
    List<String> p = new ArrayList<>(at);
    p.add(key);
    return p;
  }

  private static String show(Object o) {
    if (o instanceof String) {
      return "\"" + o + "\"";
    }
    if (o instanceof TomlTable) {
      return "a table";
    }
    if (o instanceof TomlArray) {
      return "an array";
    }
    return String.valueOf(o);
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> s = new java.util.HashSet<>(a);
    s.addAll(b);
    return Set.copyOf(s);
  }

  /** One setting's value and where it came from; raw values are unparsed strings. */
  private static final class Value {
    final Object value;
    final String where;
    final boolean raw;

    Value(Object value, String where, boolean raw) {
      this.value = value;
      this.where = where;
      this.raw = raw;
    }
  }
}
