package org.jobhost.cron;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.jobhost.api.Job;
import org.jobhost.api.Outcome;
import org.jobhost.store.HistoryQuery;
import org.jobhost.store.Run;
import org.jobhost.store.RunOutcome;
import org.jobhost.store.RunRequest;
import org.jobhost.store.Store;
import org.jobhost.store.Task;
import org.jobhost.testkit.ManualClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class SchedulerTest {

  private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

  @TempDir Path dir;

  private final ManualClock clock = new ManualClock(T0);
  private final AtomicInteger wakes = new AtomicInteger();
  @RegisterExtension final OpenStores stores = new OpenStores();

  private Store store() {
    return stores.open(dir.resolve("jobhost.db"), clock);
  }

  private static Task task(String name, String schedule) {
    return Task.of(name, schedule, "command", Map.of("shell", "echo hi"))
        .withOrigin(Task.Origin.CONFIG);
  }

  private Scheduler start(Task... tasks) {
    CronSettings s =
        new CronSettings(
            org.jobhost.store.DatabaseSettings.sqlite(dir.resolve("jobhost.db")),
            "alpha",
            CronSettings.DEFAULT_KEEP_RUNS,
            CronSettings.DEFAULT_KEEP_FOR,
            CronSettings.DEFAULT_MISFIRE_THRESHOLD,
            List.of(tasks));
    Scheduler scheduler = new Scheduler(store(), clock, s, wakes::incrementAndGet);
    scheduler.start();
    return scheduler;
  }

  private List<Run> history(String task) {
    return store().history(new HistoryQuery(task, false, null, 100));
  }

  /** Starts {@code t}, stops the host, and starts it again at {@code T0 + later}. */
  private Scheduler restartedAt(Duration later, Task t) {
    start(t);
    stores.closeAll();
    clock.set(T0.plus(later));
    return start(t);
  }

  @Test
  void dueTaskFiresAtItsSecondAndIsRecordedBeforeItIsHandedOut() {
    Scheduler s = start(task("tick", "*/10 * * * * *"));
    assertThat(s.poll(4)).isEmpty();
    assertThat(s.nextDue()).contains(T0.plusSeconds(10));
    clock.set(T0.plusSeconds(10));
    List<Job> jobs = s.poll(4);
    assertThat(jobs).extracting(Job::id).containsExactly("tick@2024-05-01T10:00:10Z");
    assertThat(history("tick")).singleElement().satisfies(r -> assertThat(r.end()).isNull());
    assertThat(s.nextDue()).contains(T0.plusSeconds(20));
    s.completed(jobs.get(0), Outcome.succeeded("hello\n"));
    assertThat(history("tick").get(0).end().outcome()).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(history("tick").get(0).end().outputTail()).isEqualTo("hello\n");
  }

  @Test
  void jobCarriesTheTaskTypeParamsTimeoutAndMaxAttempts() {
    Task t = task("t", "* * * * *").withLimits(Duration.ofSeconds(30), 3, false);
    Scheduler s = start(t);
    clock.set(T0.plusSeconds(60));
    Job job = s.poll(1).get(0);
    assertThat(job.type()).isEqualTo("command");
    assertThat(job.params()).containsEntry("shell", "echo hi");
    assertThat(job.timeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(job.maxAttempts()).isEqualTo(3);
    assertThat(job.attempt()).isEqualTo(1);
  }

  @Test
  void misfiredTaskFiresOnceAfterDowntime() {
    Scheduler restarted =
        restartedAt(Duration.ofHours(3).plusSeconds(5), task("t", "*/10 * * * *"));
    List<Job> jobs = restarted.poll(10);
    assertThat(jobs).extracting(Job::id).containsExactly("t@2024-05-01T13:00:00Z");
    assertThat(restarted.poll(10)).isEmpty();
    assertThat(restarted.nextDue()).contains(Instant.parse("2024-05-01T13:10:00Z"));
  }

  @Test
  void misfiredTaskWithSkipPolicyWaitsForItsNextFire() {
    Task t = task("t", "*/10 * * * *").withPolicies(Task.Overlap.SKIP, Task.Misfire.SKIP, 10, null);
    Scheduler restarted = restartedAt(Duration.ofHours(3).plusSeconds(90), t);
    assertThat(restarted.poll(10)).isEmpty();
    assertThat(restarted.nextDue()).contains(Instant.parse("2024-05-01T13:10:00Z"));
  }

  @Test
  void misfiredTaskWithFireAllReplaysTheLatestFiresUpToItsCapOldestFirst() {
    Task t =
        task("t", "*/10 * * * *").withPolicies(Task.Overlap.ALLOW, Task.Misfire.FIRE_ALL, 4, null);
    Scheduler restarted = restartedAt(Duration.ofHours(3).plusSeconds(5), t);
    assertThat(restarted.poll(3))
        .extracting(Job::id)
        .containsExactly(
            "t@2024-05-01T12:30:00Z", "t@2024-05-01T12:40:00Z", "t@2024-05-01T12:50:00Z");
    assertThat(restarted.poll(3)).extracting(Job::id).containsExactly("t@2024-05-01T13:00:00Z");
    assertThat(restarted.poll(3)).isEmpty();
  }

  @Test
  void fireAllReplaysQueueBehindEachOtherUnderOverlapSkipInsteadOfBeingSkipped() {
    Task t =
        task("t", "*/10 * * * *").withPolicies(Task.Overlap.SKIP, Task.Misfire.FIRE_ALL, 3, null);
    Scheduler restarted = restartedAt(Duration.ofHours(3).plusSeconds(5), t);
    List<String> ran = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      List<Job> jobs = restarted.poll(10);
      assertThat(jobs).as("one replay at a time").hasSize(1);
      ran.add(jobs.get(0).id());
      restarted.completed(jobs.get(0), Outcome.succeeded());
    }
    assertThat(ran)
        .containsExactly(
            "t@2024-05-01T12:40:00Z", "t@2024-05-01T12:50:00Z", "t@2024-05-01T13:00:00Z");
    assertThat(restarted.poll(10)).isEmpty();
    assertThat(history("t")).extracting(r -> r.end().outcome()).containsOnly(RunOutcome.SUCCEEDED);
  }

  @Test
  void overlapSkipRecordsTheFireAsSkippedWhileThePreviousRunGoes() {
    Scheduler s = start(task("t", "* * * * *"));
    clock.set(T0.plusSeconds(60));
    Job first = s.poll(2).get(0);
    clock.set(T0.plusSeconds(120));
    assertThat(s.poll(2)).isEmpty();
    assertThat(history("t").get(0).end().outcome()).isEqualTo(RunOutcome.SKIPPED);
    s.completed(first, Outcome.succeeded());
    clock.set(T0.plusSeconds(180));
    assertThat(s.poll(2)).extracting(Job::id).containsExactly("t@2024-05-01T10:03:00Z");
  }

  /** Starts task t, every minute with {@code overlap}, and sets the clock to its first fire. */
  private Scheduler everyMinuteAtFirstFire(Task.Overlap overlap) {
    Scheduler s =
        start(task("t", "* * * * *").withPolicies(overlap, Task.Misfire.FIRE_ONCE, 1, null));
    clock.set(T0.plusSeconds(60));
    return s;
  }

  @Test
  void overlapQueueRunsTheFireWhenThePreviousRunEnds() {
    Scheduler s = everyMinuteAtFirstFire(Task.Overlap.QUEUE);
    Job first = s.poll(2).get(0);
    clock.set(T0.plusSeconds(120));
    assertThat(s.poll(2)).isEmpty();
    assertThat(s.nextDue()).as("the queued fire waits for the run").contains(T0.plusSeconds(180));
    s.completed(first, Outcome.succeeded());
    assertThat(wakes.get()).as("the end of the run wakes the dispatcher").isEqualTo(1);
    assertThat(s.poll(2)).extracting(Job::id).containsExactly("t@2024-05-01T10:02:00Z");
  }

  @Test
  void overlapAllowRunsAlongsideThePreviousRun() {
    Scheduler s = everyMinuteAtFirstFire(Task.Overlap.ALLOW);
    assertThat(s.poll(2)).hasSize(1);
    clock.set(T0.plusSeconds(120));
    assertThat(s.poll(2)).extracting(Job::id).containsExactly("t@2024-05-01T10:02:00Z");
  }

  @Test
  void rebootTaskFiresOncePerStart() {
    Scheduler s = start(task("boot", "@reboot"));
    assertThat(s.nextDue()).contains(T0);
    assertThat(s.poll(2)).extracting(Job::id).containsExactly("boot@2024-05-01T10:00:00Z");
    clock.advance(Duration.ofHours(1));
    assertThat(s.poll(2)).isEmpty();
    assertThat(s.nextDue()).isEmpty();
    stores.closeAll();
    Scheduler again = start(task("boot", "@reboot"));
    assertThat(again.poll(2)).extracting(Job::id).containsExactly("boot@2024-05-01T11:00:00Z");
  }

  @Test
  void retriedJobIsOfferedAgainNoEarlierThanNotBefore() {
    Scheduler s = start(task("t", "0 0 * * *").withLimits(null, 3, false));
    s.poll(1);
    clock.set(Instant.parse("2024-05-02T00:00:00Z"));
    Job job = s.poll(1).get(0);
    Instant notBefore = clock.instant().plusSeconds(30);
    assertThat(s.retry(job, Outcome.failed("exit 1", 1, "boom"), notBefore)).isTrue();
    assertThat(s.poll(1)).isEmpty();
    assertThat(s.nextDue()).contains(notBefore);
    clock.set(notBefore);
    Job again = s.poll(1).get(0);
    assertThat(again.id()).isEqualTo(job.id());
    assertThat(again.attempt()).isEqualTo(2);
    assertThat(history("t"))
        .extracting(r -> r.end() == null ? null : r.end().outcome())
        .containsExactly(null, RunOutcome.FAILED);
  }

  @Test
  void waitingCountsRequestedRunsDueOrNotAndRebootFiresButNoScheduledFire() {
    Scheduler s = start(task("boot", "@reboot"), task("t", "@yearly").withLimits(null, 3, false));
    assertThat(s.waiting()).isEqualTo(1);
    assertThat(s.poll(4)).extracting(Job::id).containsExactly("boot@2024-05-01T10:00:00Z");
    assertThat(s.waiting()).isZero();

    Instant later = T0.plus(Duration.ofHours(1));
    store()
        .update(
            tx ->
                tx.addRequest(
                    new RunRequest(0, "t", RunRequest.Reason.MANUAL, later, 1, later, null, T0)));
    clock.set(T0.plus(TaskCache.CHANGE_CHECK_INTERVAL));
    assertThat(s.poll(4)).isEmpty();
    assertThat(s.waiting()).isEqualTo(1);

    clock.set(later);
    Job job = s.poll(4).get(0);
    assertThat(s.waiting()).isZero();
    assertThat(s.retry(job, Outcome.failed("exit 1", 1, "boom"), later.plusSeconds(30))).isTrue();
    assertThat(s.waiting()).isEqualTo(1);
  }

  @Test
  void runRequestedFromAnotherProcessIsPickedUpWithinTheChangeCheckInterval() {
    Scheduler s = start(task("t", "@yearly"));
    assertThat(s.poll(1)).isEmpty();
    Store cli = store();
    cli.update(
        tx -> tx.addRequest(new RunRequest(0, "t", RunRequest.Reason.MANUAL, T0, 1, T0, null, T0)));
    clock.set(T0.plus(TaskCache.CHANGE_CHECK_INTERVAL));
    assertThat(s.poll(1))
        .singleElement()
        .satisfies(j -> assertThat(j.id()).startsWith("t@2024-05-01T10:00:00Z#run-"));
  }

  @Test
  void taskAddedFromAnotherProcessIsPlannedAndFires() {
    Scheduler s = start();
    store().update(tx -> tx.putTask(Task.of("adhoc", "* * * * *", "command", Map.of()), T0));
    clock.set(T0.plus(TaskCache.CHANGE_CHECK_INTERVAL));
    assertThat(s.poll(1)).isEmpty();
    assertThat(s.nextDue()).contains(T0.plusSeconds(60));
    clock.set(T0.plusSeconds(60));
    assertThat(s.poll(1)).extracting(Job::id).containsExactly("adhoc@2024-05-01T10:01:00Z");
  }

  @Test
  void idleCronSourceDoesNotQueryTheDatabaseOnEveryPoll() {
    Scheduler s = start(task("tick", "*/10 * * * * *"));
    long before = s.changeChecks();
    for (int i = 0; i < 1000; i++) {
      clock.set(T0.plusMillis(i));
      assertThat(s.poll(1)).isEmpty();
    }
    assertThat(s.changeChecks() - before)
        .as("database checks in 1000 idle polls over 1 s")
        .isLessThanOrEqualTo(1);
    clock.set(T0.plusSeconds(10));
    assertThat(s.poll(1)).as("the due fire comes from the plan in memory").hasSize(1);
    assertThat(s.changeChecks() - before).isLessThanOrEqualTo(2);
  }

  @Test
  void busySlotsPollingCronCostOneDatabaseCheckPerInterval() {
    Scheduler s = start(task("t", "@yearly"));
    s.poll(1);
    long before = s.changeChecks();
    for (int second = 1; second <= 5; second++) {
      for (int i = 0; i < 200; i++) {
        clock.set(T0.plusSeconds(second).plusMillis(i));
        s.poll(1);
      }
    }
    assertThat(s.changeChecks() - before).isEqualTo(5);
  }

  @Test
  void runCutOffByACrashIsClosedAsInterruptedAndRerunWhenTheTaskSaysSo() {
    Task t = task("t", "* * * * *").withLimits(null, 0, true);
    Scheduler s = start(t);
    clock.set(T0.plusSeconds(60));
    Job job = s.poll(1).get(0);
    stores.closeAll();
    clock.set(T0.plusSeconds(70));
    Scheduler restarted = start(t);
    assertThat(history("t").get(0).end().outcome()).isEqualTo(RunOutcome.INTERRUPTED);
    assertThat(restarted.poll(1)).extracting(Job::id).containsExactly(job.id());
  }

  @Test
  void jitterDelaysEachFireByAFixedOffsetWithinTheJitter() {
    Task t =
        task("t", "* * * * *")
            .withPolicies(Task.Overlap.SKIP, Task.Misfire.FIRE_ONCE, 1, Duration.ofSeconds(20));
    Scheduler s = start(t);
    Instant due = s.nextDue().orElseThrow();
    assertThat(due).isBetween(T0.plusSeconds(60), T0.plusSeconds(80));
    assertThat(Misfires.due(t, T0.plusSeconds(60))).isEqualTo(due);
    clock.set(due.minusMillis(1));
    assertThat(s.poll(1)).isEmpty();
    clock.set(due);
    assertThat(s.poll(1)).extracting(Job::id).containsExactly("t@2024-05-01T10:01:00Z");
  }

  @Test
  void disabledTaskDoesNotFire() {
    Scheduler s = start(task("t", "* * * * *").withEnabled(false));
    clock.set(T0.plusSeconds(600));
    assertThat(s.poll(1)).isEmpty();
    assertThat(s.nextDue()).isEmpty();
  }
}
