package org.jobhost.client;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.OptionalLong;

/**
 * Enqueues jobs for the jobhost {@code queue} plugin through the caller's own connection, so a job
 * is committed (or rolled back) together with the caller's work: an order row and the job that
 * mails its confirmation commit at once or not at all.
 *
 * <pre>{@code
 * try (Connection c = dataSource.getConnection()) {
 *   c.setAutoCommit(false);
 *   insertOrder(c, order);
 *   JobQueueClient.enqueue(c, NewJob.of("command", Map.of("argv", "mail-confirmation " + id)));
 *   c.commit();
 * }
 * }</pre>
 *
 * <p>Works on PostgreSQL (where it also sends {@code NOTIFY jobhost_jobs}, delivered at commit,
 * which wakes idle hosts at once) and on SQLite. The schema is the one the queue plugin creates;
 * start a host once against the database before enqueueing. Stateless and thread-safe; the
 * connection is the caller's and is neither committed nor closed here.
 */
public final class JobQueueClient {

  /** The channel idle hosts listen on (PostgreSQL). */
  public static final String CHANNEL = "jobhost_jobs";

  private JobQueueClient() {}

  /**
   * Inserts the job.
   *
   * @return the new job's id, or empty when a job with the same unique key is queued or running
   *     (then nothing was inserted)
   * @throws SQLException from the driver, for example when the {@code jobs} table does not exist
   */
  public static OptionalLong enqueue(Connection connection, NewJob job) throws SQLException {
    SqlDialect dialect = SqlDialect.of(connection);
    boolean postgres = dialect == SqlDialect.POSTGRESQL;
    String now = dialect.nowMillis();
    String sql =
        "INSERT INTO jobs (type, params, priority, run_at, attempt, max_attempts, timeout_ms,"
            + " unique_key, state, created_at) VALUES (?, ?, ?, "
            + (job.runAt() == null ? now : "?")
            + ", 1, ?, ?, ?, 'queued', "
            + now
            + ") ON CONFLICT DO NOTHING RETURNING id";
    OptionalLong id;
    try (PreparedStatement ps = connection.prepareStatement(sql)) {
      int i = 1;
      ps.setString(i++, job.type());
      ps.setString(i++, Params.toJson(job.params()));
      ps.setInt(i++, job.priority());
      if (job.runAt() != null) {
        ps.setLong(i++, job.runAt().toEpochMilli());
      }
      ps.setInt(i++, job.maxAttempts());
      if (job.timeout() == null) {
        ps.setNull(i++, Types.BIGINT);
      } else {
        ps.setLong(i++, job.timeout().toMillis());
      }
      if (job.uniqueKey() == null) {
        ps.setNull(i++, Types.VARCHAR);
      } else {
        ps.setString(i++, job.uniqueKey());
      }
      try (ResultSet rs = ps.executeQuery()) {
        id = rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
      }
    }
    if (postgres && id.isPresent()) {
      try (Statement st = connection.createStatement()) {
        st.execute("NOTIFY " + CHANNEL);
      }
    }
    return id;
  }
}
