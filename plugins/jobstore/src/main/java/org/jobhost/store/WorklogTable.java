package org.jobhost.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The worklog verbs of {@link Store.Tx} over the {@code runs} table (pruning also drops old rows of
 * {@code fires}). Confined to the thread of one transaction.
 */
final class WorklogTable {

  private static final String RUN_COLUMNS =
      "id, source, task, job_id, job_type, attempt, fire_time, host, started_at, ended_at,"
          + " outcome, exit_code, message, output_tail";

  private final TxSql tx;

  WorklogTable(TxSql tx) {
    this.tx = tx;
  }

  long runStarted(RunStart s) {
    return tx.sql(
        "record the start of job " + s.jobId(),
        () ->
            tx.insert(
                "INSERT INTO runs (source, task, job_id, job_type, attempt, fire_time, host,"
                    + " started_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                s.source(),
                s.task(),
                s.jobId(),
                s.jobType(),
                s.attempt(),
                s.fireTime(),
                s.host(),
                s.startedAt()));
  }

  Optional<Long> runStartedUnlessOpen(RunStart s) {
    boolean open =
        tx.sql(
            "look up job " + s.jobId(),
            () ->
                tx.first(
                        "SELECT 1 FROM runs WHERE job_id = ? AND attempt = ? AND host = ?"
                            + " AND ended_at IS NULL",
                        rs -> true,
                        s.jobId(),
                        s.attempt(),
                        s.host())
                    .isPresent());
    return open ? Optional.empty() : Optional.of(runStarted(s));
  }

  /** The update that closes a run; its values come from {@link #ended}, then the WHERE's. */
  private static final String SET_ENDED =
      "UPDATE runs SET ended_at = ?, outcome = ?, exit_code = ?,"
          + " duration_ms = ? - started_at, message = ?, output_tail = ?";

  /** The values of {@link #SET_ENDED} for {@code e}, followed by {@code where}. */
  private static Object[] ended(RunEnd e, Object... where) {
    List<Object> values = new ArrayList<>();
    values.add(e.endedAt());
    values.add(e.outcome());
    values.add(e.exitCode());
    values.add(e.endedAt());
    values.add(e.message());
    values.add(e.outputTail());
    values.addAll(Arrays.asList(where));
    return values.toArray();
  }

  boolean runEnded(long id, RunEnd e) {
    return tx.sql(
        "record the end of run " + id,
        () -> tx.execute(SET_ENDED + " WHERE id = ? AND ended_at IS NULL", ended(e, id)) == 1);
  }

  /**
   * Closes the newest open run of the job in one statement (a job's end is written once per job, so
   * the lookup and the update are not two round trips).
   */
  Optional<Long> runEnded(String source, String jobId, int attempt, String host, RunEnd e) {
    return tx.sql(
        "record the end of job " + jobId,
        () ->
            tx.first(
                SET_ENDED
                    + " WHERE id = (SELECT id FROM runs WHERE source = ? AND job_id = ?"
                    + " AND attempt = ? AND host = ? AND ended_at IS NULL"
                    + " ORDER BY id DESC LIMIT 1) RETURNING id",
                rs -> rs.getLong(1),
                ended(e, source, jobId, attempt, host)));
  }

  List<Run> closeInterrupted(String host, Instant now) {
    List<Run> open =
        tx.sql(
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

  List<Run> history(HistoryQuery q) {
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
    return tx.sql("read the worklog", () -> readRuns(sql.toString(), args.toArray()));
  }

  private List<Run> readRuns(String sql, Object... args) throws SQLException {
    return tx.list(sql, WorklogTable::run, args);
  }

  private static Run run(ResultSet rs) throws SQLException {
    RunStart start =
        new RunStart(
            rs.getString("source"),
            rs.getString("task"),
            rs.getString("job_id"),
            rs.getString("job_type"),
            rs.getInt("attempt"),
            Jdbc.instant(rs, "fire_time"),
            Jdbc.instant(rs, "started_at"),
            rs.getString("host"));
    Instant ended = Jdbc.instant(rs, "ended_at");
    RunEnd end =
        ended == null
            ? null
            : new RunEnd(
                ended,
                RunOutcome.valueOf(rs.getString("outcome")),
                Jdbc.integer(rs, "exit_code"),
                rs.getString("message"),
                rs.getString("output_tail"));
    return new Run(rs.getLong("id"), start, end);
  }

  int prune(int keepPerSubject, Instant endedBefore) {
    return tx.sql(
        "prune the worklog",
        () -> {
          int n =
              tx.execute(
                  "DELETE FROM runs WHERE ended_at IS NOT NULL AND ended_at < ?", endedBefore);
          n +=
              tx.execute(
                  "DELETE FROM runs WHERE id IN (SELECT id FROM (SELECT id, ROW_NUMBER() OVER"
                      + " (PARTITION BY COALESCE(task, source) ORDER BY id DESC) AS rn FROM runs"
                      + " WHERE ended_at IS NOT NULL) AS ranked WHERE rn > ?)",
                  keepPerSubject);
          tx.execute("DELETE FROM fires WHERE fire_time < ?", endedBefore);
          return n;
        });
  }
}
