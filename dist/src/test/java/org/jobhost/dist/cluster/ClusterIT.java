package org.jobhost.dist.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.jobhost.client.JobQueueClient;
import org.jobhost.client.NewJob;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Host processes of the assembled tree sharing one PostgreSQL: the queue and the cron plugin with
 * database_url, dead_after 2 s. Executions are counted from the worklog ({@code runs}), which every
 * host writes on its own: one row per attempt started, closed when it ends.
 */
class ClusterIT {

  private static EmbeddedPostgres pg;

  @TempDir Path dir;
  private Cluster cluster;

  @BeforeAll
  static void startPostgres() throws Exception {
    pg = EmbeddedPostgres.builder().setServerConfig("max_connections", "300").start();
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    pg.close();
  }

  @BeforeEach
  void newCluster() throws Exception {
    cluster = new Cluster(pg, dir);
  }

  @AfterEach
  void stopEveryHost() throws Exception {
    cluster.close();
  }

  /** Inserts {@code n} demo jobs with the documented plain SQL insert, then one NOTIFY. */
  private void insertJobs(int n, String work, int priority) throws Exception {
    try (Connection c = cluster.connect();
        Statement st = c.createStatement()) {
      st.execute(
          "INSERT INTO jobs (type, params, priority) SELECT 'demo', '{\"work\":\""
              + work
              + "\"}', "
              + priority
              + " FROM generate_series(1, "
              + n
              + ")");
      st.execute("NOTIFY jobhost_jobs");
    }
  }

  private static final String QUEUE_RUNS =
      "FROM runs WHERE source = 'host' AND job_id ~ '^[0-9]+$'";

  private void awaitAllSucceeded(long jobs, Duration limit) throws Exception {
    Cluster.await(
        limit,
        () ->
            cluster.count("SELECT COUNT(*) FROM jobs WHERE state = 'succeeded'") == jobs
                && cluster.count("SELECT COUNT(*) " + QUEUE_RUNS + " AND outcome = 'SUCCEEDED'")
                    >= jobs,
        () ->
            "jobs by state "
                + cluster.pairs("SELECT state, COUNT(*) FROM jobs GROUP BY state")
                + ", succeeded runs "
                + cluster.count("SELECT COUNT(*) " + QUEUE_RUNS + " AND outcome = 'SUCCEEDED'"));
  }

  /** Starts hosts a, b and c with {@code workers} slots each; returns a. */
  private Cluster.Host startThreeHosts(int workers) throws Exception {
    Cluster.Host a = cluster.start("a", workers);
    cluster.start("b", workers);
    cluster.start("c", workers);
    return a;
  }

  @Test
  void tenThousandJobsOnThreeHostsEachCompleteExactlyOnce() throws Exception {
    startThreeHosts(4);
    long t0 = System.nanoTime();
    insertJobs(10_000, "0ms", 0);
    awaitAllSucceeded(10_000, Duration.ofSeconds(120));
    double seconds = (System.nanoTime() - t0) / 1e9;
    assertThat(cluster.count("SELECT COUNT(*) FROM jobs WHERE state <> 'succeeded'")).isZero();
    assertThat(
            cluster.count(
                "SELECT COUNT(*) FROM (SELECT job_id " + QUEUE_RUNS + " GROUP BY job_id) AS ids"))
        .isEqualTo(10_000);
    assertThat(
            cluster.count(
                "SELECT COUNT(*) FROM (SELECT job_id "
                    + QUEUE_RUNS
                    + " GROUP BY job_id HAVING COUNT(*) <> 1) AS twice"))
        .as("jobs run other than once")
        .isZero();
    Map<String, String> perHost =
        cluster.pairs("SELECT host, COUNT(*) " + QUEUE_RUNS + " GROUP BY host ORDER BY host");
    System.out.printf(
        "10,000 jobs on 3 hosts in %.1f s (%.0f jobs/s with the worklog on); per host %s%n",
        seconds, 10_000 / seconds, perHost);
    assertThat(perHost).hasSize(3);
  }

