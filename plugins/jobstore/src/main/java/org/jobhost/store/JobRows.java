package org.jobhost.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jobhost.client.Params;

/** Reading rows of the {@code jobs} table as {@link QueuedJob}s, for the worker and the admin. */
final class JobRows {

  /** The columns {@link #read} expects, in a {@code SELECT} or a {@code RETURNING}. */
  static final String COLUMNS =
      "id, type, params, priority, run_at, attempt, max_attempts, timeout_ms, unique_key, state,"
          + " claimed_by, last_error";

  private static final int MAX_ERROR = 2000;

  private JobRows() {}

  /** Why a row's params cannot be read, and what to do: a sentence for {@code last_error}. */
  static String badParams(long id, RuntimeException e) {
    return "job "
        + id
        + " has params that are not a JSON object of strings, numbers and booleans ("
        + e.getMessage()
        + "); it was marked dead without running: enqueue it again with valid params";
  }

  /** An error text cut to what {@code last_error} keeps. */
  static String clip(String s) {
    return s == null || s.length() <= MAX_ERROR ? s : s.substring(0, MAX_ERROR);
  }

  /** Rows as jobs; a row whose params cannot be read shows none, with the reason as its error. */
  static List<QueuedJob> read(PreparedStatement ps) throws SQLException {
    return read(ps, null);
  }

  /**
   * Rows as jobs. A row whose {@code params} cannot be read is put into {@code broken} (id →
   * reason) and left out when {@code broken} is given, else shown with no params and the reason as
   * its last error, so that listing a queue never fails on one bad row.
   */
  static List<QueuedJob> read(PreparedStatement ps, Map<Long, String> broken) throws SQLException {
    List<QueuedJob> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        long id = rs.getLong("id");
        long timeout = rs.getLong("timeout_ms");
        Duration t = rs.wasNull() || timeout <= 0 ? null : Duration.ofMillis(timeout);
        Map<String, String> params;
        String lastError = rs.getString("last_error");
        try {
          params = Params.fromJson(rs.getString("params"));
        } catch (RuntimeException e) {
          String reason = badParams(id, e);
          if (broken != null) {
            broken.put(id, reason);
            continue;
          }
          params = Map.of();
          lastError = reason;
        }
        out.add(
            new QueuedJob(
                id,
                rs.getString("type"),
                params,
                rs.getInt("priority"),
                Instant.ofEpochMilli(rs.getLong("run_at")),
                rs.getInt("attempt"),
                rs.getInt("max_attempts"),
                t,
                rs.getString("unique_key"),
                JobState.ofSql(rs.getString("state")),
                rs.getString("claimed_by"),
                lastError));
      }
    }
    return out;
  }
}
