package org.jobhost.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
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
 * {@link Store.Tx} in plain SQL that SQLite (3.35 and later) and PostgreSQL both accept. Confined
 * to the thread of one transaction; not thread-safe.
 */
final class SqlTx implements Store.Tx {

  private static final Logger log = LoggerFactory.getLogger(SqlTx.class);

  private static final String RUN_COLUMNS =
      "id, source, task, job_id, job_type, attempt, fire_time, host, started_at, ended_at,"
          + " outcome, exit_code, message, output_tail";

  private final Connection c;
  private final String location;

  SqlTx(Connection c, String location) {
    this.c = c;
    this.location = location;
  }

  @FunctionalInterface
  private interface Sql<T> {
    T run() throws SQLException;
  }

  private <T> T sql(String what, Sql<T> body) {
    try {
      return body.run();
    } catch (SQLException e) {
      throw new StoreException(
          "database " + location + ": cannot " + what + ": " + e.getMessage(), e);
    }
  }

  private PreparedStatement prepare(String sql, Object... args) throws SQLException {
    PreparedStatement ps = c.prepareStatement(sql);
    bind(ps, args);
    return ps;
  }

  private static void bind(PreparedStatement ps, Object... args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      Object a = args[i];
      if (a == null) {
        ps.setNull(i + 1, Types.NULL);
      } else if (a instanceof Instant) {
        ps.setLong(i + 1, ((Instant) a).toEpochMilli());
      } else if (a instanceof Boolean) {
        ps.setInt(i + 1, ((Boolean) a) ? 1 : 0);
      } else if (a instanceof Duration) {
        ps.setLong(i + 1, ((Duration) a).toMillis());
      } else if (a instanceof Enum<?>) {
        ps.setString(i + 1, ((Enum<?>) a).name());
      } else {
        ps.setObject(i + 1, a);
      }
    }
  }

  private int execute(String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = prepare(sql, args)) {
      return ps.executeUpdate();
    }
  }

  private long insert(String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
      bind(ps, args);
      ps.executeUpdate();
      try (ResultSet keys = ps.getGeneratedKeys()) {
        if (!keys.next()) {
          throw new SQLException("no generated key for: " + sql);
        }
        return keys.getLong(1);
      }
    }
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : Instant.ofEpochMilli(v);
  }

  private static Integer integer(ResultSet rs, String column) throws SQLException {
    int v = rs.getInt(column);
    return rs.wasNull() ? null : v;
  }

  // ---- tasks

  @Override
  public List<Task> tasks() {
    return sql("read tasks", () -> readTasks(null));
  }

  @Override
  public Optional<Task> task(String name) {
    return sql("read task " + name, () -> readTasks(name).stream().findFirst());
  }

  private List<Task> readTasks(String only) throws SQLException {
    Map<String, Map<String, String>> params = new HashMap<>();
    String pw = only == null ? "" : " WHERE task = ?";
    try (PreparedStatement ps =
            prepare("SELECT task, name, value FROM task_params" + pw, args(only));
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        params
            .computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>())
            .put(rs.getString(2), rs.getString(3));
      }
    }
    String tw = only == null ? "" : " WHERE name = ?";
    List<Task> out = new ArrayList<>();
    try (PreparedStatement ps = prepare("SELECT * FROM tasks" + tw + " ORDER BY name", args(only));
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
    Integer override = integer(rs, "enabled_override");
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

  @Override
  public boolean putTask(Task t, Instant now) {
    return sql(
        "save task " + t.name(),
        () -> {
          Optional<Task> old = readTasks(t.name()).stream().findFirst();
          if (old.isPresent() && old.get().equals(t)) {
            return false;
          }
          execute(
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
          execute("DELETE FROM task_params WHERE task = ?", t.name());
          for (Map.Entry<String, String> p : t.sortedParams().entrySet()) {
            execute(
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
            execute("DELETE FROM plan WHERE task = ?", t.name());
          }
          return true;
        });
  }

  @Override
  public boolean removeTask(String name) {
    return sql(
        "remove task " + name,
        () -> {
          execute("DELETE FROM plan WHERE task = ?", name);
          execute("DELETE FROM task_params WHERE task = ?", name);
          execute("DELETE FROM run_requests WHERE task = ?", name);
          return execute("DELETE FROM tasks WHERE name = ?", name) == 1;
        });
  }

  @Override
  public Store.Sync syncConfigTasks(List<Task> configured, Instant now) {
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

  // ---- plan

  @Override
  public Map<String, Instant> plan() {
    return sql(
        "read the plan",
        () -> {
          Map<String, Instant> out = new HashMap<>();
          try (PreparedStatement ps = prepare("SELECT task, next_fire FROM plan");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.put(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)));
            }
          }
          return out;
        });
  }

  @Override
  public void setPlan(String task, Instant nextFire, Instant now) {
    sql(
        "plan task " + task,
        () ->
            execute(
                "INSERT INTO plan (task, next_fire, updated_at) VALUES (?, ?, ?)"
                    + " ON CONFLICT (task) DO UPDATE SET next_fire = excluded.next_fire,"
                    + " updated_at = excluded.updated_at",
                task,
                nextFire,
                now));
  }

  @Override
  public void clearPlan(String task) {
    sql("clear the plan of task " + task, () -> execute("DELETE FROM plan WHERE task = ?", task));
  }

  // ---- requests

  @Override
  public List<RunRequest> requests() {
    return sql(
        "read run requests",
        () -> {
          List<RunRequest> out = new ArrayList<>();
          try (PreparedStatement ps =
                  prepare(
                      "SELECT id, task, reason, not_before, attempt, fire_time, job_id,"
                          + " requested_at FROM run_requests ORDER BY not_before, id");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.add(
                  new RunRequest(
                      rs.getLong("id"),
                      rs.getString("task"),
                      RunRequest.Reason.valueOf(rs.getString("reason")),
                      instant(rs, "not_before"),
                      rs.getInt("attempt"),
                      instant(rs, "fire_time"),
                      rs.getString("job_id"),
                      instant(rs, "requested_at")));
            }
          }
          return out;
        });
  }

  @Override
  public long addRequest(RunRequest r) {
    return sql(
        "request a run of task " + r.task(),
        () ->
            insert(
                "INSERT INTO run_requests (task, reason, not_before, attempt, fire_time, job_id,"
                    + " requested_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                r.task(),
                r.reason(),
                r.notBefore(),
                r.attempt(),
                r.fireTime(),
                r.jobId(),
                r.requestedAt()));
  }

  @Override
  public boolean takeRequest(long id) {
    return sql(
        "take run request " + id, () -> execute("DELETE FROM run_requests WHERE id = ?", id) == 1);
  }

  @Override
  public boolean claimFire(String task, Instant fireTime, String host, Instant now) {
    return sql(
        "claim the fire of task " + task + " at " + fireTime,
        () ->
            execute(
                    "INSERT INTO fires (task, fire_time, host, claimed_at) VALUES (?, ?, ?, ?)"
                        + " ON CONFLICT (task, fire_time) DO NOTHING",
                    task,
                    fireTime,
                    host,
                    now)
                == 1);
  }

  // ---- worklog

  @Override
  public long runStarted(RunStart s) {
    return sql(
        "record the start of job " + s.jobId(),
        () ->
            insert(
                "INSERT INTO runs (source, task, job_id, job_type, attempt, fire_time, host,"
                    + " started_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                s.source(),
                s.task(),
                s.jobId(),
                s.jobType(),
                s.attempt(),
                s.fireTime(),
                s.host(),
                s.startedAt()));
  }

  @Override
  public Optional<Long> runStartedUnlessOpen(RunStart s) {
    boolean open =
        sql(
            "look up job " + s.jobId(),
            () -> {
              try (PreparedStatement ps =
                      prepare(
                          "SELECT 1 FROM runs WHERE job_id = ? AND attempt = ? AND host = ?"
                              + " AND ended_at IS NULL",
                          s.jobId(),
                          s.attempt(),
                          s.host());
                  ResultSet rs = ps.executeQuery()) {
                return rs.next();
              }
            });
    return open ? Optional.empty() : Optional.of(runStarted(s));
  }

  @Override
  public boolean runEnded(long id, RunEnd e) {
    return sql(
        "record the end of run " + id,
        () ->
            execute(
                    "UPDATE runs SET ended_at = ?, outcome = ?, exit_code = ?,"
                        + " duration_ms = ? - started_at, message = ?, output_tail = ?"
                        + " WHERE id = ? AND ended_at IS NULL",
                    e.endedAt(),
                    e.outcome(),
                    e.exitCode(),
                    e.endedAt(),
                    e.message(),
                    e.outputTail(),
                    id)
                == 1);
  }

  @Override
  public Optional<Long> runEnded(
      String source, String jobId, int attempt, String host, RunEnd end) {
    Optional<Long> id =
        sql(
            "look up job " + jobId,
            () -> {
              try (PreparedStatement ps =
                      prepare(
                          "SELECT id FROM runs WHERE source = ? AND job_id = ? AND attempt = ?"
                              + " AND host = ? AND ended_at IS NULL ORDER BY id DESC",
                          source,
                          jobId,
                          attempt,
                          host);
                  ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.<Long>empty();
              }
            });
    id.ifPresent(i -> runEnded(i, end));
    return id;
  }

  @Override
  public List<Run> closeInterrupted(String host, Instant now) {
    List<Run> open =
        sql(
            "read open runs of host " + host,
            () ->
                readRuns(
                    "SELECT " + RUN_COLUMNS + " FROM runs WHERE host = ? AND ended_at IS NULL",
                    host));
    List<Run> closed = new ArrayList<>();
    for (Run r : open) {
      RunEnd end =
          new RunEnd(
              now,
              RunOutcome.INTERRUPTED,
              null,
              "the host stopped while the run went; closed at the next start",
              "");
      runEnded(r.id(), end);
      closed.add(new Run(r.id(), r.start(), end));
    }
    return closed;
  }

  @Override
  public List<Run> history(HistoryQuery q) {
    StringBuilder sql = new StringBuilder("SELECT " + RUN_COLUMNS + " FROM runs WHERE 1 = 1");
    List<Object> args = new ArrayList<>();
    if (q.subject() != null) {
      sql.append(" AND (task = ? OR (task IS NULL AND job_id = ?))");
      args.add(q.subject());
      args.add(q.subject());
    }
    if (q.failedOnly()) {
      sql.append(" AND outcome IN ('FAILED', 'TIMED_OUT', 'INTERRUPTED')");
    }
    if (q.since() != null) {
      sql.append(" AND started_at >= ?");
      args.add(q.since());
    }
    sql.append(" ORDER BY id DESC LIMIT ?");
    args.add(q.limit());
    return sql("read the worklog", () -> readRuns(sql.toString(), args.toArray()));
  }

  private List<Run> readRuns(String sql, Object... args) throws SQLException {
    List<Run> out = new ArrayList<>();
    try (PreparedStatement ps = prepare(sql, args);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        RunStart start =
            new RunStart(
                rs.getString("source"),
                rs.getString("task"),
                rs.getString("job_id"),
                rs.getString("job_type"),
                rs.getInt("attempt"),
                instant(rs, "fire_time"),
                instant(rs, "started_at"),
                rs.getString("host"));
        Instant ended = instant(rs, "ended_at");
        RunEnd end =
            ended == null
                ? null
                : new RunEnd(
                    ended,
                    RunOutcome.valueOf(rs.getString("outcome")),
                    integer(rs, "exit_code"),
                    rs.getString("message"),
                    rs.getString("output_tail"));
        out.add(new Run(rs.getLong("id"), start, end));
      }
    }
    return out;
  }

  @Override
  public int prune(int keepPerSubject, Instant endedBefore) {
    return sql(
        "prune the worklog",
        () -> {
          int n =
              execute("DELETE FROM runs WHERE ended_at IS NOT NULL AND ended_at < ?", endedBefore);
          n +=
              execute(
                  "DELETE FROM runs WHERE id IN (SELECT id FROM (SELECT id, ROW_NUMBER() OVER"
                      + " (PARTITION BY COALESCE(task, source) ORDER BY id DESC) AS rn FROM runs"
                      + " WHERE ended_at IS NOT NULL) AS ranked WHERE rn > ?)",
                  keepPerSubject);
          execute("DELETE FROM fires WHERE fire_time < ?", endedBefore);
          return n;
        });
  }
}
