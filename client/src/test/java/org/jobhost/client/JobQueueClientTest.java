package org.jobhost.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** On SQLite with the queue's table (the PostgreSQL side is tested with the queue plugin). */
class JobQueueClientTest {

  @TempDir Path dir;

  private Connection connect() throws Exception {
    Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("q.db"));
    try (Statement st = c.createStatement()) {
      st.execute(
          "CREATE TABLE IF NOT EXISTS jobs (id INTEGER PRIMARY KEY AUTOINCREMENT, type TEXT NOT"
              + " NULL, params TEXT NOT NULL DEFAULT '{}', priority INTEGER NOT NULL DEFAULT 0,"
              + " run_at BIGINT NOT NULL, attempt INTEGER NOT NULL DEFAULT 1, max_attempts INTEGER"
              + " NOT NULL DEFAULT 0, timeout_ms BIGINT, unique_key TEXT, state TEXT NOT NULL"
              + " DEFAULT 'queued', created_at BIGINT NOT NULL)");
      st.execute(
          "CREATE UNIQUE INDEX IF NOT EXISTS live ON jobs (unique_key) WHERE state IN ('queued',"
              + " 'running')");
    }
    return c;
  }

  @Test
  void enqueueWritesEveryFieldAndAKeyOfALiveJobIsANoOp() throws Exception {
    try (Connection c = connect()) {
      Instant at = Instant.parse("2030-01-01T00:00:00Z");
      NewJob job =
          NewJob.of("command", Map.of("argv", "true"))
              .withPriority(7)
              .withRunAt(at)
              .withUniqueKey("k")
              .withMaxAttempts(3)
              .withTimeout(java.time.Duration.ofSeconds(9));
      assertThat(JobQueueClient.enqueue(c, job)).hasValue(1);
      assertThat(JobQueueClient.enqueue(c, job)).isEmpty();
      try (Statement st = c.createStatement();
          ResultSet rs =
              st.executeQuery(
                  "SELECT type, params, priority, run_at, max_attempts, timeout_ms, unique_key,"
                      + " state FROM jobs")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("command");
        assertThat(rs.getString(2)).isEqualTo("{\"argv\":\"true\"}");
        assertThat(rs.getInt(3)).isEqualTo(7);
        assertThat(rs.getLong(4)).isEqualTo(at.toEpochMilli());
        assertThat(rs.getInt(5)).isEqualTo(3);
        assertThat(rs.getLong(6)).isEqualTo(9000);
        assertThat(rs.getString(7)).isEqualTo("k");
        assertThat(rs.getString(8)).isEqualTo("queued");
        assertThat(rs.next()).isFalse();
      }
    }
  }
}
