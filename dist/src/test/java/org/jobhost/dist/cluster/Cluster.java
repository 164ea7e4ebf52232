package org.jobhost.dist.cluster;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jobhost.testsupport.HostProcess;

/**
 * Host processes of the assembled tree (system property {@code jobhost.tree}) on one fresh database
 * of an embedded PostgreSQL that the test JVM starts. Every process started is stopped by {@link
 * #close}. Not thread-safe: one test thread drives it.
 */
final class Cluster {

  /** Heartbeat and dead-host settings of every host in these tests. */
  static final String HEARTBEAT = "250ms";

  static final String DEAD_AFTER = "2s";

  private static final AtomicInteger COUNTER = new AtomicInteger();

  private final EmbeddedPostgres pg;
  private final Path dir;
  private final String database;
  private final List<Host> hosts = new ArrayList<>();

  /** One started host process. */
  record Host(String name, HostProcess daemon, Path home) {
    long pid() {
      return daemon.pid();
    }

    Process process() {
      return daemon.process();
    }

    String output() {
      return daemon.log();
    }
  }

  Cluster(EmbeddedPostgres pg, Path dir) throws SQLException {
    this.pg = pg;
    this.dir = dir;
    this.database = "c" + COUNTER.incrementAndGet();
    try (Connection c = pg.getPostgresDatabase().getConnection();
        Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + database);
    }
  }

  String url() {
    return pg.getJdbcUrl("postgres", database);
  }

  Connection connect() throws SQLException {
    return DriverManager.getConnection(url(), "postgres", "postgres");
  }

  /** The configuration of a host: the queue and cron plugins on this cluster's database. */
  String config(String name, int workers, String top, String extra) {
    String db =
        "database_url = \""
            + url()
            + "\"\ndatabase_user = \"postgres\"\nhost_name = \""
            + name
            + "\"\n";
    return "max_workers = "
        + workers
        + "\ngrace_timeout = \"15s\"\n"
        + (top.contains("idle_time") ? top : "idle_time = \"200ms\"\n" + top)
        + "log_dir = \""
        + dir.resolve(name + "/logs")
        + "\"\nstate_dir = \""
        + dir.resolve(name + "/var")
        + "\"\nrun_dir = \""
        + dir.resolve(name + "/run")
        + "\"\n[retry]\nbackoff = \"100ms\"\n"
        + "[plugins.demo]\ncount = 1\nrate = 1\nwork = \"0ms\"\n"
        + "[plugins.spool]\nenabled = false\n"
        + "[plugins.queue]\n"
        + db
        + "heartbeat_interval = \""
        + HEARTBEAT
        + "\"\ndead_after = \""
        + DEAD_AFTER
        + "\"\n[plugins.cron]\n"
        + db
        // Every queue job's run stays in the worklog for the tests to count: by default the runs of
        // other sources than cron are pruned to 1,000 once a minute, which a slow run would reach.
        + "keep_runs = 1000000\n"
        + extra;
  }

  /** Starts a host and waits until its row is in the hosts table. */
  Host start(String name, int workers) throws Exception {
    return start(name, workers, "", "");
  }

  /** Starts a host with extra top-level settings and extra {@code [plugins.cron]} lines. */
  Host start(String name, int workers, String top, String extraCron) throws Exception {
    Path home = Files.createDirectories(dir.resolve(name));
    Path config = home.resolve("jobhost.toml");
    Files.writeString(config, config(name, workers, top, extraCron));
    HostProcess daemon =
        HostProcess.command("run", "--config", config.toString())
            .config(config)
            .output(home.resolve("stdout.log"))
            .env("JAVA_OPTS", "-Xmx256m")
            .launch();
    Host h = new Host(name, daemon, home);
    hosts.add(h);
    await(
        Duration.ofSeconds(60),
        () -> h.process().isAlive() && state(name).equals("running"),
        () -> "host " + name + " did not join; its output:\n" + h.output());
    return h;
  }

  /**
   * Runs a {@code jobhost} command line against a host's configuration; returns what it printed
   * (stdout, then stderr).
   */
  String cli(Host h, String... args) {
    return h.daemon().cli(args).all();
  }

  String state(String host) {
    try {
      return scalar("SELECT state FROM hosts WHERE name = '" + host + "'", "");
    } catch (SQLException e) {
      return "";
    }
  }

  /** Stops a host with TERM and waits for it. */
  int stop(Host h) throws InterruptedException {
    h.process().destroy();
    if (!h.process().waitFor(60, TimeUnit.SECONDS)) {
      h.process().destroyForcibly();
      throw new IllegalStateException("host " + h.name() + " did not stop within 60 s");
    }
    return h.process().exitValue();
  }

  /** kill -9. */
  void kill(Host h) throws InterruptedException {
    h.process().destroyForcibly();
    h.process().waitFor(30, TimeUnit.SECONDS);
  }

  /** One value of a query, or {@code fallback} when it returns no row or null. */
  String scalar(String sql, String fallback) throws SQLException {
    try (Connection c = connect();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      if (!rs.next()) {
        return fallback;
      }
      String v = rs.getString(1);
      return v == null ? fallback : v;
    }
  }

  long count(String sql) throws SQLException {
    return Long.parseLong(scalar(sql, "0"));
  }

  /** Rows of a two-column query as a map. */
  Map<String, String> pairs(String sql) throws SQLException {
    Map<String, String> out = new LinkedHashMap<>();
    try (Connection c = connect();
        PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.put(rs.getString(1), rs.getString(2));
      }
    }
    return out;
  }

  interface Message {
    String get() throws Exception;
  }

  /** A condition that may query the database; one that throws does not hold yet. */
  interface Condition {
    boolean holds() throws Exception;
  }

  /**
   * Polls {@code condition} every 50 ms until it holds; fails with {@code message} after {@code
   * limit}.
   */
  static void await(Duration limit, Condition condition, Message message) throws Exception {
    long end = System.nanoTime() + limit.toNanos();
    while (!holds(condition)) {
      if (System.nanoTime() > end) {
        throw new AssertionError("not within " + limit.toSeconds() + " s: " + message.get());
      }
      Thread.sleep(50);
    }
  }

  private static boolean holds(Condition condition) {
    try {
      return condition.holds();
    } catch (Exception e) {
      return false;
    }
  }

  /** Stops every host still running: TERM, then KILL after 30 s. */
  void close() throws InterruptedException {
    for (Host h : hosts) {
      if (h.process().isAlive()) {
        h.process().destroy();
      }
    }
    for (Host h : hosts) {
      if (!h.process().waitFor(30, TimeUnit.SECONDS)) {
        h.process().destroyForcibly();
        h.process().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }
}
