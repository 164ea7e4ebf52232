package org.jobhost.cron;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jobhost.api.Job;
import org.jobhost.api.Outcome;
import org.jobhost.api.PluginSettings;
import org.jobhost.api.SettingsException;
import org.jobhost.cron.worklog.SharedStores;
import org.jobhost.store.DatabaseSettings;
import org.jobhost.store.Run;
import org.jobhost.store.RunOutcome;
import org.jobhost.store.SqliteStore;
import org.jobhost.store.Store;
import org.jobhost.store.Task;
import org.jobhost.testkit.FakeHost;
import org.jobhost.testkit.ManualClock;
import org.jobhost.testkit.TestPluginContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CronSourceTest {

  private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

  @TempDir Path home;

  private final ManualClock clock = new ManualClock(T0);
  private final FakeHost host = new FakeHost();
  private final CronSource source = new CronSource();
  private TestPluginContext context;

  private TestPluginContext context(Map<String, ?> values) {
    return CronTesting.daemon(home, clock, host, values);
  }

  private Path database() {
    return CronTesting.database(home);
  }

  @AfterEach
  void close() {
    source.close();
  }

  /** Task {@code tick} on {@code schedule}; {@code more} adds keys and values, in pairs. */
  private static Map<String, Object> tick(String schedule, Object... more) {
    return CronTesting.task("tick", schedule, more);
  }

  private CronSource started(Map<String, Object> values) {
    context = context(values);
    source.init(context);
    return source;
  }

  private List<Run> history() {
    return CronTesting.history(database(), clock);
  }

  @Test
  void configuredTaskIsInTheTableAndItsFirstFireIsTheNextDueTime() {
    started(Map.of("host_name", "alpha", "tasks", List.of(tick("*/10 * * * * *"))));
    assertThat(source.nextDue()).contains(T0.plusSeconds(10));
    assertThat(source.poll(4)).isEmpty();
    try (Store s = SqliteStore.open(database(), clock)) {
      assertThat(s.tasks()).extracting(Task::name).containsExactly("tick");
    }
  }

  @Test
  void depthIsTheRunsWaitingNotTheScheduleAndUnknownUnderACheck() {
    started(
        Map.of(
            "host_name",
            "alpha",
            "tasks",
            List.of(tick("*/10 * * * * *"), CronTesting.task("boot", "@reboot"))));
    assertThat(source.depth()).hasValue(1);
    assertThat(source.poll(4)).hasSize(1);
    assertThat(source.depth()).hasValue(0);

    CronSource checked = new CronSource();
    checked.init(
        TestPluginContext.builder("cron")
            .installation(home)
            .clock(clock)
            .checkOnly()
            .settings(Map.of("tasks", List.of(tick("* * * * *"))))
            .build());
    try {
      assertThat(checked.depth()).isEmpty();
    } finally {
      checked.close();
    }
  }

  @Test
  void dueTaskIsPolledAsAFirstAttemptOfItsTypeWithItsParams() {
    started(Map.of("host_name", "alpha", "tasks", List.of(tick("*/10 * * * * *"))));
    clock.set(T0.plusSeconds(10));
    List<Job> jobs = source.poll(4);
    assertThat(jobs)
        .singleElement()
        .satisfies(
            j -> {
              assertThat(j.id()).isEqualTo("tick@2024-05-01T10:00:10Z");
              assertThat(j.type()).isEqualTo("command");
              assertThat(j.params()).containsEntry("shell", "true");
              assertThat(j.attempt()).isEqualTo(1);
            });
    assertThat(history()).singleElement().satisfies(r -> assertThat(r.end()).isNull());
  }

  @Test
  void completedJobEndsItsRunInTheWorklog() {
    started(Map.of("host_name", "alpha", "tasks", List.of(tick("*/10 * * * * *"))));
    clock.set(T0.plusSeconds(10));
    Job job = source.poll(4).get(0);
    clock.set(T0.plusSeconds(11));
    source.completed(job, Outcome.failed("exit 3", 3, "boom\n"));
    assertThat(history())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.start().task()).isEqualTo("tick");
              assertThat(r.start().host()).isEqualTo("alpha");
              assertThat(r.end().outcome()).isEqualTo(RunOutcome.FAILED);
              assertThat(r.end().exitCode()).isEqualTo(3);
              assertThat(r.end().outputTail()).isEqualTo("boom\n");
            });
  }

  @Test
  void retriedJobComesBackAsItsNextAttemptNoEarlierThanNotBefore() {
    started(
        Map.of("host_name", "alpha", "tasks", List.of(tick("0 0 * * * *", "max_attempts", 3L))));
    clock.set(T0.plusSeconds(3600));
    Job first = source.poll(4).get(0);
    Instant notBefore = T0.plusSeconds(3605);
    assertThat(source.retry(first, Outcome.failed("exit 1", 1, ""), notBefore)).isTrue();
    assertThat(source.nextDue()).contains(notBefore);
    clock.set(notBefore.minusMillis(1));
    assertThat(source.poll(4)).isEmpty();
    clock.set(notBefore);
    assertThat(source.poll(4))
        .singleElement()
        .satisfies(
            j -> {
              assertThat(j.id()).isEqualTo(first.id());
              assertThat(j.attempt()).isEqualTo(2);
              assertThat(j.maxAttempts()).isEqualTo(3);
            });
    assertThat(history())
        .extracting(r -> r.start().attempt(), r -> r.end() == null ? null : r.end().outcome())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(2, null),
            org.assertj.core.groups.Tuple.tuple(1, RunOutcome.FAILED));
  }

  @Test
  void jobThisSourceDidNotHandOutIsNotTakenForRetry() {
    started(Map.of("host_name", "alpha"));
    Job stranger = new Job("x.json", "command", Map.of());
    assertThat(source.retry(stranger, Outcome.failed("no"), T0)).isFalse();
  }

  @Test
  void taskAddedByTheCommandLineInAnotherConnectionIsSeenWithinASecond() {
    started(Map.of("host_name", "alpha"));
    assertThat(source.nextDue()).isEmpty();
    try (Store cli = SqliteStore.open(database(), clock)) {
      cli.update(tx -> tx.putTask(Task.of("added", "*/5 * * * * *", "command", Map.of()), T0));
    }
    clock.set(T0.plus(TaskCache.CHANGE_CHECK_INTERVAL));
    assertThat(source.poll(4)).isEmpty();
    assertThat(source.nextDue()).contains(T0.plusSeconds(5));
  }

  @Test
  void taskDisabledByTheCommandLineStopsFiringOnTheRunningSource() {
    started(Map.of("host_name", "alpha", "tasks", List.of(tick("*/10 * * * * *"))));
    try (Store cli = SqliteStore.open(database(), clock)) {
      Task t = cli.tasks().get(0);
      cli.update(tx -> tx.putTask(t.withEnabledOverride(false), T0));
    }
    clock.set(T0.plusSeconds(10));
    assertThat(source.poll(4)).isEmpty();
    assertThat(source.nextDue()).isEmpty();
  }

  @Test
  void queuedFireWakesTheHostWhenThePreviousRunEnds() {
    started(
        Map.of("host_name", "alpha", "tasks", List.of(tick("*/10 * * * * *", "overlap", "queue"))));
    clock.set(T0.plusSeconds(10));
    Job first = source.poll(4).get(0);
    clock.set(T0.plusSeconds(20));
    assertThat(source.poll(4)).as("queued behind the running one").isEmpty();
    long before = host.count("wake");
    source.completed(first, Outcome.succeeded());
    assertThat(host.count("wake")).isEqualTo(before + 1);
    assertThat(source.poll(4)).extracting(Job::id).containsExactly("tick@2024-05-01T10:00:20Z");
  }

  @Test
  void newSettingsSyncTheConfiguredTasksIntoTheTable() {
    started(Map.of("host_name", "alpha", "tasks", List.of(tick("*/10 * * * * *"))));
    Map<String, Object> other = CronTesting.task("other", "*/7 * * * * *");
    source.settingsChanged(
        PluginSettings.of(
            "plugins.cron", Map.of("host_name", "alpha", "tasks", List.of(other)), k -> k));
    assertThat(source.nextDue()).contains(T0.plusSeconds(7));
    try (Store s = SqliteStore.open(database(), clock)) {
      assertThat(s.tasks()).extracting(Task::name).containsExactly("other");
    }
  }

  @Test
  void invalidSettingsFailInitNamingTheKey() {
    assertThatThrownBy(() -> started(Map.of("keep_runs", 0L)))
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining("plugins.cron.keep_runs must be at least 1 (was 0)");
  }

  @Test
  void closeReleasesTheDatabaseConnection() {
    started(Map.of("host_name", "alpha"));
    assertThat(SharedStores.users(DatabaseSettings.sqlite(database()))).isEqualTo(1);
    source.close();
    assertThat(SharedStores.users(DatabaseSettings.sqlite(database()))).isZero();
  }
}
