package org.jobhost.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fresh databases for tests: a SQLite file in a directory, or a new database on one embedded
 * PostgreSQL server that the JVM starts on first use and stops at exit. Public for the tests of the
 * plugins built on this library (the test jar). Thread-safe.
 */
public final class TestDatabases {

  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static EmbeddedPostgres server;

  private TestDatabases() {}

  /** The one embedded PostgreSQL server of this JVM, started on first use. */
  public static synchronized EmbeddedPostgres server() {
    if (server == null) {
      try {
        server = EmbeddedPostgres.builder().start();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      EmbeddedPostgres s = server;
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      s.close();
                    } catch (IOException e) {
                      // the JVM is exiting
                    }
                  },
                  "embedded-postgres-stop"));
    }
    return server;
  }

  /** Settings for a new, empty database of this dialect. */
  public static DatabaseSettings fresh(Dialect dialect, Path dir) {
    String name = "t" + COUNTER.incrementAndGet();
    if (dialect == Dialect.SQLITE) {
      return DatabaseSettings.sqlite(dir.resolve(name + ".db"));
    }
    EmbeddedPostgres pg = server();
    try (Connection c = pg.getPostgresDatabase().getConnection();
        Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return new DatabaseSettings(pg.getJdbcUrl("postgres", name), "postgres", null, 8);
  }

  /** A new, empty database of this dialect, open. */
  public static Database open(Dialect dialect, Path dir) {
    return Database.open(fresh(dialect, dir), "test", Clock.systemUTC());
  }
}
