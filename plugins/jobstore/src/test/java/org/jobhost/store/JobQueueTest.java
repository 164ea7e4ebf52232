package org.jobhost.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.jobhost.client.NewJob;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The same specification on SQLite (one host) and PostgreSQL (many hosts). */
@ParameterizedClass
@EnumSource(Dialect.class)
class JobQueueTest {

  @Parameter Dialect dialect;
  @TempDir Path dir;
  private Database db;
  private JobQueue q;
  private HostRegistry hosts;
  private QueueAdmin admin;

  @BeforeEach
  void open() {
    db = TestDatabases.open(dialect, dir);
    q = new JobQueue(db);
    hosts = new HostRegistry(db);
    admin = new QueueAdmin(db);
  }

  @AfterEach
  void close() {
    if (db != null) {
      db.close();
    }
  }

  private static NewJob job(String n) {
    return NewJob.of("demo", Map.of("n", n));
  }

  @Test
  void claimedJobIsRunningOnTheClaimerAndSucceedsOnce() {
    long id = q.enqueue(job("1")).getAsLong();
    List<QueuedJob> got = q.claim("a", 10);
    assertThat(got).extracting(QueuedJob::id).containsExactly(id);
    assertThat(got.get(0).params()).containsEntry("n", "1");
    assertThat(q.claim("b", 10)).isEmpty();
    assertThat(q.finish(id, 1, "a", true, null)).isTrue();
    assertThat(q.finish(id, 1, "a", true, null)).as("idempotent").isFalse();
    assertThat(admin.job(id).get().state()).isEqualTo(JobState.SUCCEEDED);
  }

  @Test
  void anyDueAndQueuedLookOnlyAtQueuedJobs() {
    assertThat(q.anyDue()).isFalse();
    assertThat(q.queued()).isZero();
    q.enqueue(job("later").withRunAt(Instant.now().plusSeconds(60)));
    assertThat(q.anyDue()).as("not due yet").isFalse();
    assertThat(q.queued()).isEqualTo(1);
    q.enqueue(job("now"));
    assertThat(q.anyDue()).isTrue();
    q.claim("a", 5);
    assertThat(q.anyDue()).as("the due one runs").isFalse();
    assertThat(q.queued()).isEqualTo(1);
  }

  @Test
  void typeRecordSaysWhetherATypeRanAndWhyItsNewestJobFoundNoRunner() {
    assertThat(admin.typeRecord("demo")).isEqualTo(new QueueAdmin.TypeRecord(false, null));
    long id = q.enqueue(job("1")).getAsLong();
    q.claim("a", 1);
    assertThat(admin.typeRecord("demo").ran()).as("running").isTrue();
    String error = "no runner for job type demo on host a";
    q.finish(id, 1, "a", false, error);
    assertThat(admin.typeRecord("demo")).isEqualTo(new QueueAdmin.TypeRecord(false, error));
  }

  @Test
  void uniqueKeyOfALiveJobMakesEnqueueANoOp() {
    OptionalLong first = q.enqueue(job("1").withUniqueKey("k"));
    assertThat(first).isPresent();
    assertThat(q.enqueue(job("2").withUniqueKey("k"))).isEmpty();
    q.claim("a", 1);
    assertThat(q.enqueue(job("3").withUniqueKey("k"))).as("running").isEmpty();
    q.finish(first.getAsLong(), 1, "a", true, null);
    assertThat(q.enqueue(job("4").withUniqueKey("k"))).as("after it ended").isPresent();
  }

  @Test
  void delayedJobIsNotClaimedBeforeItsTime() {
    q.enqueue(job("later").withRunAt(Instant.now().plusSeconds(60)));
    assertThat(q.claim("a", 10)).isEmpty();
    assertThat(q.nextDueIn().get()).isBetween(Duration.ofSeconds(50), Duration.ofSeconds(61));
  }

  @Test
  void higherPriorityIsClaimedFirst() {
    long low = q.enqueue(job("low")).getAsLong();
    long high = q.enqueue(job("high").withPriority(10)).getAsLong();
    long mid = q.enqueue(job("mid").withPriority(5)).getAsLong();
    assertThat(q.claim("a", 1)).extracting(QueuedJob::id).containsExactly(high);
    assertThat(q.claim("a", 5)).extracting(QueuedJob::id).containsExactly(mid, low);
  }

