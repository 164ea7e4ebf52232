package org.jobhost.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the numbered scripts {@code <dialect>/001.sql, 002.sql, ...} that a database has not seen
 * yet, in one transaction, and records each in {@code schema_version}. A script's first line
 * ({@code -- what it does}) is its description. Scripts are never edited once released: a change to
 * the schema is a new script. Stateless.
 */
final class Migrations {

  private static final Logger log = LoggerFactory.getLogger(Migrations.class);

  /** The advisory lock key that serialises migrations on PostgreSQL ("jobhost" in ASCII). */
  private static final long MIGRATION_LOCK = 0x6a6f62686f7374L;

  private Migrations() {}

  /** A script: its version and statements. */
  record Script(int version, String description, List<String> statements) {}

  /** The dialect's scripts, in order. */
  static List<Script> scripts(Dialect dialect) {
    List<Script> out = new ArrayList<>();
    for (int v = 1; ; v++) {
      String name = dialect.dir() + "/" + String.format("%03d.sql", v);
      try (InputStream in = Migrations.class.getResourceAsStream(name)) {
        if (in == null) {
          return out;
        }
        out.add(parse(v, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
      } catch (IOException e) {
        throw new StoreException("cannot read migration script " + name + ": " + e, e);
      }
    }
  }

  static Script parse(int version, String text) {
    String description = "";
    StringBuilder sql = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      String t = line.strip();
      if (t.startsWith("--")) {
        if (description.isEmpty()) {
          description = t.substring(2).strip();
        }
        continue;
      }
      sql.append(line).append('\n');
    }
    List<String> statements = new ArrayList<>();
    for (String s : sql.toString().split(";\\s*\n")) {
      if (!s.isBlank()) {
        statements.add(s.strip());
      }
    }
    return new Script(version, description, List.copyOf(statements));
  }

  /**
   * Brings the schema up to date. The caller's connection must be in auto-commit mode; this opens
   * and ends its own transaction.
   *
   * @return the schema version afterwards
   */
  static int apply(Connection c, Dialect dialect, String location, Clock clock) {
    List<Script> scripts = scripts(dialect);
    try {
      c.setAutoCommit(false);
      try (Statement st = c.createStatement()) {
        if (dialect == Dialect.POSTGRESQL) {
          // Hosts starting together would race on CREATE TABLE; one migrates, the others wait.
          st.execute("SELECT pg_advisory_xact_lock(" + MIGRATION_LOCK + ")");
        }
        st.execute(
            "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL PRIMARY KEY,"
                + " description TEXT NOT NULL, applied_at BIGINT NOT NULL)");
        int current;
        try (ResultSet rs =
            st.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
          rs.next();
          current = rs.getInt(1);
        }
        if (current > scripts.size()) {
          throw new StoreException(
              "database "
                  + location
                  + " has schema version "
                  + current
                  + ", newer than this jobhost knows ("
                  + scripts.size()
                  + "); upgrade jobhost or point the database setting at another file");
        }
        for (Script s : scripts.subList(current, scripts.size())) {
          for (String sql : s.statements()) {
            st.execute(sql);
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)")) {
            ps.setInt(1, s.version());
            ps.setString(2, s.description());
            ps.setLong(3, clock.millis());
            ps.executeUpdate();
          }
          log.info(
              "database={} applied schema migration {}: {}",
              location,
              s.version(),
              s.description());
        }
      }
      c.commit();
      return scripts.size();
    } catch (SQLException | RuntimeException e) {
      try {
        c.rollback();
      } catch (SQLException suppressed) {
        e.addSuppressed(suppressed);
      }
      if (e instanceof StoreException) {
        throw (StoreException) e;
      }
      throw new StoreException(
          "cannot migrate the schema of database " + location + ": " + e.getMessage(), e);
    } finally {
      try {
        c.setAutoCommit(true);
      } catch (SQLException e) {
        log.warn("database={} cannot return to auto-commit: {}", location, e.toString());
      }
    }
  }
}
