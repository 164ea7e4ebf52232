package org.jobhost.store;

import static org.jobhost.store.Jdbc.execute;
import static org.jobhost.store.Jdbc.first;
import static org.jobhost.store.Jdbc.prepare;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an operator (or a view) does to the job queue: count and list jobs, queue dead ones again,
 * and cancel queued ones.
 *
 * <p>Thread-safe: each method is one transaction on the {@link Database}.
 */
public final class QueueAdmin {

  private final Database db;
  private final String now;

  /** Admin operations on an open database. */
  public QueueAdmin(Database db) {
    this.db = db;
    this.now = db.dialect().nowMillis();
  }

  /** Job counts by type, then state. */
  public Map<String, Map<String, Long>> stats() {
    return db.transaction(
        "count jobs",
        c -> {
          Map<String, Map<String, Long>> out = new LinkedHashMap<>();
          try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT type, state, COUNT(*) FROM jobs GROUP BY type, state ORDER BY type,"
                          + " state");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>())
                  .put(rs.getString(2), rs.getLong(3));
            }
          }
          return out;
        });
  }

  /**
   * What this queue's rows tell about a job type: whether a host ever ran a job of it to success
   * (or runs one now), and the error of the newest job of it that died because its host had no
   * runner for it. The hosts do not record which types they can run; this is the evidence there is,
   * and it fades as ended jobs are pruned.
   *
   * @param ran a job of the type succeeded or is running
   * @param noRunner the {@code last_error} of the newest dead job of the type that found no runner,
   *     or {@code null}
   */
  public record TypeRecord(boolean ran, String noRunner) {}

  /** The evidence this queue holds about whether some host can run {@code type}. */
  public TypeRecord typeRecord(String type) {
    return db.transaction(
        "read what the queue knows about type " + type,
        c -> {
          boolean ran =
              first(
                      c,
                      "SELECT COUNT(*) FROM jobs WHERE type = ? AND state IN ('succeeded',"
                          + " 'running')",
                      rs -> rs.getLong(1) > 0,
                      type)
                  .orElseThrow();
          String noRunner =
              first(
                      c,
                      "SELECT last_error FROM jobs WHERE type = ? AND state = 'dead' AND"
                          + " last_error LIKE 'no runner for job type%' ORDER BY id DESC LIMIT 1",
                      rs -> rs.getString(1),
                      type)
                  .orElse(null);
          return new TypeRecord(ran, noRunner);
        });
  }

  /** Jobs in {@code state}, oldest first, at most {@code limit}. */
  public List<QueuedJob> jobs(JobState state, int limit) {
    return db.transaction(
        "list " + state.sql() + " jobs",
        c -> {
          try (PreparedStatement ps =
              prepare(
                  c,
                  "SELECT " + JobRows.COLUMNS + " FROM jobs WHERE state = ? ORDER BY id LIMIT ?",
                  state,
                  limit)) {
            return JobRows.read(ps);
          }
        });
  }

  /** One job. */
  public Optional<QueuedJob> job(long id) {
    return db.transaction(
        "read job " + id,
        c -> {
          try (PreparedStatement ps =
              prepare(c, "SELECT " + JobRows.COLUMNS + " FROM jobs WHERE id = ?", id)) {
            return JobRows.read(ps).stream().findFirst();
          }
        });
  }

  /**
   * Queues a dead or cancelled job again, from attempt 1, due now.
   *
   * @return {@code false} when there is no such dead or cancelled job
   * @throws StoreException when a live job holds its unique key
   */
  public boolean requeue(long id) {
    return Jdbc.changed(
        db,
        "queue job " + id + " again",
        "UPDATE jobs SET state = 'queued', attempt = 1, run_at = "
            + now
            + ", ended_at = NULL, claimed_by = NULL WHERE id = ? AND state IN ('dead',"
            + " 'cancelled')",
        id);
  }

  /** Queues every dead job again; returns how many. Jobs whose unique key is live again stay. */
  public int requeueAllDead() {
    return db.transaction(
        "queue all dead jobs again",
        c ->
            execute(
                c,
                "UPDATE jobs SET state = 'queued', attempt = 1, run_at = "
                    + now
                    + ", ended_at = NULL, claimed_by = NULL WHERE state = 'dead' AND (unique_key IS"
                    + " NULL OR unique_key NOT IN (SELECT unique_key FROM jobs WHERE state IN"
                    + " ('queued', 'running') AND unique_key IS NOT NULL))"));
  }

  /**
   * Cancels a queued job (a running one cannot be stopped from here).
   *
   * @return {@code false} when there is no queued job with that id
   */
  public boolean cancel(long id) {
    return Jdbc.changed(
        db,
        "cancel job " + id,
        "UPDATE jobs SET state = 'cancelled', ended_at = "
            + now
            + " WHERE id = ? AND state = 'queued'",
        id);
  }
}
