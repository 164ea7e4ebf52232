package org.jobhost.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SQLite's one connection keeps the statements it ran, and what it keeps never goes stale. */
class StatementCacheTest {

  @TempDir Path dir;

  private Database open() {
    return Database.open(DatabaseSettings.sqlite(dir.resolve("t.db")), "test", Clock.systemUTC());
  }

  private static Connection connectionOf(Database db) {
    AtomicReference<Connection> c = new AtomicReference<>();
    db.autocommit("look at the connection", conn -> c.getAndSet(conn));
    return c.get();
  }

  private static long count(Database db) {
    return db.autocommit(
        "count", c -> Jdbc.first(c, "SELECT COUNT(*) FROM t", rs -> rs.getLong(1)).orElseThrow());
  }

  private static long max(Database db) {
    return db.autocommit(
        "max", c -> Jdbc.first(c, "SELECT MAX(v) FROM t", rs -> rs.getLong(1)).orElseThrow());
  }

  @Test
  void aStatementRunAgainIsTheOneKeptAndTheCacheIsBoundedAndEmptiedAtClose() {
    Connection c;
    try (Database db = open()) {
      c = connectionOf(db);
      db.transaction("create", x -> Jdbc.execute(x, "CREATE TABLE t (v INTEGER NOT NULL)"));
      int before = StatementCache.size(c);
      for (int i = 0; i < 5; i++) {
        long v = i;
        db.transaction(
            "insert", x -> Jdbc.insert(x, "INSERT INTO t (v) VALUES (?) RETURNING rowid", v));
      }
      assertThat(StatementCache.size(c)).as("one statement for five inserts").isEqualTo(before + 1);
      assertThat(count(db)).isEqualTo(5);

      for (int i = 0; i < StatementCache.SIZE + 10; i++) {
        String sql = "SELECT v + " + i + " FROM t";
        db.autocommit("read", x -> Jdbc.list(x, sql, rs -> rs.getLong(1)));
      }
      assertThat(StatementCache.size(c)).isEqualTo(StatementCache.SIZE);
    }
    assertThat(StatementCache.size(c)).as("closed with the database").isZero();
  }

  @Test
  void aStatementThatFailedIsDroppedAndTheNextRunOfItsSqlWorks() {
    try (Database db = open()) {
      Connection c = connectionOf(db);
      db.transaction("create", x -> Jdbc.execute(x, "CREATE TABLE t (v INTEGER NOT NULL)"));
      int before = StatementCache.size(c);
      String insert = "INSERT INTO t (v) VALUES (?) RETURNING rowid";

      assertThatThrownBy(
              () -> db.transaction("insert null", x -> Jdbc.insert(x, insert, (Object) null)))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("NOT NULL");
      assertThat(StatementCache.size(c)).as("the failed statement is not kept").isEqualTo(before);

      db.transaction("insert", x -> Jdbc.insert(x, insert, 7));
      assertThat(count(db)).isEqualTo(1);
    }
  }

  @Test
  void aKeptQueryStillSeesWhatAnotherConnectionCommitsAfterIt() {
    try (Database a = open();
        Database b = open()) {
      a.transaction("create", x -> Jdbc.execute(x, "CREATE TABLE t (v INTEGER NOT NULL)"));
      assertThat(count(b)).isZero();

      a.transaction(
          "insert", x -> Jdbc.insert(x, "INSERT INTO t (v) VALUES (?) RETURNING rowid", 1));
      // another statement of the same connection: a kept one left open would pin its snapshot
      assertThat(max(b)).as("the kept statement holds no old snapshot").isEqualTo(1);
      assertThat(count(b)).isEqualTo(1);
      a.transaction(
          "insert", x -> Jdbc.insert(x, "INSERT INTO t (v) VALUES (?) RETURNING rowid", 2));
      assertThat(max(b)).isEqualTo(2);
      assertThat(count(b)).isEqualTo(2);
      assertThat(StatementCache.size(connectionOf(b))).isPositive();
    }
  }
}
