package org.jobhost.client;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;

/**
 * The SQL dialects the queue's {@code jobs} table lives in, and what differs between them for the
 * client and the host alike: the database clock, and how a dialect is recognised. Immutable.
 */
public enum SqlDialect {
  /** SQLite 3.35 or later. */
  SQLITE("CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)"),
  /** PostgreSQL. */
  POSTGRESQL("CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)");

  private final String nowMillis;

  SqlDialect(String nowMillis) {
    this.nowMillis = nowMillis;
  }

  /**
   * An SQL expression for the database's clock in epoch milliseconds: due times are compared with
   * it, so hosts and applications whose clocks drift still agree.
   */
  public String nowMillis() {
    return nowMillis;
  }

  /** The dialect of a JDBC URL: {@code jdbc:postgresql:} or else SQLite. */
  public static SqlDialect ofUrl(String url) {
    return url.startsWith("jdbc:postgresql:") ? POSTGRESQL : SQLITE;
  }

  /**
   * The dialect of an open connection, from the driver's product name: PostgreSQL or else SQLite.
   *
   * @throws SQLException from the driver
   */
  public static SqlDialect of(Connection connection) throws SQLException {
    String product = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
    return product.contains("postgres") ? POSTGRESQL : SQLITE;
  }
}
