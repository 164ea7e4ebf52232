package org.jobhost.cron;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jobhost.cron.CronTesting.task;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jobhost.api.Job;
import org.jobhost.api.PluginSettings;
import org.jobhost.api.SettingsException;
import org.jobhost.store.SqliteStore;
import org.jobhost.store.Store;
import org.jobhost.store.Task;
import org.jobhost.testkit.ManualClock;
import org.jobhost.testkit.TestPluginContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One bad task among good ones: at start, under strict, and on reload. */
class CronBadTaskTest {

  private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

  @TempDir Path home;

  private final ManualClock clock = new ManualClock(T0);
  private final CronSource source = new CronSource();
  private TestPluginContext context;

  /** A daemon's context for cron, laid out in {@code home}; its database is {@link #database()}. */
  private TestPluginContext context(Map<String, ?> values) {
    return builder(values).build();
  }

  private TestPluginContext.Builder builder(Map<String, ?> values) {
    return TestPluginContext.builder("cron").installation(home).clock(clock).settings(values);
  }

  private Path database() {
    return CronTesting.database(home);
  }

  @AfterEach
  void close() {
    source.close();
  }

  private static final List<Map<String, Object>> ONE_GOOD_TWO_BAD =
      List.of(
          task("broken", "61 * * * *"),
          task("every-second", "* * * * * *"),
          task("elsewhere", "@daily", "timezone", "Mars/Olympus"));

  private Map<String, Object> section(List<Map<String, Object>> tasks) {
    return Map.of("host_name", "alpha", "tasks", tasks);
  }

  private List<String> tableTasks() {
    try (Store s = SqliteStore.open(database(), clock)) {
      return s.tasks().stream().map(Task::name).toList();
    }
  }

  @Test
  void badTasksAreSkippedAtStartAndTheGoodOneRuns() {
    context = context(section(ONE_GOOD_TWO_BAD));
    source.init(context);
    assertThat(tableTasks()).containsExactly("every-second");
    clock.set(T0.plusSeconds(1));
    assertThat(source.poll(4)).extracting(Job::type).containsExactly("command");
  }

  @Test
  void eachSkippedTaskIsReportedWithItsNameKeyPlaceBadValueAndTheFix() {
    context = context(section(ONE_GOOD_TWO_BAD));
    CronSettings.Partial p = CronSettings.parseSkippingBadTasks(context.settings(), context);
    assertThat(p.settings().tasks()).extracting(Task::name).containsExactly("every-second");
    assertThat(p.skipped())
        .extracting(CronSettings.SkippedTask::name)
        .containsExactly("broken", "elsewhere");
    assertThat(CronSource.skippedLine(p.skipped().get(0)))
        .contains("task=broken is invalid and does not run")
        .contains("plugins.cron.tasks[0].schedule")
        .contains("\"61 * * * *\"")
        .contains("test settings key plugins.cron.tasks[0].schedule")
        .contains("fix it and run jobhost reload");
    assertThat(CronSource.skippedLine(p.skipped().get(1)))
        .contains("task=elsewhere")
        .contains("plugins.cron.tasks[2].timezone")
        .contains("\"Mars/Olympus\" is no time zone");
  }

  @Test
  void duplicateNameSkipsTheLaterTask() {
    context = context(section(List.of(task("a", "@daily"), task("a", "@hourly"))));
    CronSettings.Partial p = CronSettings.parseSkippingBadTasks(context.settings(), context);
    assertThat(p.settings().tasks()).extracting(Task::schedule).containsExactly("@daily");
    assertThat(p.skipped())
        .singleElement()
        .extracting(CronSettings.SkippedTask::name)
        .isEqualTo("a");
  }

  @Test
  void problemOutsideTheTasksStillFailsTheStart() {
    context = context(Map.of("keep_runs", 0L));
    assertThatThrownBy(() -> source.init(context)).isInstanceOf(SettingsException.class);
  }

  @Test
  void underStrictABadTaskRefusesTheStartNamingEveryProblem() {
    context = builder(section(ONE_GOOD_TWO_BAD)).strict(true).build();
    assertThatThrownBy(() -> source.init(context))
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining("plugins.cron.tasks[0].schedule of task broken is invalid")
        .hasMessageContaining("\"Mars/Olympus\" is no time zone");
  }

  /**
   * Starts cron with the one good task; returns the settings of a reload that adds {@code added},
   * each key's place described by {@code where}.
   */
  private PluginSettings startedThenReloadAdding(
      Map<String, Object> added, Function<String, String> where) {
    Map<String, Object> everySecond = task("every-second", "* * * * * *");
    context = context(section(List.of(everySecond)));
    source.init(context);
    return PluginSettings.of("plugins.cron", section(List.of(everySecond, added)), where);
  }

  @Test
  void reloadWithABadTaskIsRejectedAndCronKeepsItsTasks() {
    PluginSettings bad =
        startedThenReloadAdding(task("broken", "61 * * * *"), k -> "jobhost.toml key " + k);
    assertThatThrownBy(() -> source.validateSettings(bad))
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining("plugins.cron.tasks[1].schedule of task broken is invalid")
        .hasMessageContaining("\"61 * * * *\"");
    assertThat(tableTasks()).containsExactly("every-second");
    clock.set(T0.plusSeconds(1));
    assertThat(source.poll(4)).hasSize(1);
  }

  @Test
  void reloadWithGoodSettingsIsAcceptedAndApplied() throws Exception {
    PluginSettings good = startedThenReloadAdding(task("daily", "@daily"), k -> k);
    source.validateSettings(good);
    source.settingsChanged(good);
    assertThat(tableTasks()).containsExactly("daily", "every-second");
  }
}
