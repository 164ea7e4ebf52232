package org.jobhost.cron;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.jobhost.api.AdminView;
import org.jobhost.api.Job;
import org.jobhost.api.Outcome;
import org.jobhost.cron.worklog.HistoryView;
import org.jobhost.cron.worklog.WorklogListener;
import org.jobhost.store.SqliteStore;
import org.jobhost.store.Store;
import org.jobhost.store.Task;
import org.jobhost.testkit.FakeHost;
import org.jobhost.testkit.ManualClock;
import org.jobhost.testkit.TestPluginContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CronViewsTest {

  private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

  @TempDir Path home;

  private final ManualClock clock = new ManualClock(T0);
  private final FakeHost host = new FakeHost();
  private final CronSource source = new CronSource();
  private final WorklogListener listener = new WorklogListener();
  private final CronViews views = new CronViews();
  private TestPluginContext context;

  @AfterEach
  void close() {
    views.close();
    listener.close();
    source.close();
  }

  private CronViews.Tasks start() {
    Map<String, Object> task = CronTesting.task("report", "0 0 1 1 *");
    context =
        TestPluginContext.builder("cron")
            .installation(home)
            .clock(clock)
            .host(host)
            .settings(Map.of("host_name", "alpha", "tasks", List.of(task)))
            .build();
    source.init(context);
    listener.init(context);
    views.init(context);
    assertThat(context.views()).extracting(AdminView::name).containsExactly("tasks", "history");
    return (CronViews.Tasks) context.views().get(0);
  }

  private HistoryView history() {
    return (HistoryView) context.views().get(1);
  }

  private Task task(String name) {
    try (Store s = SqliteStore.open(home.resolve("var/jobhost.db"), clock)) {
      return s.tasks().stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
    }
  }

  @Test
  void theTaskViewHasTheFieldsOfTasksListJsonWithTheNextFire() {
    CronViews.Tasks tasks = start();

    List<Map<String, Object>> rows = tasks.rows(Map.of());

    assertThat(tasks.key()).isEqualTo("name");
    assertThat(tasks.actions()).containsExactly("enable", "disable", "run");
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0))
        .containsEntry("name", "report")
        .containsEntry("schedule", "0 0 1 1 *")
        .containsEntry("enabled", true)
        .containsEntry("next_fire", "2025-01-01T00:00:00Z");
  }

  @Test
  void disableAndEnableFromTheViewChangeTheTableAndWakeTheHost() throws Exception {
    CronViews.Tasks tasks = start();

    assertThat(tasks.act("disable", "report")).isEqualTo("disabled task report");
    assertThat(task("report").effectiveEnabled()).isFalse();
    assertThat(tasks.act("enable", "report")).isEqualTo("enabled task report");
    assertThat(task("report").effectiveEnabled()).isTrue();
    assertThat(host.count("wake")).isGreaterThanOrEqualTo(2);
  }

  @Test
  void runNowFromTheViewIsPolledByTheSourceAndItsRunShowsInTheHistory() throws Exception {
    CronViews.Tasks tasks = start();

    assertThat(tasks.act("run", "report")).startsWith("requested a run of task report (request ");
    List<Job> jobs = source.poll(4);

    assertThat(jobs).hasSize(1);
    listener.jobStarted(jobs.get(0));
    listener.jobEnded(jobs.get(0), Outcome.failed("exit code 3", 3, "boom\n"));
    source.completed(jobs.get(0), Outcome.failed("exit code 3", 3, "boom\n"));
    assertThat(history().rows(Map.of()))
        .singleElement()
        .satisfies(
            r ->
                assertThat(r)
                    .containsEntry("task", "report")
                    .containsEntry("type", "command")
                    .containsEntry("outcome", "FAILED")
                    .containsEntry("exit_code", 3));
  }

  @Test
  void historyFiltersByOutcomeTaskTypeAndSince() throws Exception {
    start();
    Job a = new Job("a.json", "command", Map.of());
    Job b = new Job("b.json", "mail", Map.of());
    listener.jobStarted(a);
    listener.jobEnded(a, Outcome.succeeded());
    clock.set(T0.plusSeconds(7200));
    listener.jobStarted(b);
    listener.jobEnded(b, Outcome.failed("exit code 1", 1, ""));

    assertThat(ids(Map.of())).containsExactly("b.json", "a.json");
    assertThat(ids(Map.of("outcome", "succeeded"))).containsExactly("a.json");
    assertThat(ids(Map.of("type", "mail"))).containsExactly("b.json");
    assertThat(ids(Map.of("task", "a.json"))).containsExactly("a.json");
    assertThat(ids(Map.of("since", "1h"))).containsExactly("b.json");
    assertThat(ids(Map.of("since", "2024-05-01"))).containsExactly("b.json", "a.json");
  }

  @Test
  void badFiltersAndUnknownTasksAreRefusedNamingTheFix() {
    CronViews.Tasks tasks = start();

    assertThatThrownBy(() -> history().rows(Map.of("outcome", "great")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("outcome \"great\" is none of running, succeeded");
    assertThatThrownBy(() -> history().rows(Map.of("since", "yesterday")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("since \"yesterday\" is no duration (\"2h\")");
    assertThatThrownBy(() -> tasks.act("run", "nope"))
        .isInstanceOf(NoSuchElementException.class)
        .hasMessage("no task named \"nope\"; see jobhost tasks list");
    assertThatThrownBy(() -> tasks.act("delete", "report"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no action \"delete\"");
  }

  private List<Object> ids(Map<String, String> filters) {
    return history().rows(filters).stream().map(r -> r.get("job_id")).toList();
  }
}
