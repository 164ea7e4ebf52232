package org.jobhost.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jobhost.api.Job;
import org.jobhost.api.Outcome;
import org.jobhost.store.Database;
import org.jobhost.store.DatabaseSettings;
import org.jobhost.store.Dialect;
import org.jobhost.store.HostRegistry;
import org.jobhost.store.JobQueue;
import org.jobhost.store.QueuedJob;
import org.jobhost.store.TestDatabases;
import org.jobhost.testkit.FakeHost;
import org.jobhost.testkit.TestCommandLine;
import org.jobhost.testkit.TestCommandLine.Result;
import org.jobhost.testkit.TestPluginContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The queue source and its commands, on SQLite and on PostgreSQL. */
class QueueSourceTest {

  @TempDir Path home;
  private final List<AutoCloseable> open = new ArrayList<>();
  private final FakeHost host = new FakeHost();
  private Map<String, Object> values;
  private TestPluginContext ctx;

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private static Map<String, Object> fast() {
    return Map.of("heartbeat_interval", "100ms", "dead_after", "500ms", "host_name", "a");
  }

  /**
   * Host a's context ({@link #ctx}), on a fresh database of {@code dialect}, with these settings
   * besides.
   */
  private TestPluginContext context(Dialect dialect, Map<String, Object> extra) {
    DatabaseSettings db = TestDatabases.fresh(dialect, home);
    values = new HashMap<>(extra);
    if (dialect == Dialect.SQLITE) {
      values.put("database", db.sqliteFile().toString());
    } else {
      values.put("database_url", db.url());
      values.put("database_user", db.user());
    }
    ctx = context(values);
    return ctx;
  }

  /** Host a on a fresh database of {@code dialect}, with a fast heartbeat, its source started. */
  private QueueSource started(Dialect dialect) {
    return source(context(dialect, fast()));
  }

  /** Another host's context on the same database. */
  private TestPluginContext sibling(String hostName) {
    Map<String, Object> v = new HashMap<>(values);
    v.put("host_name", hostName);
    return context(v);
  }

  private TestPluginContext context(Map<String, Object> settings) {
    return TestPluginContext.builder("queue")
        .installation(home)
        .clock(Clock.systemUTC())
        .host(host)
        .settings(settings)
        .build();
  }

  private QueueSource source(TestPluginContext hostContext) {
    QueueSource s = new QueueSource();
    s.init(hostContext);
    open.add(s::close);
    return s;
  }

  /** Runs {@code jobhost enqueue ARGS} on host a, as the command line does. */
  private Result enqueue(String... args) {
    return TestCommandLine.run(new EnqueueCommand(), ctx, args);
  }

  /** Runs {@code jobhost queue ARGS} on host a, as the command line does. */
  private Result queue(String... args) {
    return TestCommandLine.run(new QueueCommand(), ctx, args);
  }

