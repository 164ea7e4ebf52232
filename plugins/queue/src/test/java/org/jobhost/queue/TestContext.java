package org.jobhost.queue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.jobhost.api.Host;
import org.jobhost.api.Lifecycle;
import org.jobhost.api.PluginContext;
import org.jobhost.api.PluginSettings;
import org.jobhost.api.Signal;
import org.jobhost.api.Stats;
import org.jobhost.store.Dialect;

/**
 * A plugin context over a temporary home with a host that counts wakes; the database is a fresh
 * SQLite file or a fresh database on one embedded PostgreSQL per JVM. Thread-safe.
 */
final class TestContext implements PluginContext {

  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static EmbeddedPostgres server;

  final AtomicInteger wakes = new AtomicInteger();
  volatile long lastWakeNanos;
  private final Path home;
  private final Map<String, Object> values;

  TestContext(Path home, Map<String, Object> values) {
    this.home = home;
    this.values = values;
  }

  /** A context on a fresh database of {@code dialect} with these extra settings. */
  static TestContext fresh(Dialect dialect, Path home, Map<String, Object> extra) {
    Map<String, Object> v = new HashMap<>(extra);
    String name = "q" + COUNTER.incrementAndGet();
    if (dialect == Dialect.POSTGRESQL) {
      EmbeddedPostgres pg = server();
      try (Connection c = pg.getPostgresDatabase().getConnection();
          Statement st = c.createStatement()) {
        st.execute("CREATE DATABASE " + name);
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
      v.put("database_url", pg.getJdbcUrl("postgres", name));
      v.put("database_user", "postgres");
    } else {
      v.put("database", home.resolve(name + ".db").toString());
    }
    return new TestContext(home, v);
  }

  /** Another host's context on the same database. */
  TestContext sibling(String hostName) {
    Map<String, Object> v = new HashMap<>(values);
    v.put("host_name", hostName);
    return new TestContext(home, v);
  }

  static synchronized EmbeddedPostgres server() {
    if (server == null) {
      try {
        server = EmbeddedPostgres.builder().start();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      EmbeddedPostgres s = server;
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      s.close();
                    } catch (IOException e) {
                      // exiting
                    }
                  },
                  "embedded-postgres-stop"));
    }
    return server;
  }

  @Override
  public String pluginId() {
    return "queue";
  }

  @Override
  public PluginSettings settings() {
    return PluginSettings.of("plugins.queue", values, k -> "jobhost.toml key " + k);
  }

  @Override
  public Path stateDirectory() {
    try {
      return Files.createDirectories(home.resolve("state/queue"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Path homeDirectory() {
    return home;
  }

  @Override
  public Clock clock() {
    return Clock.systemUTC();
  }

  @Override
  public Host host() {
    return new Host() {
      @Override
      public void pause() {}

      @Override
      public void resume() {}

      @Override
      public void stop() {}

      @Override
      public void reload() {}

      @Override
      public void resize(int maxWorkers) {}

      @Override
      public void wake() {
        lastWakeNanos = System.nanoTime();
        wakes.incrementAndGet();
      }

      @Override
      public Stats stats() {
        throw new UnsupportedOperationException();
      }

      @Override
      public Lifecycle lifecycle() {
        return Lifecycle.RUNNING;
      }

      @Override
      public int signalChildren(Signal signal) {
        return 0;
      }
    };
  }
}
