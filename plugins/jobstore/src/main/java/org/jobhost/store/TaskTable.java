package org.jobhost.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The task verbs of {@link Store.Tx} over the {@code tasks} and {@code task_params} tables (a
 * changed or removed task also drops its {@code plan} row and pending requests). Confined to the
 * thread of one transaction.
 */
final class TaskTable {

  private static final Logger log = LoggerFactory.getLogger(TaskTable.class);

  private final TxSql tx;

  TaskTable(TxSql tx) {
    this.tx = tx;
  }

  List<Task> tasks() {
    return tx.sql("read tasks", () -> readTasks(null));
  }

  Optional<Task> task(String name) {
    return tx.sql("read task " + name, () -> readTasks(name).stream().findFirst());
  }

  private List<Task> readTasks(String only) throws SQLException {
    Map<String, Map<String, String>> params = new HashMap<>();
    String pw = only == null ? "" : " WHERE task = ?";
    try (PreparedStatement ps =
            tx.prepare("SELECT task, name, value FROM task_params" + pw, args(only));
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        params
            .computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>())
            .put(rs.getString(2), rs.getString(3));
      }
    }
    String tw = only == null ? "" : " WHERE name = ?";
    List<Task> out = new ArrayList<>();
    try (PreparedStatement ps =
            tx.prepare("SELECT * FROM tasks" + tw + " ORDER BY name", args(only));
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        String name = rs.getString("name");
        try {
          out.add(readTask(rs, name, params.getOrDefault(name, Map.of())));
        } catch (RuntimeException e) {
          // One bad row (written by hand or by another version) must not hide every task.
          log.error(
              "task={} its row in the tasks table cannot be read and the task does not run: {};"
                  + " remove it with jobhost tasks remove {} and add it again (or fix it in the"
                  + " configuration and reload)",
              name,
              e.getMessage(),
              name);
        }
      }
    }
    return out;
  }

  private static Task readTask(ResultSet rs, String name, Map<String, String> params)
      throws SQLException {
    Integer override = Jdbc.integer(rs, "enabled_override");
    long timeout = rs.getLong("timeout_ms");
    boolean noTimeout = rs.wasNull();
    return new Task(
        name,
        rs.getString("schedule"),
        rs.getString("job_type"),
        params,
        rs.getString("timezone"),
        rs.getInt("enabled") != 0,
        override == null ? null : override != 0,
        noTimeout ? null : Duration.ofMillis(timeout),
        rs.getInt("max_attempts"),
        Task.Overlap.valueOf(rs.getString("overlap")),
        Task.Misfire.valueOf(rs.getString("misfire")),
        rs.getInt("misfire_cap"),
        Duration.ofMillis(rs.getLong("jitter_ms")),
        rs.getInt("rerun_interrupted") != 0,
        Task.Origin.valueOf(rs.getString("origin")));
  }

  private static Object[] args(String only) {
    return only == null ? new Object[0] : new Object[] {only};
  }

  boolean putTask(Task t, Instant now) {
    return tx.sql(
        "save task " + t.name(),
        () -> {
          Optional<Task> old = readTasks(t.name()).stream().findFirst();
          if (old.isPresent() && old.get().equals(t)) {
            return false;
          }
          tx.execute(
              "INSERT INTO tasks (name, schedule, job_type, timezone, enabled, enabled_override,"
                  + " timeout_ms, max_attempts, overlap, misfire, misfire_cap, jitter_ms,"
                  + " rerun_interrupted, origin, updated_at)"
                  + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                  + " ON CONFLICT (name) DO UPDATE SET schedule = excluded.schedule,"
                  + " job_type = excluded.job_type, timezone = excluded.timezone,"
                  + " enabled = excluded.enabled, enabled_override = excluded.enabled_override,"
                  + " timeout_ms = excluded.timeout_ms, max_attempts = excluded.max_attempts,"
                  + " overlap = excluded.overlap, misfire = excluded.misfire,"
                  + " misfire_cap = excluded.misfire_cap, jitter_ms = excluded.jitter_ms,"
                  + " rerun_interrupted = excluded.rerun_interrupted, origin = excluded.origin,"
                  + " updated_at = excluded.updated_at",
              t.name(),
              t.schedule(),
              t.jobType(),
              t.timezone(),
              t.enabled(),
              t.enabledOverride(),
              t.timeout(),
              t.maxAttempts(),
              t.overlap(),
              t.misfire(),
              t.misfireCap(),
              t.jitter(),
              t.rerunInterrupted(),
              t.origin(),
              now);
          tx.execute("DELETE FROM task_params WHERE task = ?", t.name());
          for (Map.Entry<String, String> p : t.sortedParams().entrySet()) {
            tx.execute(
                "INSERT INTO task_params (task, name, value) VALUES (?, ?, ?)",
                t.name(),
                p.getKey(),
                p.getValue());
          }
          boolean replan =
              old.isPresent()
                  && (!old.get().schedule().equals(t.schedule())
                      || !Objects.equals(old.get().timezone(), t.timezone())
                      || !old.get().effectiveEnabled());
          if (replan || !t.effectiveEnabled()) {
            tx.execute("DELETE FROM plan WHERE task = ?", t.name());
          }
          return true;
        });
  }

  boolean removeTask(String name) {
    return tx.sql(
        "remove task " + name,
        () -> {
          tx.execute("DELETE FROM plan WHERE task = ?", name);
          tx.execute("DELETE FROM task_params WHERE task = ?", name);
          tx.execute("DELETE FROM run_requests WHERE task = ?", name);
          return tx.execute("DELETE FROM tasks WHERE name = ?", name) == 1;
        });
  }

  Store.Sync syncConfigTasks(List<Task> configured, Instant now) {
    Map<String, Task> existing = new HashMap<>();
    for (Task t : tasks()) {
      existing.put(t.name(), t);
    }
    Set<String> names = new HashSet<>();
    int added = 0;
    int changed = 0;
    for (Task c0 : configured) {
      if (!names.add(c0.name())) {
        throw new IllegalArgumentException(
            "task " + c0.name() + " is defined twice in the configuration; rename one");
      }
      Task t = c0.withOrigin(Task.Origin.CONFIG);
      Task old = existing.get(t.name());
      if (old != null && old.origin() == Task.Origin.CONFIG) {
        t = t.withEnabledOverride(old.enabledOverride());
      } else if (old != null) {
        log.warn(
            "task={} is defined in the configuration and was added with jobhost tasks add;"
                + " the configuration's definition replaces it",
            t.name());
      }
      if (putTask(t, now)) {
        if (old == null) {
          added++;
        } else {
          changed++;
        }
      }
    }
    int removed = 0;
    for (Task old : existing.values()) {
      if (old.origin() == Task.Origin.CONFIG && !names.contains(old.name())) {
        removeTask(old.name());
        removed++;
      }
    }
    return new Store.Sync(added, changed, removed);
  }
}
