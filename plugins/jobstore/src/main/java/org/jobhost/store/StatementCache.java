package org.jobhost.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The prepared statements of SQLite's one connection ({@link Database}), kept for the next run of
 * the same SQL instead of compiled again: the SQLite driver keeps none, and compiling the worklog's
 * three statements of a job took longer than running them. At most {@value #SIZE}, the least
 * recently used closed first. A cache is used only under its connection's lock, so it is not
 * synchronized itself. Pooled PostgreSQL connections have none (their driver keeps the server-side
 * statements of the SQL it sees often).
 */
final class StatementCache {

  /** Statements kept per connection: the store's fixed SQL, with room for the built queries. */
  static final int SIZE = 64;

  private static final Map<Connection, StatementCache> BY_CONNECTION =
      Collections.synchronizedMap(new IdentityHashMap<>());

  private final Map<String, PreparedStatement> statements =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
          if (size() <= SIZE) {
            return false;
          }
          closeQuietly(eldest.getValue());
          return true;
        }
      };

  private StatementCache() {}

  /** Gives {@code c} a cache, used from now on by every {@link #use} on it. */
  static void attach(Connection c) {
    BY_CONNECTION.put(c, new StatementCache());
  }

  /** Closes the statements of {@code c}'s cache and forgets it. */
  static void detach(Connection c) {
    StatementCache cache = BY_CONNECTION.remove(c);
    if (cache != null) {
      cache.statements.values().forEach(StatementCache::closeQuietly);
      cache.statements.clear();
    }
  }

  /** How many statements {@code c}'s cache holds (0 without one). */
  static int size(Connection c) {
    StatementCache cache = BY_CONNECTION.get(c);
    return cache == null ? 0 : cache.statements.size();
  }

  /**
   * A statement for {@code sql} with {@code args} bound, from {@code c}'s cache when it has one.
   */
  static Use use(Connection c, String sql, Object... args) throws SQLException {
    StatementCache cache = BY_CONNECTION.get(c);
    PreparedStatement ps = cache == null ? null : cache.statements.get(sql);
    if (ps == null) {
      ps = c.prepareStatement(sql);
      if (cache != null) {
        cache.statements.put(sql, ps);
      }
    }
    Use u = new Use(ps, cache, sql);
    u.bind(args);
    return u;
  }

  private static void closeQuietly(PreparedStatement ps) {
    try {
      ps.close();
    } catch (SQLException ignored) {
      // the connection is closing, or the statement was closed with it
    }
  }

  /**
   * One run of a statement. Closing it closes a statement prepared for this run alone, and hands a
   * cached one back with its parameters cleared, or closes and forgets it when the run did not end
   * in {@link #done}: a statement that failed is not trusted again.
   */
  static final class Use implements AutoCloseable {
    private final PreparedStatement statement;
    private final StatementCache cache;
    private final String sql;
    private boolean done;

    private Use(PreparedStatement statement, StatementCache cache, String sql) {
      this.statement = statement;
      this.cache = cache;
      this.sql = sql;
    }

    private void bind(Object... args) throws SQLException {
      try {
        Jdbc.bind(statement, args);
      } catch (SQLException | RuntimeException e) {
        close();
        throw e;
      }
    }

    /** The statement, its parameters bound. */
    PreparedStatement statement() {
      return statement;
    }

    /** Marks the run as ended well, and returns {@code result}. */
    <T> T done(T result) {
      done = true;
      return result;
    }

    @Override
    public void close() throws SQLException {
      if (cache == null) {
        statement.close();
      } else if (done) {
        statement.clearParameters();
      } else {
        cache.statements.remove(sql);
        statement.close();
      }
    }
  }
}