  @Test
  void retryQueuesTheNextAttemptAfterTheDelay() {
    long id = q.enqueue(job("1").withMaxAttempts(3)).getAsLong();
    q.claim("a", 1);
    assertThat(q.retry(id, 1, "a", Duration.ofMinutes(1), "boom")).isTrue();
    QueuedJob j = admin.job(id).get();
    assertThat(j.state()).isEqualTo(JobState.QUEUED);
    assertThat(j.attempt()).isEqualTo(2);
    assertThat(j.lastError()).isEqualTo("boom");
    assertThat(q.claim("a", 1)).as("not before the delay").isEmpty();
    assertThat(q.retry(id, 1, "a", Duration.ZERO, "again")).as("stale attempt").isFalse();
  }

  @Test
  void deadJobIsListedAndCanBeQueuedAgain() {
    long id = q.enqueue(job("1")).getAsLong();
    q.claim("a", 1);
    q.finish(id, 1, "a", false, "exit 3");
    assertThat(admin.jobs(JobState.DEAD, 10)).extracting(QueuedJob::id).containsExactly(id);
    assertThat(admin.requeue(id)).isTrue();
    QueuedJob j = admin.job(id).get();
    assertThat(j.state()).isEqualTo(JobState.QUEUED);
    assertThat(j.attempt()).isEqualTo(1);
    assertThat(q.claim("b", 1)).extracting(QueuedJob::id).containsExactly(id);
  }

  @Test
  void requeueAllDeadSkipsJobsWhoseKeyIsLiveAgain() {
    long a = q.enqueue(job("a").withUniqueKey("k")).getAsLong();
    long b = q.enqueue(job("b")).getAsLong();
    q.claim("h", 2);
    q.finish(a, 1, "h", false, "x");
    q.finish(b, 1, "h", false, "x");
    q.enqueue(job("a2").withUniqueKey("k"));
    assertThat(admin.requeueAllDead()).isEqualTo(1);
    assertThat(admin.job(a).get().state()).isEqualTo(JobState.DEAD);
    assertThatThrownBy(() -> admin.requeue(a)).isInstanceOf(StoreException.class);
  }

  @Test
  void cancelAffectsOnlyQueuedJobs() {
    long a = q.enqueue(job("a")).getAsLong();
    assertThat(admin.cancel(a)).isTrue();
    assertThat(q.claim("h", 5)).isEmpty();
    long b = q.enqueue(job("b")).getAsLong();
    q.claim("h", 5);
    assertThat(admin.cancel(b)).isFalse();
  }

  @Test
  void releasedJobRunsAgainAsTheSameAttempt() {
    long id = q.enqueue(job("1")).getAsLong();
    q.claim("a", 1);
    assertThat(q.release(id, 1, "a", "host stopped")).isTrue();
    assertThat(q.claim("b", 1)).extracting(QueuedJob::attempt).containsExactly(1);
  }

  @Test
  void jobsOfAHostThatStoppedHeartbeatingAreRecoveredWithTheAttemptCounted() throws Exception {
    Instant start = Instant.now();
    hosts.beat("dying", 1, "v", start, "running", 0);
    hosts.beat("alive", 2, "v", start, "running", 0);
    long id = q.enqueue(job("1")).getAsLong();
    long last = q.enqueue(job("2").withMaxAttempts(1)).getAsLong();
    assertThat(q.claim("dying", 5)).hasSize(2);
    Thread.sleep(1000);
    hosts.beat("alive", 2, "v", start, "running", 0);
    HostRegistry.Recovery r = hosts.recover(Duration.ofMillis(700));
    assertThat(r.deadHosts()).containsExactly("dying");
    assertThat(r.jobs())
        .containsExactlyInAnyOrder(
            new HostRegistry.Recovered(id, "dying", 1, JobState.QUEUED),
            new HostRegistry.Recovered(last, "dying", 1, JobState.DEAD));
    assertThat(admin.job(id).get().attempt()).isEqualTo(2);
    assertThat(q.finish(id, 1, "dying", true, null)).as("the dead host's late outcome").isFalse();
    assertThat(hosts.beat("dying", 1, "v", start, "running", 0)).contains("dead");
    assertThat(hosts.hosts()).extracting(HostRow::name).containsExactly("alive", "dying");
    assertThat(hosts.recover(Duration.ofMillis(200)).jobs()).isEmpty();
  }

