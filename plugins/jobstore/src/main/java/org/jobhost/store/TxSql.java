package org.jobhost.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * The connection of one store transaction, for the table classes that implement {@link Store.Tx}:
 * runs a piece of SQL work and turns its {@link SQLException} into a {@link StoreException} that
 * names the database and what could not be done. Confined to the thread of one transaction.
 */
final class TxSql {

  /** A piece of SQL work. */
  @FunctionalInterface
  interface Sql<T> {
    T run() throws SQLException;
  }

  private final Connection c;
  private final String location;

  TxSql(Connection c, String location) {
    this.c = c;
    this.location = location;
  }

  /** Runs {@code body}; a failure names the database and {@code what} (a verb phrase). */
  <T> T sql(String what, Sql<T> body) {
    try {
      return body.run();
    } catch (SQLException e) {
      throw new StoreException(
          "database " + location + ": cannot " + what + ": " + e.getMessage(), e);
    }
  }

  PreparedStatement prepare(String sql, Object... args) throws SQLException {
    return Jdbc.prepare(c, sql, args);
  }

  int execute(String sql, Object... args) throws SQLException {
    return Jdbc.execute(c, sql, args);
  }

  long insert(String sql, Object... args) throws SQLException {
    return Jdbc.insert(c, sql, args);
  }

  <T> List<T> list(String sql, Jdbc.Row<T> row, Object... args) throws SQLException {
    return Jdbc.list(c, sql, row, args);
  }

  <T> Optional<T> first(String sql, Jdbc.Row<T> row, Object... args) throws SQLException {
    return Jdbc.first(c, sql, row, args);
  }
}
