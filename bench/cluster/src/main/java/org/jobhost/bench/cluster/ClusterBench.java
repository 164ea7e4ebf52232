package org.jobhost.bench.cluster;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jobhost.client.JobQueueClient;
import org.jobhost.client.NewJob;

/**
 * Claim + run + ack of no-op jobs by 1, 2 and 4 jobhost host processes on one PostgreSQL, and by as
 * many db-scheduler processes (lock-and-fetch, same thread count) on the same server.
 *
 * <p>Per configuration: a backlog of {@code jobs} is inserted at once (throughput: first start to
 * the moment nothing is left, and enqueue-to-start latency under backlog), then {@code paced} jobs
 * are enqueued one by one at {@code rate} per second (enqueue-to-start latency at a steady load).
 *
 * <p>Arguments: TREE [jobs=20000] [threads=8] [hosts=1,2,4] [paced=2000] [rate=500].
 *
 * <p>It runs past 350 lines because both sides of the comparison live here, each with its setup,
 * its clock and its latency sampling written the same way: split over several classes, a change to
 * how one side is measured could silently stop matching the other.
 */
public final class ClusterBench {

  private final EmbeddedPostgres pg;
  private final Path tree;
  private final Path work;
  private final int jobs;
  private final int threads;
  private final int paced;
  private final int rate;
  private int dbCounter;

  private ClusterBench(
      EmbeddedPostgres pg, Path tree, Path work, int jobs, int threads, int paced, int rate) {
    this.pg = pg;
    this.tree = tree;
    this.work = work;
    this.jobs = jobs;
    this.threads = threads;
    this.paced = paced;
    this.rate = rate;
  }

  /** Figures of one run. */
  record Result(String system, int hosts, double jobsPerSecond, long[] backlogMs, long[] pacedMs) {
    String line() {
      return String.format(
          Locale.ROOT,
          "%-12s hosts=%d  %8.0f jobs/s   backlog p50=%6d ms p99=%6d ms   paced p50=%4d ms p99=%4d ms",
          system,
          hosts,
          jobsPerSecond,
          pct(backlogMs, 50),
          pct(backlogMs, 99),
          pct(pacedMs, 50),
          pct(pacedMs, 99));
    }
  }

  static long pct(long[] sorted, int p) {
    if (sorted.length == 0) {
      return -1;
    }
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  public static void main(String[] args) throws Exception {
    Path tree = Path.of(args[0]);
    int jobs = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
    int threads = args.length > 2 ? Integer.parseInt(args[2]) : 8;
    int[] hostCounts =
        Arrays.stream((args.length > 3 ? args[3] : "1,2,4").split(","))
            .mapToInt(Integer::parseInt)
            .toArray();
    int paced = args.length > 4 ? Integer.parseInt(args[4]) : 2000;
    int rate = args.length > 5 ? Integer.parseInt(args[5]) : 500;
    Path work = Files.createTempDirectory("jobhost-bench");
    try (EmbeddedPostgres pg =
        EmbeddedPostgres.builder().setServerConfig("max_connections", "300").start()) {
      ClusterBench b = new ClusterBench(pg, tree, work, jobs, threads, paced, rate);
      Path quietTree = b.quietTree();
      List<Result> results = new ArrayList<>();
      for (int n : hostCounts) {
        results.add(b.jobhost(quietTree, n));
        System.out.println(results.get(results.size() - 1).line());
        results.add(b.dbScheduler(n));
        System.out.println(results.get(results.size() - 1).line());
      }
      System.out.printf(
          Locale.ROOT,
          "%n%d jobs backlog, %d threads per host, paced %d jobs at %d/s; PostgreSQL %s%n",
          jobs,
          threads,
          paced,
          rate,
          b.scalar(b.url("postgres"), "SHOW server_version"));
      for (Result r : results) {
        System.out.println(r.line());
      }
      for (int i = 0; i + 1 < results.size(); i += 2) {
        System.out.printf(
            Locale.ROOT,
            "hosts=%d: jobhost / db-scheduler = %.2fx%n",
            results.get(i).hosts(),
            results.get(i).jobsPerSecond() / results.get(i + 1).jobsPerSecond());
      }
    }
  }

  /** A copy of the tree whose logback.xml logs warnings only (as db-scheduler does). */
  private Path quietTree() throws IOException {
    Path copy = work.resolve("tree");
    try (Stream<Path> all = Files.walk(tree)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        Path to = copy.resolve(tree.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(to);
        } else {
          Files.copy(p, to);
        }
      }
    }
    copy.resolve("bin/jobhost").toFile().setExecutable(true);
    Files.writeString(
        copy.resolve("conf/logback.xml"),
        "<configuration><statusListener class=\"ch.qos.logback.core.status.NopStatusListener\"/>"
            + "<appender name=\"FILE\" class=\"ch.qos.logback.core.FileAppender\">"
            + "<file>${LOG_DIR}/jobhost.log</file><encoder><pattern>%d %-5level %logger{20} - %msg%n"
            + "</pattern></encoder></appender><root level=\"WARN\"><appender-ref ref=\"FILE\"/>"
            + "</root></configuration>");
    return copy;
  }

