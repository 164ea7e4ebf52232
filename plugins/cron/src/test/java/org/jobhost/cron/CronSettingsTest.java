package org.jobhost.cron;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jobhost.api.PluginSettings;
import org.jobhost.api.SettingsException;
import org.jobhost.store.Task;
import org.jobhost.testkit.ManualClock;
import org.jobhost.testkit.TestPluginContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CronSettingsTest {

  @TempDir Path home;

  private final ManualClock clock = new ManualClock(Instant.parse("2024-05-01T10:00:00Z"));

  /** Says where each key is written, as the configuration loader does. */
  private static final Map<String, Integer> LINES =
      Map.of(
          "plugins.cron.keep_runs", 3,
          "plugins.cron.keep_fro", 4,
          "plugins.cron.misfire_threshold", 5,
          "plugins.cron.tasks[0].schedule", 9,
          "plugins.cron.tasks[1].schedule", 14,
          "plugins.cron.tasks[2].timezone", 21,
          "plugins.cron.tasks[3].name", 25);

  private CronSettings parse(Map<String, Object> values) {
    TestPluginContext c =
        TestPluginContext.builder("cron")
            .installation(home)
            .clock(clock)
            .settings(
                PluginSettings.of(
                    "plugins.cron",
                    values,
                    k -> "/etc/jobhost/jobhost.toml line " + LINES.getOrDefault(k, 0)))
            .build();
    return CronSettings.parse(c.settings(), c);
  }

  private static Map<String, Object> task(String name, Object... more) {
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("name", name);
    t.put("schedule", "*/10 * * * * *");
    t.put("type", "command");
    for (int i = 0; i < more.length; i += 2) {
      t.put((String) more[i], more[i + 1]);
    }
    return t;
  }

  @Test
  void emptySectionGivesTheDocumentedDefaults() {
    CronSettings s = parse(Map.of());
    assertThat(s.keepRuns()).isEqualTo(1000);
    assertThat(s.keepFor()).isEqualTo(Duration.ofDays(30));
    assertThat(s.misfireThreshold()).isEqualTo(Duration.ofMinutes(1));
    assertThat(s.database().sqliteFile()).isEqualTo(home.resolve("var/jobhost.db"));
    assertThat(s.tasks()).isEmpty();
  }

  @Test
  void relativeDatabasePathIsResolvedAgainstTheHomeDirectory() {
    assertThat(parse(Map.of("database", "data/tasks.db")).database().sqliteFile())
        .isEqualTo(home.resolve("data/tasks.db"));
  }

  @Test
  void taskKeysBecomeATaskWithItsPolicies() {
    CronSettings s =
        parse(
            Map.of(
                "tasks",
                List.of(
                    task(
                        "nightly",
                        "params",
                        Map.of("shell", "backup", "n", 3L),
                        "timezone",
                        "Europe/Berlin",
                        "timeout",
                        "30s",
                        "max_attempts",
                        3L,
                        "overlap",
                        "queue",
                        "misfire",
                        "fire_all",
                        "misfire_cap",
                        5L,
                        "jitter",
                        "2s",
                        "rerun_interrupted",
                        true))));
    Task t = s.tasks().get(0);
    assertThat(t.params()).containsEntry("shell", "backup").containsEntry("n", "3");
    assertThat(t.timezone()).isEqualTo("Europe/Berlin");
    assertThat(t.timeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(t.maxAttempts()).isEqualTo(3);
    assertThat(t.overlap()).isEqualTo(Task.Overlap.QUEUE);
    assertThat(t.misfire()).isEqualTo(Task.Misfire.FIRE_ALL);
    assertThat(t.misfireCap()).isEqualTo(5);
    assertThat(t.jitter()).isEqualTo(Duration.ofSeconds(2));
    assertThat(t.rerunInterrupted()).isTrue();
  }

  @Test
  void everyProblemIsReportedTogetherEachWithItsFileLineAndKey() {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("keep_runs", 0L);
    values.put("keep_fro", "1d");
    values.put("misfire_threshold", "0s");
    values.put(
        "tasks",
        List.of(
            task("a", "schedule", "every minute"),
            task("b", "schedule", ""),
            task("c", "timezone", "Mars/Olympus"),
            task("a")));
    assertThatThrownBy(() -> parse(values))
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining(
            "plugins.cron.keep_fro is not a known setting; known settings are [database,"
                + " database_password, database_password_file, database_url, database_user,"
                + " host_name, keep_for, keep_runs, misfire_threshold, pool_size, tasks]"
                + " (/etc/jobhost/jobhost.toml line 4)")
        .hasMessageContaining(
            "plugins.cron.keep_runs must be at least 1 (was 0) (/etc/jobhost/jobhost.toml line 3)")
        .hasMessageContaining(
            "plugins.cron.misfire_threshold must be more than 0; use \"1m\" for example"
                + " (/etc/jobhost/jobhost.toml line 5)")
        .hasMessageContaining("plugins.cron.tasks[0].schedule of task a is invalid")
        .hasMessageContaining(
            "plugins.cron.tasks[1].schedule is required in every [[plugins.cron.tasks]] table"
                + " (/etc/jobhost/jobhost.toml line 14)")
        .hasMessageContaining(
            "plugins.cron.tasks[2].timezone \"Mars/Olympus\" is no time zone; use an id such as"
                + " \"Europe/Berlin\" or \"UTC\" (/etc/jobhost/jobhost.toml line 21)")
        .hasMessageContaining(
            "plugins.cron.tasks[3].name \"a\" is used by an earlier task; rename one"
                + " (/etc/jobhost/jobhost.toml line 25)");
  }

  @Test
  void unknownTaskKeyNamesTheKnownOnes() {
    assertThatThrownBy(() -> parse(Map.of("tasks", List.of(task("a", "shedule", "x")))))
        .hasMessageContaining("plugins.cron.tasks[0].shedule is not a known setting")
        .hasMessageContaining("schedule");
  }

  @Test
  void unknownOverlapPolicyNamesTheTaskAndTheChoices() {
    assertThatThrownBy(() -> parse(Map.of("tasks", List.of(task("a", "overlap", "never")))))
        .hasMessageContaining("plugins.cron.tasks[0].overlap of task a:")
        .hasMessageContaining("skip");
  }
}
