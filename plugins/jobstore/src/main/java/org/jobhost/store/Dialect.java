package org.jobhost.store;

/** The SQL dialects the store speaks; each has its migration scripts under its {@link #dir()}. */
public enum Dialect {
  /** One file, one writer at a time: for a single host. */
  SQLITE("sqlite", "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)", ""),
  /** A server shared by many hosts. */
  POSTGRESQL(
      "postgresql",
      "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)",
      " FOR UPDATE SKIP LOCKED");

  private final String dir;
  private final String now;
  private final String skipLocked;

  Dialect(String dir, String now, String skipLocked) {
    this.dir = dir;
    this.now = now;
    this.skipLocked = skipLocked;
  }

  /** The resource directory of the migration scripts. */
  public String dir() {
    return dir;
  }

  /**
   * An SQL expression for the database's clock in epoch milliseconds: due times are compared with
   * it, so hosts whose clocks drift still agree.
   */
  public String nowMillis() {
    return now;
  }

  /**
   * Appended to a {@code SELECT} that picks rows to claim: on PostgreSQL, rows locked by another
   * transaction are skipped instead of waited for; SQLite needs nothing (one writer at a time).
   */
  public String skipLocked() {
    return skipLocked;
  }

  /** The dialect of a JDBC URL: {@code jdbc:postgresql:} or else SQLite. */
  public static Dialect ofUrl(String url) {
    return url.startsWith("jdbc:postgresql:") ? POSTGRESQL : SQLITE;
  }
}
