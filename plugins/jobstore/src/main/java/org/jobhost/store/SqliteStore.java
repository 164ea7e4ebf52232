package org.jobhost.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Store} on a SQLite file: one connection, write-ahead logging (readers never wait for
 * the writer), a busy timeout (writers of other processes are waited for instead of failing), and
 * {@code BEGIN IMMEDIATE} transactions (a transaction takes the write lock at its start, so two
 * processes never deadlock upgrading a read lock). Thread-safe: transactions run one at a time.
 */
public final class SqliteStore implements Store {

  private static final Logger log = LoggerFactory.getLogger(SqliteStore.class);

  /** How long a transaction waits for another process's write lock before failing. */
  public static final Duration DEFAULT_BUSY_TIMEOUT = Duration.ofSeconds(10);

  /** The file name of the database in the state directory, unless a setting names another. */
  public static final String DEFAULT_FILE_NAME = "jobhost.db";

  private final Path file;
  private final Connection connection;
  private boolean closed;

  private SqliteStore(Path file, Connection connection) {
    this.file = file;
    this.connection = connection;
  }

  /**
   * Opens (creating when absent) the database file and brings its schema up to date.
   *
   * @throws StoreException naming the file when it cannot be opened or migrated
   */
  public static SqliteStore open(Path file, Clock clock) {
    Path abs = file.toAbsolutePath();
    Connection c = Database.openSqlite(abs);
    try {
      int version = Migrations.apply(c, Dialect.SQLITE, abs.toString(), clock);
      log.debug("database={} open at schema version {}", abs, version);
      StatementCache.attach(c);
      return new SqliteStore(abs, c);
    } catch (RuntimeException e) {
      try {
        c.close();
      } catch (SQLException suppressed) {
        e.addSuppressed(suppressed);
      }
      if (SqliteAdvice.notADatabase(e)) {
        throw new StoreException(
            "cannot open database " + abs + ": " + e.getMessage() + SqliteAdvice.forOpen(abs, e),
            e);
      }
      throw e;
    }
  }

  @Override
  public synchronized <T> T transaction(Work<T> work) {
    requireOpen();
    try {
      connection.setAutoCommit(false);
    } catch (SQLException e) {
      throw new StoreException(
          "database " + file + ": cannot begin a transaction: " + e.getMessage(), e);
    }
    try {
      T result = work.apply(new SqlTx(connection, file.toString()));
      connection.commit();
      return result;
    } catch (SQLException e) {
      rollback(e);
      throw new StoreException("database " + file + ": cannot commit: " + e.getMessage(), e);
    } catch (RuntimeException | Error e) {
      rollback(e);
      throw e;
    } finally {
      try {
        connection.setAutoCommit(true);
      } catch (SQLException e) {
        log.warn("database={} cannot return to auto-commit: {}", file, e.toString());
      }
    }
  }

  private void rollback(Throwable cause) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  @Override
  public synchronized long changeCount() {
    requireOpen();
    try (Statement st = connection.createStatement();
        ResultSet rs = st.executeQuery("PRAGMA data_version")) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new StoreException(
          "database " + file + ": cannot read data_version: " + e.getMessage(), e);
    }
  }

  @Override
  public String location() {
    return file.toString();
  }

  /** The database file. */
  public Path file() {
    return file;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      StatementCache.detach(connection);
      connection.close();
    } catch (SQLException e) {
      log.warn("database={} close failed: {}", file, e.toString());
    }
  }

  private void requireOpen() {
    if (closed) {
      throw new StoreException("database " + file + " is closed");
    }
  }
}