  private String freshDatabase() throws SQLException {
    String name = "b" + (++dbCounter);
    try (Connection c = pg.getPostgresDatabase().getConnection();
        Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + name);
    }
    return url(name);
  }

  private String url(String db) {
    return pg.getJdbcUrl("postgres", db);
  }

  private Connection connect(String url) throws SQLException {
    return java.sql.DriverManager.getConnection(url, "postgres", "postgres");
  }

  private String scalar(String url, String sql) throws SQLException {
    try (Connection c = connect(url);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  /** Runs {@code statements} in order on one connection to {@code url} (auto-commit). */
  private void execute(String url, String... statements) throws SQLException {
    try (Connection c = connect(url);
        Statement st = c.createStatement()) {
      for (String sql : statements) {
        st.execute(sql);
      }
    }
  }

  private long count(String url, String sql) throws SQLException {
    return Long.parseLong(scalar(url, sql));
  }

  private static long awaitZero(Callable0 remaining, long limitSeconds) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(limitSeconds);
    while (remaining.call() > 0) {
      if (System.nanoTime() > end) {
        throw new IllegalStateException("work not done within " + limitSeconds + " s");
      }
      Thread.sleep(10);
    }
    return Clocks.epochMicros();
  }

  interface Callable0 {
    long call() throws Exception;
  }

  // ---- jobhost

  private Result jobhost(Path quietTree, int n) throws Exception {
    String url = freshDatabase();
    List<Process> hosts = new ArrayList<>();
    try {
      for (int i = 1; i <= n; i++) {
        Path home = Files.createDirectories(work.resolve("jh-" + dbCounter + "-" + i));
        Path config = home.resolve("jobhost.toml");
        Files.writeString(
            config,
            "max_workers = "
                + threads
                + "\nidle_time = \"500ms\"\nlog_dir = \""
                + home.resolve("logs")
                + "\"\nstate_dir = \""
                + home.resolve("var")
                + "\"\nrun_dir = \""
                + home.resolve("run")
                + "\"\n[plugins.demo]\ncount = 1\nwork = \"0ms\"\n"
                + "[plugins.cron]\nenabled = false\n[plugins.spool]\nenabled = false\n"
                + "[plugins.signal-stats]\nenabled = false\n"
                + "[plugins.queue]\ndatabase_url = \""
                + url
                + "\"\ndatabase_user = \"postgres\"\nhost_name = \"h"
                + i
                + "\"\npool_size = "
                + (threads + 2)
                + "\nprefetch = "
                + (2 * threads)
                + "\n");
        ProcessBuilder pb =
            new ProcessBuilder(
                    quietTree.resolve("bin/jobhost").toString(),
                    "run",
                    "--config",
                    config.toString())
                .redirectErrorStream(true)
                .redirectOutput(home.resolve("stdout.log").toFile());
        hosts.add(pb.start());
      }
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (true) {
        try {
          if (count(url, "SELECT COUNT(*) FROM hosts WHERE state = 'running'") == n) {
            break;
          }
        } catch (SQLException e) {
          // tables not there yet
        }
        if (System.nanoTime() > end) {
          throw new IllegalStateException("jobhost hosts did not start; see " + work);
        }
        Thread.sleep(100);
      }
      Thread.sleep(1000);
      execute(
          url,
          "INSERT INTO jobs (type, params) SELECT 'demo', '{\"work\":\"0ms\"}' FROM"
              + " generate_series(1, "
              + jobs
              + ")",
          "NOTIFY jobhost_jobs");
      long doneMicros =
          awaitZero(() -> count(url, "SELECT COUNT(*) FROM jobs WHERE state <> 'succeeded'"), 600);
      long firstStartMs = count(url, "SELECT MIN(claimed_at) FROM jobs");
      double perSecond = jobs / ((doneMicros / 1000.0 - firstStartMs) / 1000.0);
      long[] backlog = longs(url, "SELECT claimed_at - created_at FROM jobs ORDER BY 1");
      long maxId = count(url, "SELECT MAX(id) FROM jobs");
      try (Connection c = connect(url)) {
        pace(() -> JobQueueClient.enqueue(c, NewJob.of("demo", Map.of("work", "0ms"))));
      }
      awaitZero(() -> count(url, "SELECT COUNT(*) FROM jobs WHERE state <> 'succeeded'"), 120);
      long[] pacedLat =
          longs(
              url, "SELECT claimed_at - created_at FROM jobs WHERE id > " + maxId + " ORDER BY 1");
      return new Result("jobhost", n, perSecond, backlog, pacedLat);
    } finally {
      for (Process p : hosts) {
        p.destroy();
      }
      for (Process p : hosts) {
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
    }
  }

  interface Enqueue {
    void run() throws Exception;
  }

  private void pace(Enqueue enqueue) throws Exception {
    long intervalNanos = 1_000_000_000L / rate;
    long next = System.nanoTime();
    for (int i = 0; i < paced; i++) {
      long wait = next - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      enqueue.run();
      next += intervalNanos;
    }
  }

  private long[] longs(String url, String sql) throws SQLException {
    List<Long> out = new ArrayList<>();
    try (Connection c = connect(url);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getLong(1));
      }
    }
    return out.stream().mapToLong(Long::longValue).toArray();
  }

  // ---- db-scheduler

  private Result dbScheduler(int n) throws Exception {
    String url = freshDatabase();
    execute(
        url,
        "create table scheduled_tasks (task_name text not null, task_instance text not null,"
            + " task_data bytea, execution_time timestamp with time zone not null, picked"
            + " BOOLEAN not null, picked_by text, last_success timestamp with time zone,"
            + " last_failure timestamp with time zone, consecutive_failures INT, last_heartbeat"
            + " timestamp with time zone, version BIGINT not null, priority SMALLINT, PRIMARY KEY"
            + " (task_name, task_instance))",
        "CREATE INDEX execution_time_idx ON scheduled_tasks (execution_time)",
        "CREATE INDEX last_heartbeat_idx ON scheduled_tasks (last_heartbeat)",
        "CREATE INDEX priority_execution_time_idx on scheduled_tasks (priority desc,"
            + " execution_time asc)");
    String cp = System.getProperty("java.class.path");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<Process> workers = new ArrayList<>();
    List<Path> outputs = new ArrayList<>();
    try {
      for (int i = 1; i <= n; i++) {
        Path out = work.resolve("dbs-" + dbCounter + "-" + i + ".txt");
        outputs.add(out);
        Process p =
            new ProcessBuilder(
                    java,
                    "-XX:+UseSerialGC",
                    "-cp",
                    cp,
                    DbSchedulerWorker.class.getName(),
                    url,
                    String.valueOf(threads),
                    "500",
                    out.toString())
                .redirectErrorStream(true)
                .start();
        workers.add(p);
        BufferedReader r =
            new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = r.readLine()) != null && !line.equals("ready")) {
          System.out.println("db-scheduler " + i + ": " + line);
        }
        Thread drain =
            new Thread(
                () -> {
                  try {
                    while (r.readLine() != null) {
                      // discard
                    }
                  } catch (IOException e) {
                    // process ended
                  }
                },
                "drain-" + i);
        drain.setDaemon(true);
        drain.start();
      }
      Thread.sleep(1000);
      execute(
          url,
          "INSERT INTO scheduled_tasks (task_name, task_instance, execution_time, picked,"
              + " version, priority) SELECT 'noop', 't' || g, now(), false, 1, 0 FROM"
              + " generate_series(1, "
              + jobs
              + ") AS g");
      long insertedMicros =
          Long.parseLong(
              scalar(
                  url,
                  "SELECT CAST(EXTRACT(EPOCH FROM MIN(execution_time)) * 1000000 AS BIGINT) FROM scheduled_tasks"));
      long doneMicros = awaitZero(() -> count(url, "SELECT COUNT(*) FROM scheduled_tasks"), 600);
      Map<String, Long> scheduledAt = new HashMap<>();
      try (Connection c = connect(url);
          PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO scheduled_tasks (task_name, task_instance, execution_time, picked,"
                      + " version, priority) VALUES ('noop', ?, clock_timestamp(), false, 1, 0)"
                      + " RETURNING CAST(EXTRACT(EPOCH FROM execution_time) * 1000000 AS BIGINT)")) {
        int[] i = {0};
        pace(
            () -> {
              String id = "l" + (i[0]++);
              ps.setString(1, id);
              try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                scheduledAt.put(id, rs.getLong(1));
              }
            });
      }
      awaitZero(() -> count(url, "SELECT COUNT(*) FROM scheduled_tasks"), 120);
      for (Process p : workers) {
        OutputStream in = p.getOutputStream();
        in.write("stop\n".getBytes(StandardCharsets.UTF_8));
        in.flush();
      }
      for (Process p : workers) {
        p.waitFor(30, TimeUnit.SECONDS);
      }
      List<long[]> starts = new ArrayList<>();
      for (Path out : outputs) {
        for (String line : Files.readAllLines(out)) {
          String[] f = line.split(" ");
          starts.add(
              new long[] {f[0].startsWith("t") ? 0 : 1, Long.parseLong(f[1]), f[0].hashCode()});
          if (f[0].startsWith("l")) {
            starts.get(starts.size() - 1)[2] = scheduledAt.getOrDefault(f[0], 0L);
          }
        }
      }
      long firstStart =
          starts.stream().filter(s -> s[0] == 0).mapToLong(s -> s[1]).min().orElse(insertedMicros);
      long backlogCount = starts.stream().filter(s -> s[0] == 0).count();
      if (backlogCount != jobs) {
        System.out.println("db-scheduler ran " + backlogCount + " of " + jobs + " backlog jobs");
      }
      double perSecond = jobs / ((doneMicros - firstStart) / 1e6);
      long[] backlog =
          starts.stream()
              .filter(s -> s[0] == 0)
              .mapToLong(s -> (s[1] - insertedMicros) / 1000)
              .sorted()
              .toArray();
      long[] pacedLat =
          starts.stream()
              .filter(s -> s[0] == 1)
              .sorted(Comparator.comparingLong(s -> s[1]))
              .mapToLong(s -> (s[1] - s[2]) / 1000)
              .sorted()
              .toArray();
      return new Result("db-scheduler", n, perSecond, backlog, pacedLat);
    } finally {
      for (Process p : workers) {
        if (p.isAlive()) {
          p.destroyForcibly();
        }
      }
    }
  }
}
