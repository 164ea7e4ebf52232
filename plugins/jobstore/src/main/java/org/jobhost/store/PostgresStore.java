package org.jobhost.store;

import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The {@link Store} on PostgreSQL, shared by the hosts of a cluster: the same tables and verbs as
 * {@link SqliteStore}, on pooled connections. The {@code fires} table's primary key makes each fire
 * of a task run on exactly one host. Thread-safe: transactions run in parallel on the pool's
 * connections, and PostgreSQL serialises conflicting writes.
 */
public final class PostgresStore implements Store {

  private final Database db;

  private PostgresStore(Database db) {
    this.db = db;
  }

  /**
   * Connects and brings the schema up to date.
   *
   * @throws StoreException naming the database when it cannot be reached or migrated
   */
  public static PostgresStore open(DatabaseSettings settings, String name, Clock clock) {
    if (settings.dialect() != Dialect.POSTGRESQL) {
      throw new StoreException("not a PostgreSQL url: " + settings.location());
    }
    return new PostgresStore(Database.open(settings, name, clock));
  }

  /**
   * Opens the store the settings name: PostgreSQL or SQLite.
   *
   * @throws StoreException naming the database when it cannot be opened or migrated
   */
  public static Store openAny(DatabaseSettings settings, String name, Clock clock) {
    return settings.dialect() == Dialect.POSTGRESQL
        ? open(settings, name, clock)
        : SqliteStore.open(settings.sqliteFile(), clock);
  }

  @Override
  public <T> T transaction(Work<T> work) {
    return db.transaction("run a transaction", c -> work.apply(new SqlTx(c, db.location())));
  }

  /**
   * A number that changes when tasks, the plan or the requests changed (by any host, this one
   * included: PostgreSQL cannot tell them apart cheaply). Four index-only aggregates.
   */
  @Override
  public long changeCount() {
    return db.transaction(
        "read the change count",
        c -> {
          try (Statement st = c.createStatement();
              ResultSet rs =
                  st.executeQuery(
                      "SELECT (SELECT COUNT(*) + COALESCE(MAX(updated_at), 0) FROM tasks)"
                          + " + 31 * (SELECT COUNT(*) + COALESCE(MAX(updated_at), 0) FROM plan)"
                          + " + 961 * (SELECT COUNT(*) + COALESCE(MAX(id), 0) FROM run_requests)")) {
            rs.next();
            return rs.getLong(1);
          }
        });
  }

  /**
   * How far this machine's clock is behind the database's (negative when ahead), measured now. A
   * scheduler adds it to its own clock so that every host agrees on when a fire is due.
   */
  public Duration clockOffset(Clock local) {
    return db.transaction(
        "read the database's clock",
        c -> {
          long before = local.millis();
          try (Statement st = c.createStatement();
              ResultSet rs = st.executeQuery("SELECT " + db.dialect().nowMillis())) {
            rs.next();
            long dbNow = rs.getLong(1);
            long after = local.millis();
            return Duration.ofMillis(dbNow - (before + after) / 2);
          }
        });
  }

  /** The database's time now. */
  public Instant now(Clock local) {
    return local.instant().plus(clockOffset(local));
  }

  @Override
  public String location() {
    return db.location();
  }

  @Override
  public void close() {
    db.close();
  }
}