  @Test
  void jobsOfAHostKilledMidRunCompleteOnTheOthersAndOnlyThoseRunTwice() throws Exception {
    Cluster.Host a = startThreeHosts(4);
    insertJobs(240, "250ms", 0);
    // Killed while it runs a job that started less than 100 ms ago (its start recorded, its end
    // at least 150 ms away): a's slots start and end their jobs about together, and a kill just
    // after a round of ends could find no run of a open.
    Cluster.await(
        Duration.ofSeconds(30),
        () ->
            cluster.count(
                        "SELECT COUNT(*) "
                            + QUEUE_RUNS
                            + " AND host = 'a' AND outcome = 'SUCCEEDED'")
                    >= 8
                && cluster.count(
                        "SELECT COUNT(*) "
                            + QUEUE_RUNS
                            + " AND host = 'a' AND ended_at IS NULL AND started_at > "
                            + (System.currentTimeMillis() - 100))
                    > 0,
        () -> "host a ran nothing, or was never seen starting a job");
    cluster.kill(a);
    Instant killedAt = Instant.now();
    awaitAllSucceeded(240, Duration.ofSeconds(60));
    assertThat(
            cluster.count(
                "SELECT COUNT(*) FROM (SELECT job_id "
                    + QUEUE_RUNS
                    + " AND outcome = 'SUCCEEDED' GROUP BY job_id HAVING COUNT(*) <> 1) AS x"))
        .as("jobs that succeeded other than once")
        .isZero();
    List<String> twice =
        new ArrayList<>(
            cluster
                .pairs(
                    "SELECT job_id, COUNT(*) "
                        + QUEUE_RUNS
                        + " GROUP BY job_id HAVING COUNT(*) > 1 ORDER BY job_id")
                .keySet());
    List<String> openOnA =
        new ArrayList<>(
            cluster
                .pairs(
                    "SELECT job_id, host "
                        + QUEUE_RUNS
                        + " AND host = 'a' AND ended_at IS NULL ORDER BY job_id")
                .keySet());
    assertThat(openOnA).as("a was running jobs at the kill").isNotEmpty();
    assertThat(openOnA).as("every job run twice was running on a at the kill").containsAll(twice);
    // Every job run twice was recovered from a; a job a had claimed but not yet started when it
    // was killed is recovered too, and runs only once.
    assertThat(
            cluster.count(
                "SELECT COUNT(*) FROM jobs WHERE last_error LIKE 'host a stopped heartbeating%'"))
        .as("recovered jobs name the dead host")
        .isGreaterThanOrEqualTo(twice.size());
    assertThat(cluster.state("a")).isEqualTo("dead");
    System.out.printf(
        "kill -9 of host a (%s): %d jobs were running there, %d ran twice (at least once"
            + " delivery), 0 lost%n",
        killedAt, openOnA.size(), twice.size());
  }

  @Test
  void gracefulStopWhileOthersRunRecoversNothing() throws Exception {
    Cluster.Host a = startThreeHosts(3);
    // Nine slots, nine long jobs: every host, a included, takes three.
    insertJobs(9, "5s", 10);
    Cluster.await(
        Duration.ofSeconds(30),
        () ->
            cluster.count("SELECT COUNT(*) FROM jobs WHERE state = 'running' AND claimed_by = 'a'")
                == 3,
        () -> "host a runs " + cluster.pairs("SELECT claimed_by, COUNT(*) FROM jobs GROUP BY 1"));
    insertJobs(200, "100ms", 0);
    long t0 = System.nanoTime();
    assertThat(cluster.stop(a)).isZero();
    double drained = (System.nanoTime() - t0) / 1e9;
    awaitAllSucceeded(209, Duration.ofSeconds(60));
    assertThat(cluster.count("SELECT COUNT(*) FROM jobs WHERE last_error LIKE '%heartbeating%'"))
        .as("jobs recovered from a host that stopped heartbeating")
        .isZero();
    assertThat(
            cluster.count(
                "SELECT COUNT(*) FROM (SELECT job_id "
                    + QUEUE_RUNS
                    + " GROUP BY job_id HAVING COUNT(*) <> 1) AS x"))
        .as("jobs run other than once")
        .isZero();
    assertThat(cluster.state("a")).isEqualTo("stopped");
    System.out.printf(
        "graceful stop of a drained in %.1f s (dead_after %s): nothing recovered%n",
        drained, Cluster.DEAD_AFTER);
    assertThat(drained).as("drained longer than dead_after").isGreaterThan(2.0);
  }

