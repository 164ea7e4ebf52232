package org.jobhost.cron.worklog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jobhost.api.Job;
import org.jobhost.api.Outcome;
import org.jobhost.cron.CronSource;
import org.jobhost.cron.CronTesting;
import org.jobhost.store.DatabaseSettings;
import org.jobhost.store.Run;
import org.jobhost.store.RunOutcome;
import org.jobhost.store.SqliteStore;
import org.jobhost.store.Store;
import org.jobhost.testkit.FakeHost;
import org.jobhost.testkit.ManualClock;
import org.jobhost.testkit.TestPluginContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorklogListenerTest {

  private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

  @TempDir Path home;

  private final ManualClock clock = new ManualClock(T0);
  private final WorklogListener listener = new WorklogListener();
  private final CronSource source = new CronSource();
  private TestPluginContext context;

  private Path database() {
    return CronTesting.database(home);
  }

  @AfterEach
  void close() {
    listener.close();
    source.close();
  }

  private void start(Map<String, Object> values) {
    context = CronTesting.daemon(home, clock, new FakeHost(), values);
    listener.init(context);
  }

  private List<Run> history() {
    return CronTesting.history(database(), clock);
  }

  @Test
  void jobOfAnotherSourceIsRecordedFromStartToEndUnderItsJobId() {
    start(Map.of("host_name", "alpha"));
    Job job = new Job("report.json", "command", Map.of("shell", "exit 2"));
    listener.jobStarted(job);
    assertThat(history()).singleElement().satisfies(r -> assertThat(r.end()).isNull());
    clock.set(T0.plusMillis(1500));
    listener.jobEnded(job, Outcome.failed("exit code 2", 2, "oops\n"));
    assertThat(history())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.start().source()).isEqualTo(Store.SOURCE_HOST);
              assertThat(r.start().task()).isNull();
              assertThat(r.start().jobId()).isEqualTo("report.json");
              assertThat(r.start().jobType()).isEqualTo("command");
              assertThat(r.start().host()).isEqualTo("alpha");
              assertThat(r.end().outcome()).isEqualTo(RunOutcome.FAILED);
              assertThat(r.end().exitCode()).isEqualTo(2);
              assertThat(r.end().message()).isEqualTo("exit code 2");
              assertThat(r.end().outputTail()).isEqualTo("oops\n");
            });
  }

  @Test
  void eachAttemptOfAJobIsARunOfItsOwn() {
    start(Map.of("host_name", "alpha"));
    Job first = new Job("a.json", "command", Map.of(), null, 1, 3);
    listener.jobStarted(first);
    listener.jobEnded(first, Outcome.failed("exit code 1", 1, ""));
    Job second = first.nextAttempt();
    listener.jobStarted(second);
    listener.jobEnded(second, Outcome.succeeded());
    assertThat(history())
        .extracting(r -> r.start().attempt(), r -> r.end().outcome())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(2, RunOutcome.SUCCEEDED),
            org.assertj.core.groups.Tuple.tuple(1, RunOutcome.FAILED));
  }

  @Test
  void cronJobAlreadyRecordedByTheSourceIsNotRecordedTwice() {
    Map<String, Object> values =
        Map.of(
            "host_name",
            "alpha",
            "tasks",
            List.of(
                Map.of(
                    "name",
                    "tick",
                    "schedule",
                    "*/10 * * * * *",
                    "type",
                    "command",
                    "params",
                    Map.of("shell", "true"))));
    start(values);
    source.init(context);
    clock.set(T0.plusSeconds(10));
    Job job = source.poll(1).get(0);
    listener.jobStarted(job);
    source.completed(job, Outcome.succeeded());
    listener.jobEnded(job, Outcome.succeeded());
    assertThat(history())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.start().source()).isEqualTo(Store.SOURCE_CRON);
              assertThat(r.end().outcome()).isEqualTo(RunOutcome.SUCCEEDED);
            });
  }

  @Test
  void recordedRunsDoNotLookLikeTaskTableChangesToTheCronSource() {
    start(Map.of("host_name", "alpha"));
    source.init(context);
    assertThat(SharedStores.users(DatabaseSettings.sqlite(database())))
        .as("one shared connection")
        .isEqualTo(2);
    try (Store sourceView = SharedStores.acquire(DatabaseSettings.sqlite(database()), clock)) {
      long before = sourceView.changeCount();
      Job job = new Job("a.json", "command", Map.of());
      listener.jobStarted(job);
      listener.jobEnded(job, Outcome.succeeded());
      assertThat(sourceView.changeCount()).isEqualTo(before);
      try (Store cli = SqliteStore.open(database(), clock)) {
        cli.update(
            tx -> tx.putTask(org.jobhost.store.Task.of("t", "* * * * *", "command", Map.of()), T0));
      }
      assertThat(sourceView.changeCount()).as("another process's write").isNotEqualTo(before);
    }
  }
}
