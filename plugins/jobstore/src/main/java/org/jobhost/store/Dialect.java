package org.jobhost.store;

import java.util.Locale;
import org.jobhost.client.SqlDialect;

/**
 * The SQL dialects the store speaks; each has its migration scripts under its {@link #dir()}. The
 * database clock and the recognition of a dialect are the client's ({@link SqlDialect}), which
 * enqueues into the same table.
 */
public enum Dialect {
  /** One file, one writer at a time: for a single host. */
  SQLITE(SqlDialect.SQLITE, ""),
  /** A server shared by many hosts. */
  POSTGRESQL(SqlDialect.POSTGRESQL, " FOR UPDATE SKIP LOCKED");

  private final SqlDialect sql;
  private final String skipLocked;

  Dialect(SqlDialect sql, String skipLocked) {
    this.sql = sql;
    this.skipLocked = skipLocked;
  }

  /** The resource directory of the migration scripts: the name in lower case ({@code sqlite}). */
  public String dir() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * An SQL expression for the database's clock in epoch milliseconds: due times are compared with
   * it, so hosts whose clocks drift still agree.
   */
  public String nowMillis() {
    return sql.nowMillis();
  }

  /**
   * Appended to a {@code SELECT} that picks rows to claim: on PostgreSQL, rows locked by another
   * transaction are skipped instead of waited for; SQLite needs nothing (one writer at a time).
   */
  public String skipLocked() {
    return skipLocked;
  }

  /** The dialect of a JDBC URL: {@code jdbc:postgresql:} or else SQLite (as the client decides). */
  public static Dialect ofUrl(String url) {
    return SqlDialect.ofUrl(url) == SqlDialect.POSTGRESQL ? POSTGRESQL : SQLITE;
  }
}
