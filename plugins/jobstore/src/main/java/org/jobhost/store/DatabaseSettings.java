package org.jobhost.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.jobhost.api.PluginContext;
import org.jobhost.api.PluginSettings;
import org.jobhost.api.SettingsException;

/**
 * Where a plugin's data lives: a SQLite file (the default, one host) or a PostgreSQL server (many
 * hosts). Read from the plugin's own section with the same keys in every plugin that uses the store
 * ({@code [plugins.cron]}, {@code [plugins.queue]}), so that switching to PostgreSQL is a config
 * change:
 *
 * <pre>
 * database_url = "jdbc:postgresql://db.example.com:5432/jobhost"
 * database_user = "jobhost"
 * database_password_file = "/etc/jobhost/db-password"   # or database_password = "..."
 * pool_size = 4
 * </pre>
 *
 * Immutable.
 *
 * @param url {@code jdbc:postgresql://...} or {@code jdbc:sqlite:/path/file.db}
 * @param user the database user, or {@code null} (SQLite, or from the URL)
 * @param password the password, or {@code null}
 * @param poolSize connections kept open (PostgreSQL)
 */
public record DatabaseSettings(String url, String user, String password, int poolSize) {

  /** Connections per plugin and host: the dispatcher, a few workers and a heartbeat thread. */
  public static final int DEFAULT_POOL_SIZE = 4;

  /** The keys this record reads; a plugin adds them to its known keys. */
  public static final Set<String> KEYS =
      Set.of(
          "database",
          "database_url",
          "database_user",
          "database_password",
          "database_password_file",
          "pool_size");

  /** Validates. */
  public DatabaseSettings {
    if (url == null || !url.startsWith("jdbc:")) {
      throw new IllegalArgumentException(
          "database url must start with jdbc:postgresql: or jdbc:sqlite: (was " + url + ")");
    }
    if (poolSize < 1) {
      throw new IllegalArgumentException("pool_size must be at least 1 (was " + poolSize + ")");
    }
  }

  /** A SQLite file. */
  public static DatabaseSettings sqlite(Path file) {
    return new DatabaseSettings("jdbc:sqlite:" + file.toAbsolutePath(), null, null, 1);
  }

  /** The dialect of {@link #url}. */
  public Dialect dialect() {
    return Dialect.ofUrl(url);
  }

  /** The SQLite file, for {@link Dialect#SQLITE}. */
  public Path sqliteFile() {
    return Path.of(url.substring("jdbc:sqlite:".length()));
  }

  /** The URL without credentials, for messages. */
  public String location() {
    int q = url.indexOf('?');
    return q < 0 ? url : url.substring(0, q);
  }

  /**
   * Reads {@code database_url} (with user, password or password file, pool size); without it, the
   * SQLite file {@code database} (relative to the home directory) or {@code defaultFile}.
   *
   * @throws SettingsException naming the key, its place and what to do
   */
  public static DatabaseSettings parse(PluginSettings s, PluginContext context, Path defaultFile) {
    long pool = s.integer("pool_size", DEFAULT_POOL_SIZE);
    if (pool < 1 || pool > 1000) {
      throw s.invalid("pool_size", "must be between 1 and 1000 (was " + pool + ")");
    }
    if (s.has("database_url")) {
      String url = s.string("database_url").orElse("");
      if (!url.startsWith("jdbc:postgresql:") && !url.startsWith("jdbc:sqlite:")) {
        throw s.invalid(
            "database_url",
            "must start with jdbc:postgresql:// or jdbc:sqlite: (was \""
                + url
                + "\"); for example jdbc:postgresql://db.example.com:5432/jobhost");
      }
      if (s.has("database_password") && s.has("database_password_file")) {
        throw s.invalid(
            "database_password_file", "and database_password are both set; keep one of them");
      }
      String password = s.string("database_password").orElse(null);
      if (s.has("database_password_file")) {
        Path file = context.homeDirectory().resolve(s.string("database_password_file").get());
        try {
          password = Files.readString(file).strip();
        } catch (IOException e) {
          throw s.invalid(
              "database_password_file",
              "cannot be read ("
                  + file
                  + ": "
                  + e.getMessage()
                  + "); check the path and that the jobhost user may read it");
        }
      }
      return new DatabaseSettings(
          url, s.string("database_user").orElse(null), password, (int) pool);
    }
    Path file =
        s.string("database").map(p -> context.homeDirectory().resolve(p)).orElse(defaultFile);
    return sqlite(file);
  }

  /** How long a connection is awaited from the pool before a transaction fails. */
  static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(10);

  @Override
  public String toString() {
    return "DatabaseSettings[" + location() + ", user=" + user + ", pool_size=" + poolSize + "]";
  }
}