  @Test
  void jobsLeftRunningByAnEarlierLifeOfAHostAreTakenBackWhenItStartsAgain() {
    long id = q.enqueue(job("1")).getAsLong();
    long last = q.enqueue(job("2").withMaxAttempts(1)).getAsLong();
    q.claim("worker-1", 5);
    assertThat(hosts.recoverOwn("worker-1"))
        .containsExactlyInAnyOrder(
            new HostRegistry.Recovered(id, "worker-1", 1, JobState.QUEUED),
            new HostRegistry.Recovered(last, "worker-1", 1, JobState.DEAD));
    assertThat(q.claim("worker-1", 5)).extracting(QueuedJob::attempt).containsExactly(2);
    assertThat(admin.job(last).get().lastError())
        .isEqualTo("host worker-1 stopped (restarted) while attempt 1 ran");
  }

  @Test
  void heartbeatKeepsRunningJobsOfALiveHost() throws Exception {
    Instant start = Instant.now();
    q.enqueue(job("1"));
    q.claim("a", 1);
    for (int i = 0; i < 4; i++) {
      Thread.sleep(400);
      hosts.beat("a", 1, "v", start, "stopping", 1);
      assertThat(hosts.recover(Duration.ofMillis(1000)).jobs()).isEmpty();
    }
  }

  @Test
  void clientInsertInTheCallersTransactionRollsBackWithIt() {
    db.transaction(
        "insert",
        c -> {
          org.jobhost.client.JobQueueClient.enqueue(c, job("kept"));
          return null;
        });
    try {
      db.transaction(
          "insert and fail",
          c -> {
            org.jobhost.client.JobQueueClient.enqueue(c, job("lost"));
            throw new IllegalStateException("the caller's work failed");
          });
    } catch (IllegalStateException expected) {
      // rolled back
    }
    assertThat(q.claim("a", 10)).extracting(j -> j.params().get("n")).containsExactly("kept");
  }

  @Test
  void documentedSqlInsertWorks() {
    db.transaction(
        "plain insert",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO jobs (type, params, priority) VALUES ('demo', '{\"n\":\"sql\"}',"
                      + " 3)")) {
            return ps.executeUpdate();
          }
        });
    List<QueuedJob> got = q.claim("a", 1);
    assertThat(got).extracting(QueuedJob::priority).containsExactly(3);
    assertThat(got.get(0).params()).containsEntry("n", "sql");
  }

  @Test
  void rowWithBadParamsIsMarkedDeadWithTheReasonAndTheOthersAreStillClaimed() {
    long good1 = q.enqueue(job("1")).getAsLong();
    long bad =
        db.transaction(
            "insert a row with bad params",
            c -> {
              try (PreparedStatement ps =
                  c.prepareStatement(
                      "INSERT INTO jobs (type, params, priority) VALUES ('demo', '{\"n\": [1,',"
                          + " 5)")) {
                ps.executeUpdate();
              }
              try (PreparedStatement ps = c.prepareStatement("SELECT MAX(id) FROM jobs");
                  java.sql.ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
              }
            });
    long good2 = q.enqueue(job("2")).getAsLong();
    assertThat(q.claim("a", 10)).extracting(QueuedJob::id).containsExactlyInAnyOrder(good1, good2);
    QueuedJob dead = admin.job(bad).orElseThrow();
    assertThat(dead.state()).isEqualTo(JobState.DEAD);
    assertThat(dead.lastError())
        .contains("job " + bad + " has params that are not a JSON object")
        .contains("enqueue it again with valid params");
    assertThat(admin.jobs(JobState.DEAD, 10)).extracting(QueuedJob::id).containsExactly(bad);
    assertThat(q.claim("a", 10)).isEmpty();
  }
}