  @Test
  void aTaskDueEverySecondFiresOncePerSecondOnThreeHosts() throws Exception {
    String task =
        "[[plugins.cron.tasks]]\nname = \"tick\"\nschedule = \"* * * * * *\"\ntype = \"demo\"\n"
            + "params = { work = \"0ms\" }\n";
    for (String h : List.of("a", "b", "c")) {
      cluster.start(h, 2, "", task);
    }
    String fires =
        "FROM runs WHERE source = 'cron' AND task = 'tick' AND fire_time >= (SELECT MAX(started_at)"
            + " FROM hosts) + 1000";
    String perFireQuery = "SELECT fire_time, COUNT(*) " + fires + " GROUP BY fire_time ORDER BY 1";
    // Five fires after the last host joined (about 6 s on a quiet machine), however slow this one.
    await("five fires of tick after the last host joined")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> cluster.pairs(perFireQuery).size() >= 5);
    Map<String, String> perFire = cluster.pairs(perFireQuery);
    assertThat(perFire.values()).as("runs per fire").containsOnly("1");
    long first = Long.parseLong(Collections.min(perFire.keySet()));
    long last = Long.parseLong(Collections.max(perFire.keySet()));
    assertThat(perFire)
        .as("one run per second, no gaps")
        .hasSize((int) ((last - first) / 1000 + 1));
    assertThat(perFire.size()).isGreaterThanOrEqualTo(3);
    System.out.printf(
        "per-second task on 3 hosts: %d fires, once each; by host %s%n",
        perFire.size(),
        cluster.pairs("SELECT host, COUNT(*) " + fires + " GROUP BY host ORDER BY host"));
  }

  @Test
  void uniqueKeysDelaysPrioritiesAndTheDeadLetterFromTheCommandLine() throws Exception {
    Cluster.Host a = cluster.start("a", 1, "idle_time = \"30s\"\n", "");
    cluster.stop(a);
    List<Long> order = new ArrayList<>();
    Instant delayedAt = Instant.now().plusSeconds(4);
    long delayed;
    try (Connection c = cluster.connect()) {
      c.setAutoCommit(false);
      for (int p : new int[] {0, 10, 5}) {
        JobQueueClient.enqueue(c, NewJob.of("demo", Map.of("p", "" + p)).withPriority(p));
      }
      delayed =
          JobQueueClient.enqueue(c, NewJob.of("demo", Map.of()).withRunAt(delayedAt)).getAsLong();
      c.commit();
    }
    a = cluster.start("a", 1, "idle_time = \"30s\"\n", "");
    // The three due jobs; on a slow start the delayed one may be due (and done) by then too.
    long delayedId = delayed;
    Cluster.await(
        Duration.ofSeconds(30),
        () ->
            cluster.count(
                        "SELECT COUNT(*) FROM jobs WHERE state = 'succeeded' AND id <> "
                            + delayedId)
                    == 3
                && cluster.count("SELECT COUNT(*) " + QUEUE_RUNS + " AND outcome = 'SUCCEEDED'")
                    >= 3,
        () -> "jobs by state " + cluster.pairs("SELECT state, COUNT(*) FROM jobs GROUP BY state"));
    try (Connection c = cluster.connect();
        var rs =
            c.createStatement()
                .executeQuery(
                    "SELECT j.priority FROM runs r JOIN jobs j ON r.job_id = CAST(j.id AS TEXT)"
                        + " WHERE r.source = 'host' ORDER BY r.id LIMIT 3")) {
      while (rs.next()) {
        order.add(rs.getLong(1));
      }
    }
    assertThat(order).as("priorities, highest first").containsExactly(10L, 5L, 0L);
    awaitAllSucceeded(4, Duration.ofSeconds(30));
    long started =
        Long.parseLong(
            cluster.scalar("SELECT started_at FROM runs WHERE job_id = '" + delayed + "'", "0"));
    assertThat(started)
        .as("delayed job not before its time")
        .isGreaterThanOrEqualTo(delayedAt.toEpochMilli() - 50);

    String first = cluster.cli(a, "enqueue", "demo", "--unique", "nightly", "--at", "+1h");
    assertThat(first).contains("enqueued job");
    assertThat(cluster.cli(a, "enqueue", "demo", "--unique", "nightly"))
        .contains("a job with unique key nightly is already queued or running; nothing enqueued");

    String bad = cluster.cli(a, "enqueue", "demo", "--param", "fail=true", "--max-attempts", "2");
    long badId = Long.parseLong(bad.replaceAll("(?s).*enqueued job (\\d+).*", "$1"));
    Cluster.await(
        Duration.ofSeconds(30),
        () -> cluster.scalar("SELECT state FROM jobs WHERE id = " + badId, "").equals("dead"),
        () ->
            "job "
                + badId
                + " is "
                + cluster.scalar("SELECT state FROM jobs WHERE id = " + badId, ""));
    assertThat(cluster.scalar("SELECT attempt FROM jobs WHERE id = " + badId, "")).isEqualTo("2");
    assertThat(cluster.cli(a, "queue", "dead"))
        .contains(String.valueOf(badId))
        .contains("fails as configured");
    assertThat(cluster.cli(a, "queue", "stats", "--json")).contains("\"dead\":1");
    assertThat(cluster.cli(a, "queue", "retry", String.valueOf(badId)))
        .contains("queued job " + badId + " again, from attempt 1");
    assertThat(cluster.cli(a, "cluster", "--json"))
        .contains("\"name\":\"a\"")
        .contains("\"state\":\"running\"");

    List<Long> latencies = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      Thread.sleep(200);
      long before = System.currentTimeMillis();
      OptionalLong id;
      try (Connection c = cluster.connect()) {
        id = JobQueueClient.enqueue(c, NewJob.of("demo", Map.of("latency", "" + i)));
      }
      String query =
          "SELECT started_at FROM runs WHERE source = 'host' AND job_id = '" + id.getAsLong() + "'";
      Cluster.await(
          Duration.ofSeconds(5),
          () -> cluster.count("SELECT COUNT(*) FROM (" + query + ") AS x") > 0,
          () -> "job " + id.getAsLong() + " did not start though idle_time is 30 s: no wake-up");
      latencies.add(Long.parseLong(cluster.scalar(query, "0")) - before);
    }
    Collections.sort(latencies);
    System.out.println("NOTIFY wake-up, enqueue commit to job start (ms, sorted): " + latencies);
    assertThat(latencies.get(latencies.size() - 1)).isLessThan(5000L);
  }
}
