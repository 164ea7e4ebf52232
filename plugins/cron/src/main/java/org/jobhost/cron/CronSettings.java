package org.jobhost.cron;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.jobhost.api.PluginContext;
import org.jobhost.api.PluginSettings;
import org.jobhost.api.SettingsException;
import org.jobhost.cron.worklog.WorklogDatabase;
import org.jobhost.store.DatabaseSettings;
import org.jobhost.store.Task;

/**
 * The {@code [plugins.cron]} section, validated. Immutable.
 *
 * @param database the SQLite file or the PostgreSQL server shared by the hosts of a cluster
 * @param hostName recorded with every run, and the owner of runs left open by a crash
 * @param keepRuns ended runs kept per task (runs of other sources count as one group)
 * @param keepFor ended runs older than this are deleted; zero keeps them by count only
 * @param misfireThreshold a fire later than this is "missed" and follows the task's misfire policy
 * @param tasks the tasks of {@code [[plugins.cron.tasks]]}
 */
record CronSettings(
    DatabaseSettings database,
    String hostName,
    int keepRuns,
    Duration keepFor,
    Duration misfireThreshold,
    List<Task> tasks) {

  static final int DEFAULT_KEEP_RUNS = 1000;
  static final Duration DEFAULT_KEEP_FOR = Duration.ofDays(30);
  static final Duration DEFAULT_MISFIRE_THRESHOLD = Duration.ofMinutes(1);

  static final Set<String> KEYS;

  static {
    Set<String> k =
        new java.util.HashSet<>(
            Set.of("host_name", "keep_runs", "keep_for", "misfire_threshold", "tasks"));
    k.addAll(DatabaseSettings.KEYS);
    KEYS = Set.copyOf(k);
  }

  static final Set<String> TASK_KEYS =
      Set.of(
          "name",
          "schedule",
          "type",
          "params",
          "timezone",
          "enabled",
          "timeout",
          "max_attempts",
          "overlap",
          "misfire",
          "misfire_cap",
          "jitter",
          "rerun_interrupted");

  CronSettings {
    tasks = List.copyOf(tasks);
  }

  /**
   * A task of {@code [[plugins.cron.tasks]]} left out because it is invalid.
   *
   * @param name the task's name, or {@code tasks[i]} when it has none
   * @param problem what is wrong with it, with the file, line, key and bad value
   */
  record SkippedTask(String name, SettingsException problem) {}

  /**
   * Settings without their invalid tasks, and those tasks.
   *
   * @param settings the valid part
   * @param skipped the tasks left out, in the order written
   */
  record Partial(CronSettings settings, List<SkippedTask> skipped) {
    Partial {
      skipped = List.copyOf(skipped);
    }
  }

  /**
   * Reads and validates the section; any problem, in a task or not, is an error.
   *
   * @throws SettingsException naming every problem found, each with its file, line and key
   */
  static CronSettings parse(PluginSettings s, PluginContext context) {
    return parse(s, context, null).settings();
  }

  /**
   * Reads the section, leaving out the tasks that are invalid (one bad task must not stop the
   * others): a problem outside {@code [[plugins.cron.tasks]]} is still an error.
   *
   * @throws SettingsException naming every problem outside the tasks
   */
  static Partial parseSkippingBadTasks(PluginSettings s, PluginContext context) {
    List<SkippedTask> skipped = new ArrayList<>();
    return parse(s, context, skipped);
  }

  private static Partial parse(PluginSettings s, PluginContext context, List<SkippedTask> skipped) {
    List<SettingsException> problems = new ArrayList<>();
    collect(problems, () -> s.requireOnly(KEYS));
    long keepRuns = collect(problems, () -> s.integer("keep_runs", DEFAULT_KEEP_RUNS), 1L);
    if (keepRuns < 1 || keepRuns > Integer.MAX_VALUE) {
      problems.add(s.invalid("keep_runs", "must be at least 1 (was " + keepRuns + ")"));
    }
    Duration keepFor =
        collect(problems, () -> s.duration("keep_for", DEFAULT_KEEP_FOR), DEFAULT_KEEP_FOR);
    Duration threshold =
        collect(
            problems,
            () -> s.duration("misfire_threshold", DEFAULT_MISFIRE_THRESHOLD),
            DEFAULT_MISFIRE_THRESHOLD);
    if (threshold.isZero()) {
      problems.add(s.invalid("misfire_threshold", "must be more than 0; use \"1m\" for example"));
    }
    ZoneId hostZone = context.clock().getZone();
    List<Task> tasks = new ArrayList<>();
    List<String> names = new ArrayList<>();
    int index = 0;
    for (PluginSettings t : collect(problems, () -> s.tables("tasks"), List.<PluginSettings>of())) {
      List<SettingsException> taskProblems = new ArrayList<>();
      // The name is checked for duplicates even when the rest of the task is invalid, so that
      // fixing one problem does not reveal the next.
      String name = collect(taskProblems, () -> t.string("name").orElse(""), "");
      if (!name.isBlank() && names.contains(name)) {
        taskProblems.add(
            t.invalid("name", "\"" + name + "\" is used by an earlier task; rename one"));
      }
      names.add(name);
      try {
        Task task = parseTask(t, hostZone);
        if (taskProblems.isEmpty()) {
          tasks.add(task);
        }
      } catch (SettingsException e) {
        taskProblems.add(e);
      } catch (RuntimeException e) {
        taskProblems.add(t.invalid("name", "= \"" + name + "\" cannot be read: " + e));
      }
      if (skipped == null) {
        problems.addAll(taskProblems);
      } else if (!taskProblems.isEmpty()) {
        skipped.add(
            new SkippedTask(name.isBlank() ? "tasks[" + index + "]" : name, joined(taskProblems)));
      }
      index++;
    }
    if (!problems.isEmpty()) {
      throw joined(problems);
    }
    return new Partial(
        new CronSettings(
            WorklogDatabase.of(s, context),
            WorklogDatabase.hostName(s),
            (int) keepRuns,
            keepFor,
            threshold,
            tasks),
        skipped == null ? List.of() : skipped);
  }

  /** One exception for several problems: the first one's key, every message. */
  private static SettingsException joined(List<SettingsException> problems) {
    if (problems.size() == 1) {
      return problems.get(0);
    }
    StringBuilder all = new StringBuilder();
    for (SettingsException p : problems) {
      all.append(all.length() == 0 ? "" : "; ").append(p.getMessage());
    }
    return new SettingsException(problems.get(0).key(), all.toString());
  }

  private static void collect(List<SettingsException> problems, Runnable check) {
    collect(
        problems,
        () -> {
          check.run();
          return null;
        },
        null);
  }

  /** Runs one check; a problem is added to {@code problems} and {@code fallback} returned. */
  private static <T> T collect(List<SettingsException> problems, Supplier<T> read, T fallback) {
    try {
      return read.get();
    } catch (SettingsException e) {
      problems.add(e);
      return fallback;
    }
  }

  private static Task parseTask(PluginSettings t, ZoneId hostZone) {
    t.requireOnly(TASK_KEYS);
    String name = required(t, "name");
    String schedule = required(t, "schedule");
    String type = required(t, "type");
    String zoneText = t.string("timezone").orElse(null);
    ZoneId zone = hostZone;
    if (zoneText != null) {
      try {
        zone = ZoneId.of(zoneText);
      } catch (DateTimeException e) {
        throw t.invalid(
            "timezone",
            "\"" + zoneText + "\" is no time zone; use an id such as \"Europe/Berlin\" or \"UTC\"");
      }
    }
    try {
      Schedule.parse(schedule, zone);
    } catch (RuntimeException e) {
      throw t.invalid("schedule", "of task " + name + " is invalid: " + e.getMessage());
    }
    Map<String, String> params = new LinkedHashMap<>();
    for (Map.Entry<String, Object> p : t.table("params").asMap().entrySet()) {
      Object v = p.getValue();
      if (!(v instanceof String || v instanceof Number || v instanceof Boolean)) {
        throw t.table("params")
            .invalid(p.getKey(), "must be a string, number or boolean (was a " + kind(v) + ")");
      }
      params.put(p.getKey(), String.valueOf(v));
    }
    long maxAttempts = t.integer("max_attempts", 0);
    long cap = t.integer("misfire_cap", Task.DEFAULT_MISFIRE_CAP);
    Duration timeout = t.has("timeout") ? t.duration("timeout", null) : null;
    Task.Overlap overlap;
    Task.Misfire misfire;
    try {
      overlap = Task.Overlap.parse(t.string("overlap", "skip"));
    } catch (IllegalArgumentException e) {
      throw t.invalid("overlap", "of task " + name + ": " + e.getMessage());
    }
    try {
      misfire = Task.Misfire.parse(t.string("misfire", "fire_once"));
    } catch (IllegalArgumentException e) {
      throw t.invalid("misfire", "of task " + name + ": " + e.getMessage());
    }
    try {
      return new Task(
          name,
          schedule,
          type,
          params,
          zoneText,
          t.bool("enabled", true),
          null,
          timeout == null || timeout.isZero() ? null : timeout,
          (int) Math.min(maxAttempts, Integer.MAX_VALUE),
          overlap,
          misfire,
          (int) Math.min(cap, Integer.MAX_VALUE),
          t.duration("jitter", Duration.ZERO),
          t.bool("rerun_interrupted", false),
          Task.Origin.CONFIG);
    } catch (IllegalArgumentException e) {
      throw t.invalid("name", "= \"" + name + "\": " + e.getMessage());
    }
  }

  private static String required(PluginSettings t, String key) {
    String v = t.string(key).orElse("");
    if (v.isBlank()) {
      throw t.invalid(key, "is required in every [[plugins.cron.tasks]] table");
    }
    return v;
  }

  private static String kind(Object v) {
    return v instanceof Map ? "table" : v instanceof List ? "array" : v.getClass().getSimpleName();
  }
}
