package org.jobhost.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one place that turns Java values into statement parameters and columns back into values, for
 * every table of the store: {@code null} binds as an untyped SQL NULL, an {@link Instant} and a
 * {@link Duration} as epoch or plain milliseconds, a {@link Boolean} as 0 or 1, a {@link JobState}
 * as its {@link JobState#sql() column value}, any other enum as its name. Stateless.
 */
final class Jdbc {

  private Jdbc() {}

  /** A statement with {@code args} bound; closed again when binding fails. */
  static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
    PreparedStatement ps = c.prepareStatement(sql);
    try {
      bind(ps, args);
      return ps;
    } catch (SQLException | RuntimeException e) {
      ps.close();
      throw e;
    }
  }

  /** Binds {@code args} to the parameters of {@code ps}, in order. */
  static void bind(PreparedStatement ps, Object... args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      Object a = args[i];
      if (a == null) {
        ps.setNull(i + 1, Types.NULL);
      } else if (a instanceof Instant) {
        ps.setLong(i + 1, ((Instant) a).toEpochMilli());
      } else if (a instanceof Boolean) {
        ps.setInt(i + 1, ((Boolean) a) ? 1 : 0);
      } else if (a instanceof Duration) {
        ps.setLong(i + 1, ((Duration) a).toMillis());
      } else if (a instanceof JobState) {
        ps.setString(i + 1, ((JobState) a).sql());
      } else if (a instanceof Enum<?>) {
        ps.setString(i + 1, ((Enum<?>) a).name());
      } else {
        ps.setObject(i + 1, a);
      }
    }
  }

  /** Runs an update; returns the rows it changed. */
  static int execute(Connection c, String sql, Object... args) throws SQLException {
    try (StatementCache.Use u = StatementCache.use(c, sql, args)) {
      return u.done(u.statement().executeUpdate());
    }
  }

  /** Runs one update in its own transaction on {@code db}; returns whether it changed a row. */
  static boolean changed(Database db, String what, String sql, Object... args) {
    return db.transaction(what, c -> execute(c, sql, args) > 0);
  }

  /**
   * Runs an insert that ends in {@code RETURNING id}; returns that id. (Both dialects return it
   * from the statement itself, where the driver's generated keys would cost SQLite a second query.)
   */
  static long insert(Connection c, String sql, Object... args) throws SQLException {
    Optional<Long> id = first(c, sql, rs -> rs.getLong(1), args);
    if (id.isEmpty()) {
      throw new SQLException("no id returned by: " + sql);
    }
    return id.get();
  }

  /** Reads the current row of a query's result. */
  @FunctionalInterface
  interface Row<T> {
    T read(ResultSet rs) throws SQLException;
  }

  /** Runs a query; returns its rows as {@code row} reads them, in order. */
  static <T> List<T> list(Connection c, String sql, Row<T> row, Object... args)
      throws SQLException {
    try (StatementCache.Use u = StatementCache.use(c, sql, args);
        ResultSet rs = u.statement().executeQuery()) {
      List<T> out = new ArrayList<>();
      while (rs.next()) {
        out.add(row.read(rs));
      }
      return u.done(out);
    }
  }

  /**
   * Runs a query; returns its first row as {@code row} reads it, or empty when it has none (or
   * {@code row} reads it as {@code null}).
   */
  static <T> Optional<T> first(Connection c, String sql, Row<T> row, Object... args)
      throws SQLException {
    try (StatementCache.Use u = StatementCache.use(c, sql, args);
        ResultSet rs = u.statement().executeQuery()) {
      return u.done(rs.next() ? Optional.ofNullable(row.read(rs)) : Optional.empty());
    }
  }

  /** An epoch-milliseconds column as an instant, or {@code null}. */
  static Instant instant(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : Instant.ofEpochMilli(v);
  }

  /** An integer column, or {@code null}. */
  static Integer integer(ResultSet rs, String column) throws SQLException {
    int v = rs.getInt(column);
    return rs.wasNull() ? null : v;
  }
}
