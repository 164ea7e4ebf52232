package org.jobhost.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The planning verbs of {@link Store.Tx}: each task's next fire ({@code plan}), pending run
 * requests ({@code run_requests}) and the claims of fires ({@code fires}). Confined to the thread
 * of one transaction.
 */
final class PlanTable {

  private final TxSql tx;

  PlanTable(TxSql tx) {
    this.tx = tx;
  }

  Map<String, Instant> plan() {
    return tx.sql(
        "read the plan",
        () -> {
          Map<String, Instant> out = new HashMap<>();
          try (PreparedStatement ps = tx.prepare("SELECT task, next_fire FROM plan");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.put(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)));
            }
          }
          return out;
        });
  }

  void setPlan(String task, Instant nextFire, Instant now) {
    tx.sql(
        "plan task " + task,
        () ->
            tx.execute(
                "INSERT INTO plan (task, next_fire, updated_at) VALUES (?, ?, ?)"
                    + " ON CONFLICT (task) DO UPDATE SET next_fire = excluded.next_fire,"
                    + " updated_at = excluded.updated_at",
                task,
                nextFire,
                now));
  }

  void clearPlan(String task) {
    tx.sql(
        "clear the plan of task " + task,
        () -> tx.execute("DELETE FROM plan WHERE task = ?", task));
  }

  List<RunRequest> requests() {
    return tx.sql(
        "read run requests",
        () ->
            tx.list(
                "SELECT id, task, reason, not_before, attempt, fire_time, job_id, requested_at"
                    + " FROM run_requests ORDER BY not_before, id",
                rs ->
                    new RunRequest(
                        rs.getLong("id"),
                        rs.getString("task"),
                        RunRequest.Reason.valueOf(rs.getString("reason")),
                        Jdbc.instant(rs, "not_before"),
                        rs.getInt("attempt"),
                        Jdbc.instant(rs, "fire_time"),
                        rs.getString("job_id"),
                        Jdbc.instant(rs, "requested_at"))));
  }

  long addRequest(RunRequest r) {
    return tx.sql(
        "request a run of task " + r.task(),
        () ->
            tx.insert(
                "INSERT INTO run_requests (task, reason, not_before, attempt, fire_time, job_id,"
                    + " requested_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                r.task(),
                r.reason(),
                r.notBefore(),
                r.attempt(),
                r.fireTime(),
                r.jobId(),
                r.requestedAt()));
  }

  boolean takeRequest(long id) {
    return tx.sql(
        "take run request " + id,
        () -> tx.execute("DELETE FROM run_requests WHERE id = ?", id) == 1);
  }

  boolean claimFire(String task, Instant fireTime, String host, Instant now) {
    return tx.sql(
        "claim the fire of task " + task + " at " + fireTime,
        () ->
            tx.execute(
                    "INSERT INTO fires (task, fire_time, host, claimed_at) VALUES (?, ?, ?, ?)"
                        + " ON CONFLICT (task, fire_time) DO NOTHING",
                    task,
                    fireTime,
                    host,
                    now)
                == 1);
  }
}
