package org.jobhost.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/**
 * Connections to one database, with its schema brought up to date on open: a HikariCP pool for
 * PostgreSQL, one connection with {@code BEGIN IMMEDIATE} transactions for SQLite (whose writers
 * take turns anyway).
 *
 * <p>Thread-safe: on PostgreSQL transactions run in parallel on pooled connections; on SQLite they
 * run one after another.
 */
public final class Database implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Database.class);

  private final DatabaseSettings settings;
  private final Connections connections;
  private volatile boolean closed;

  private Database(DatabaseSettings settings, Connections connections) {
    this.settings = settings;
    this.connections = connections;
  }

  /** Work inside one transaction. */
  @FunctionalInterface
  public interface SqlWork<T> {
    /** Does the work on a connection in a transaction; it commits when this returns. */
    T apply(Connection c) throws SQLException;
  }

  /**
   * Opens the database and applies the migrations it has not seen.
   *
   * @param name who opens it, for the pool's thread names ({@code cron}, {@code queue})
   * @throws StoreException naming the database when it cannot be reached or migrated
   */
  public static Database open(DatabaseSettings settings, String name, Clock clock) {
    if (settings.dialect() == Dialect.SQLITE) {
      Connection c = openSqlite(settings.sqliteFile());
      StatementCache.attach(c);
      Database db = new Database(settings, new OneConnection(c));
      try {
        db.migrate(c, clock);
      } catch (StoreException e) {
        StatementCache.detach(c);
        try {
          c.close();
        } catch (SQLException suppressed) {
          e.addSuppressed(suppressed);
        }
        if (SqliteAdvice.notADatabase(e)) {
          Path abs = settings.sqliteFile().toAbsolutePath();
          throw new StoreException(
              "cannot open database " + abs + ": " + e.getMessage() + SqliteAdvice.forOpen(abs, e),
              e);
        }
        throw e;
      }
      return db;
    }
    HikariConfig hc = new HikariConfig();
    hc.setJdbcUrl(settings.url());
    // Named, so the driver loads through this plugin's class loader: DriverManager only sees
    // drivers on the application class path, never those inside a plugin jar.
    hc.setDriverClassName(org.postgresql.Driver.class.getName());
    hc.setUsername(settings.user());
    hc.setPassword(settings.password());
    hc.setMaximumPoolSize(settings.poolSize());
    hc.setMinimumIdle(1);
    hc.setPoolName("jobhost-" + name);
    hc.setAutoCommit(true);
    hc.setConnectionTimeout(DatabaseSettings.CONNECTION_TIMEOUT.toMillis());
    hc.setInitializationFailTimeout(DatabaseSettings.CONNECTION_TIMEOUT.toMillis());
    HikariDataSource ds;
    try {
      ds = new HikariDataSource(hc);
    } catch (RuntimeException e) {
      throw new StoreException(
          "cannot connect to database "
              + settings.location()
              + " as "
              + settings.user()
              + ": "
              + e.getMessage()
              + "; check database_url, database_user and the password, and that the server runs",
          e);
    }
    Database db = new Database(settings, new Pool(ds));
    try (Connection c = ds.getConnection()) {
      db.migrate(c, clock);
    } catch (SQLException | RuntimeException e) {
      ds.close();
      throw e instanceof StoreException
          ? (StoreException) e
          : new StoreException(
              "cannot migrate database " + settings.location() + ": " + e.getMessage(), e);
    }
    return db;
  }

  private void migrate(Connection c, Clock clock) {
    int v = Migrations.apply(c, settings.dialect(), settings.location(), clock);
    log.debug("database={} open at schema version {}", settings.location(), v);
  }

  static Connection openSqlite(Path file) {
    Path abs = file.toAbsolutePath();
    try {
      if (abs.getParent() != null) {
        Files.createDirectories(abs.getParent());
      }
    } catch (IOException e) {
      throw new StoreException(
          "cannot create the directory of database " + abs + ": " + e + "; check permissions", e);
    }
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
    config.setBusyTimeout((int) SqliteStore.DEFAULT_BUSY_TIMEOUT.toMillis());
    config.enforceForeignKeys(true);
    config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
    try {
      return config.createConnection("jdbc:sqlite:" + abs);
    } catch (SQLException e) {
      throw new StoreException(
          "cannot open database " + abs + ": " + e.getMessage() + SqliteAdvice.forOpen(abs, e), e);
    }
  }

  /** The dialect. */
  public Dialect dialect() {
    return settings.dialect();
  }

  /** The URL without credentials, for messages. */
  public String location() {
    return settings.location();
  }

  /**
   * Runs {@code work} in one transaction: committed when it returns, rolled back when it throws.
   *
   * @param what what the work does, for the error message ({@code "claim jobs"})
   * @throws StoreException naming the database and {@code what}
   */
  public <T> T transaction(String what, SqlWork<T> work) {
    return onConnection(what, c -> inTransaction(c, work));
  }

  /**
   * Runs {@code work} outside a transaction, in autocommit mode: for a read that must take no lock,
   * such as SQLite's {@code PRAGMA data_version} (a transaction here begins IMMEDIATE, which takes
   * the write lock and waits for every other writer of the file).
   *
   * @param what what the work does, for the error message
   * @throws StoreException naming the database and {@code what}
   */
  public <T> T autocommit(String what, SqlWork<T> work) {
    return onConnection(what, work);
  }

  /** Runs {@code work} on a connection as it is; a failure names the database and {@code what}. */
  private <T> T onConnection(String what, SqlWork<T> work) {
    if (closed) {
      throw new StoreException("database " + location() + " is closed; cannot " + what);
    }
    try {
      return connections.use(work);
    } catch (SQLException e) {
      throw new StoreException(
          "database " + location() + ": cannot " + what + ": " + e.getMessage(), e);
    }
  }

  /** Runs {@code work} on {@code c} with auto-commit off, and commits or rolls back. */
  private static <T> T inTransaction(Connection c, SqlWork<T> work) throws SQLException {
    c.setAutoCommit(false);
    try {
      T result = work.apply(c);
      c.commit();
      return result;
    } catch (SQLException | RuntimeException | Error e) {
      try {
        c.rollback();
      } catch (SQLException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }

  /**
   * A new connection outside the pool, for a long-lived {@code LISTEN} (PostgreSQL only). The
   * caller closes it.
   */
  public Connection dedicatedConnection() throws SQLException {
    if (dialect() != Dialect.POSTGRESQL) {
      throw new SQLException("a dedicated connection is for PostgreSQL only");
    }
    Properties p = new Properties();
    if (settings.user() != null) {
      p.setProperty("user", settings.user());
    }
    if (settings.password() != null) {
      p.setProperty("password", settings.password());
    }
    Connection c = new org.postgresql.Driver().connect(settings.url(), p);
    if (c == null) {
      throw new SQLException("not a PostgreSQL url: " + settings.location());
    }
    return c;
  }

  /** Closes the pool or connection. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      connections.close();
    } catch (SQLException e) {
      log.warn("database={} close failed: {}", location(), e.toString());
    }
  }

  /** Where the work of a transaction gets its connection. */
  private interface Connections {
    /** Runs {@code work} on a connection. */
    <T> T use(SqlWork<T> work) throws SQLException;

    /** Closes every connection. */
    void close() throws SQLException;
  }

  /**
   * SQLite: one connection, on which transactions take turns (its writers do anyway), with the
   * statements it ran kept for the next turn ({@link StatementCache}).
   */
  private record OneConnection(Connection connection) implements Connections {
    @Override
    public <T> T use(SqlWork<T> work) throws SQLException {
      synchronized (connection) {
        return work.apply(connection);
      }
    }

    @Override
    public void close() throws SQLException {
      synchronized (connection) {
        StatementCache.detach(connection);
        connection.close();
      }
    }
  }

  /** PostgreSQL: a HikariCP pool, whose connections run transactions in parallel. */
  private record Pool(HikariDataSource pool) implements Connections {
    @Override
    public <T> T use(SqlWork<T> work) throws SQLException {
      try (Connection c = pool.getConnection()) {
        return work.apply(c);
      }
    }

    @Override
    public void close() {
      pool.close();
    }
  }
}