  /** Runs {@code jobhost cluster ARGS} on host a, as the command line does. */
  private Result cluster(String... args) {
    return TestCommandLine.run(new ClusterCommand(), ctx, args);
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void enqueuedJobIsPolledWithItsParamsAndSucceedsOnce(Dialect d) throws Exception {
    QueueSource s = started(d);
    Result r = enqueue("demo", "--param", "work=0ms", "--priority", "2");
    assertThat(r.code()).isZero();
    assertThat(r.out()).startsWith("enqueued job 1 (type demo)");
    List<Job> jobs = s.poll(10);
    assertThat(jobs).hasSize(1);
    assertThat(jobs.get(0).params()).containsEntry("work", "0ms");
    assertThat(s.poll(10)).isEmpty();
    s.completed(jobs.get(0), Outcome.succeeded());
    assertThat(queue("stats", "--json").out().strip()).isEqualTo("{\"demo\":{\"succeeded\":1}}");
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void failedAttemptIsRetriedAndTheLastFailureIsDeadAndRetryable(Dialect d) throws Exception {
    QueueSource s = started(d);
    enqueue("demo", "--max-attempts", "2");
    Job first = s.poll(1).get(0);
    assertThat(s.retry(first, Outcome.failed("boom"), Instant.now())).isTrue();
    Job second = s.poll(1).get(0);
    assertThat(second.attempt()).isEqualTo(2);
    assertThat(second.maxAttempts()).isEqualTo(2);
    s.completed(second, Outcome.failed("boom again"));
    Result dead = queue("dead");
    assertThat(dead.out()).contains("boom again");
    assertThat(queue("retry", "1").out()).isEqualTo("queued job 1 again, from attempt 1\n");
    assertThat(s.poll(1)).extracting(Job::attempt).containsExactly(1);
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void jobCancelledByAStoppingHostGoesBackAsTheSameAttempt(Dialect d) throws Exception {
    QueueSource s = started(d);
    enqueue("demo");
    Job j = s.poll(1).get(0);
    s.completed(j, Outcome.cancelled("the host stopped"));
    assertThat(s.poll(1)).extracting(Job::attempt).containsExactly(1);
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void uniqueKeyAndDelayFromTheCommandLine(Dialect d) throws Exception {
    QueueSource s = started(d);
    assertThat(enqueue("demo", "--unique", "k", "--at", "+1h").out()).startsWith("enqueued job 1");
    assertThat(enqueue("demo", "--unique", "k").out())
        .isEqualTo("a job with unique key k is already queued or running; nothing enqueued\n");
    assertThat(s.poll(5)).isEmpty();
    assertThat(s.nextDue().get()).isAfter(Instant.now().plus(Duration.ofMinutes(59)));
    assertThat(queue("cancel", "1").out()).isEqualTo("cancelled job 1\n");
    assertThat(enqueue("demo", "--at", "tomorrow").code()).isEqualTo(2);
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void jobsClaimedAheadAreHandedOutInOrderAndGivenBackAtClose(Dialect d) throws Exception {
    Map<String, Object> v = new HashMap<>(fast());
    v.put("prefetch", 3);
    context(d, v);
    QueueSource s = new QueueSource();
    s.init(ctx);
    for (int i = 0; i < 5; i++) {
      enqueue("demo");
    }
    assertThat(s.poll(1)).extracting(Job::id).containsExactly("1");
    assertThat(queue("stats", "--json").out().strip())
        .as("one handed out, three claimed ahead")
        .isEqualTo("{\"demo\":{\"queued\":1,\"running\":4}}");
    assertThat(s.nextDue().get()).isBeforeOrEqualTo(Instant.now());
    assertThat(s.poll(2)).extracting(Job::id).containsExactly("2", "3");
    s.completed(new Job("1", "demo", Map.of()), Outcome.succeeded());
    s.close();
    assertThat(queue("stats", "--json").out().strip())
        .as("the job claimed ahead went back; 2 and 3 were never answered (the host would)")
        .isEqualTo("{\"demo\":{\"queued\":2,\"running\":2,\"succeeded\":1}}");
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void clusterShowsLiveHostsAndAStoppedOne(Dialect d) throws Exception {
    started(d);
    QueueSource b = new QueueSource();
    b.init(sibling("b"));
    b.close();
    Result r = cluster("--json");
    assertThat(r.out()).contains("\"name\":\"a\"").contains("\"state\":\"running\"");
    assertThat(r.out()).contains("\"name\":\"b\"").contains("\"state\":\"stopped\"");
    assertThat(cluster().out()).startsWith("HOST");
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void jobsOfAHostThatVanishedAreRecoveredByALiveOne(Dialect d) throws Exception {
    context(d, fast());
    enqueue("demo");
    Database ghostDb =
        Database.open(QueueSettings.parse(ctx.settings(), ctx).database(), "ghost", ctx.clock());
    open.add(ghostDb);
    JobQueue ghost = new JobQueue(ghostDb);
    new HostRegistry(ghostDb).beat("ghost", 1, "v", Instant.now(), "running", 1);
    QueuedJob taken = ghost.claim("ghost", 1).get(0);
    QueueSource b = source(sibling("b"));
    List<Job> again =
        await()
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(50))
            .until(() -> b.poll(1), jobs -> !jobs.isEmpty());
    assertThat(again).extracting(Job::id).containsExactly(String.valueOf(taken.id()));
    assertThat(again.get(0).attempt()).isEqualTo(2);
    assertThat(ghost.finish(taken.id(), 1, "ghost", true, null)).as("late outcome").isFalse();
    b.completed(again.get(0), Outcome.succeeded());
    assertThat(queue("stats", "--json").out().strip()).isEqualTo("{\"demo\":{\"succeeded\":1}}");
    assertThat(cluster("--json").out()).contains("\"state\":\"dead\"");
  }

  /**
   * Each enqueue wakes the idle host by NOTIFY: nothing else wakes it, and each wake-up brings its
   * job. How fast is a figure, not a unit test on a shared machine: enqueue-to-start through NOTIFY
   * is measured by the cluster benchmark ("Latency, paced" in bench/cluster/README.md).
   */
  @Test
  void everyEnqueueWakesAnIdleHostThroughNotify() throws Exception {
    QueueSource s = source(context(Dialect.POSTGRESQL, fast()));
    // The LISTEN connection comes up in the background (a NOTIFY before it is lost): enqueue
    // one job at a time until a wake-up proves it listens.
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(this::wokenElseEnqueue);
    s.poll(100);
    for (int i = 0; i < 5; i++) {
      long before = host.count("wake");
      assertThat(enqueue("demo").code()).isZero();
      await()
          .atMost(Duration.ofSeconds(30))
          .alias("woken by the NOTIFY of enqueue " + (i + 1))
          .until(() -> host.count("wake") > before);
      assertThat(s.poll(10)).as("the job that woke it").hasSize(1);
    }
    assertThat(host.calls()).containsOnly("wake");
  }

  private boolean wokenElseEnqueue() {
    if (host.count("wake") > 0) {
      return true;
    }
    assertThat(enqueue("demo").code()).isZero();
    return false;
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void enqueueOfATypeThatNeverRanWarnsAndStrictTypeRefusesIt(Dialect d) throws Exception {
    QueueSource s = started(d);
    Result warned = enqueue("demmo");
    assertThat(warned.code()).isZero();
    assertThat(warned.out()).startsWith("enqueued job 1 (type demmo)");
    assertThat(warned.err())
        .startsWith("jobhost enqueue: warning: no job of type \"demmo\" has run in this queue yet")
        .contains("check the spelling")
        .contains("--strict-type refuses such a job");
    Result refused = enqueue("demmo", "--strict-type");
    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.out()).isEmpty();
    assertThat(refused.err()).contains("nothing enqueued (--strict-type)");
    Job j = s.poll(1).get(0);
    s.completed(j, Outcome.failed("no runner for job type \"demmo\"; installed types: [demo]"));
    assertThat(enqueue("demmo", "--strict-type").err())
        .contains("the last job of type \"demmo\" died because its host had no runner for it")
        .contains("installed types: [demo]");
    assertThat(s.poll(5)).as("nothing was enqueued by the refused commands").isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void enqueueOfATypeAHostHasRunIsSilentEvenWithStrictType(Dialect d) throws Exception {
    QueueSource s = started(d);
    enqueue("demo");
    s.poll(1);
    Result r = enqueue("demo", "--strict-type");
    assertThat(r.code()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.out()).startsWith("enqueued job 2 (type demo)");
  }

  /** A heartbeat that never comes during a test: its fallback claim cannot hide a missed change. */
  private static Map<String, Object> slowHeartbeat() {
    return Map.of("heartbeat_interval", "1h", "dead_after", "2h", "host_name", "a");
  }

  @Test
  void idleSqliteQueueDoesNotClaimAgainUntilSomethingIsEnqueued() throws Exception {
    QueueSource s = source(context(Dialect.SQLITE, slowHeartbeat()));
    assertThat(s.poll(1)).isEmpty();
    long before = s.claimQueries();
    for (int i = 0; i < 200; i++) {
      assertThat(s.poll(1)).isEmpty();
      assertThat(s.nextDue()).isEmpty();
    }
    assertThat(s.claimQueries() - before).as("claims in 200 idle polls").isLessThanOrEqualTo(1);
    enqueue("demo");
    assertThat(s.poll(1)).as("a job enqueued by another process").hasSize(1);
  }

  @Test
  void writesOfAnotherConnectionToTheSameFileDoNotMakeAnIdleQueueClaim() throws Exception {
    QueueSource s = source(context(Dialect.SQLITE, slowHeartbeat()));
    Database otherDb =
        Database.open(QueueSettings.parse(ctx.settings(), ctx).database(), "other", ctx.clock());
    open.add(otherDb);
    HostRegistry other = new HostRegistry(otherDb);
    assertThat(s.poll(1)).isEmpty();
    long before = s.claimQueries();
    for (int i = 0; i < 20; i++) {
      other.beat("other", 1, "v", Instant.now(), "running", 0);
      assertThat(s.poll(1)).isEmpty();
    }
    assertThat(s.claimQueries() - before).as("claims while only another table changed").isZero();
    enqueue("demo");
    assertThat(s.poll(1)).hasSize(1);
  }

  @Test
  void jobPutBackByThisHostIsClaimedAgainAtOnce() throws Exception {
    QueueSource s = source(context(Dialect.SQLITE, slowHeartbeat()));
    enqueue("demo", "--max-attempts", "3");
    Job first = s.poll(1).get(0);
    assertThat(s.poll(1)).isEmpty();
    assertThat(s.retry(first, Outcome.failed("boom"), Instant.now())).isTrue();
    assertThat(s.poll(1)).extracting(Job::attempt).containsExactly(2);
    Job second = s.poll(1).isEmpty() ? null : first;
    assertThat(second).isNull();
  }
}
