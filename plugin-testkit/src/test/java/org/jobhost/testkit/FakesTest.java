package org.jobhost.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.jobhost.api.AdminView;
import org.jobhost.api.Job;
import org.jobhost.api.Lifecycle;
import org.jobhost.api.MetricSample;
import org.jobhost.api.PluginSettings;
import org.jobhost.api.SettingsException;
import org.jobhost.api.Signal;
import org.jobhost.api.Stats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FakesTest {

  @Test
  void theFakeHostRecordsEveryCallAndItsLifecycleFollowsThem() {
    FakeHost host = new FakeHost();
    host.pause();
    host.wake();
    host.resize(2);
    host.resume();
    host.signalChildren(Signal.TERM);
    assertThat(host.calls())
        .containsExactly("pause", "wake", "resize 2", "resume", "signalChildren SIGTERM");
    assertThat(host.lifecycle()).isEqualTo(Lifecycle.RUNNING);
    host.stop();
    assertThat(host.lifecycle()).isEqualTo(Lifecycle.STOPPING);
    assertThat(host.stats().maxWorkers()).isEqualTo(2);
    assertThatThrownBy(() -> host.resize(0)).hasMessageContaining("at least 1");
  }

  @Test
  void theFakeHostReportsTheStatsATestSets() {
    FakeHost host = new FakeHost();
    host.setStats(new Stats(5, 4, 1, 0, 0, 0, 1, 8, Duration.ofMinutes(3), Lifecycle.RUNNING));
    host.pause();
    assertThat(host.stats().summary())
        .isEqualTo(
            "completed 5 jobs, succeeded 4, failed 1, timed out 0, cancelled 0, retried 0, running"
                + " 1 of 8 workers, state PAUSED, up 3m");
  }

  @Test
  void settingsFromTomlNameTheFileLineAndFullKeyOfAWrongValue() {
    PluginSettings s =
        TomlSettings.parse(
            "demo", "rate = 5\nmode = 3\n[[tasks]]\nname = \"a\"\n[[tasks]]\nname = 1\n");
    assertThat(s.integer("rate", 0)).isEqualTo(5);
    assertThatThrownBy(() -> s.string("mode"))
        .isInstanceOf(SettingsException.class)
        .hasMessage("plugins.demo.mode must be a string (was 3) (settings.toml line 2)");
    assertThatThrownBy(() -> s.tables("tasks").get(1).string("name"))
        .hasMessage("plugins.demo.tasks[1].name must be a string (was 1) (settings.toml line 6)");
  }

  @Test
  void settingsFromAWholeFileAreThePluginsSection() {
    PluginSettings s =
        TomlSettings.parse(
            "demo", "max_workers = 2\n\n[plugins.demo]\nrate = \"x\"\n", "/etc/jobhost.toml");
    assertThat(s.keys()).containsExactly("rate");
    assertThatThrownBy(() -> s.integer("rate", 1))
        .hasMessageContaining("plugins.demo.rate must be a whole number")
        .hasMessageContaining("/etc/jobhost.toml line 4");
  }

  @Test
  void theHostsKeysOfTheSectionNeverReachThePluginAsUnderTheDaemon() {
    PluginSettings s =
        TomlSettings.parse("demo", "enabled = true\nplugin_file = \"demo-2.jar\"\nrate = 5\n");
    assertThat(s.keys()).containsExactly("rate");
    assertThat(s.has("enabled")).isFalse();
    s.requireOnly(java.util.Set.of("rate"));
    PluginSettings fromValues =
        TestPluginContext.builder("demo")
            .settings(java.util.Map.of("enabled", true, "rate", 5L))
            .build()
            .settings();
    assertThat(fromValues.keys()).containsExactly("rate");
  }

  @Test
  void invalidTomlIsRefusedWithItsLineAndColumn() {
    assertThatThrownBy(() -> TomlSettings.parse("demo", "rate = 5\nrate = 6\n"))
        .hasMessageStartingWith("settings.toml line 2 column 1:");
  }

  @Test
  void aRequireOnlyTypoNamesTheKeyAndWhereItIs() {
    PluginSettings s = TomlSettings.parse("demo", "rat = 5\n");
    assertThatThrownBy(() -> s.requireOnly(java.util.Set.of("rate")))
        .hasMessage(
            "plugins.demo.rat is not a known setting; known settings are [rate]"
                + " (settings.toml line 1)");
  }

  @Test
  void theManualClockMovesOnlyWhenTold() {
    ManualClock clock = new ManualClock(Instant.parse("2026-03-01T10:00:00Z"));
    assertThat(clock.instant()).isEqualTo(Instant.parse("2026-03-01T10:00:00Z"));
    clock.advance(Duration.ofMinutes(5));
    assertThat(clock.withZone(java.time.ZoneId.of("Europe/Berlin")).instant())
        .isEqualTo(Instant.parse("2026-03-01T10:05:00Z"));
    assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(-1))).hasMessageContaining("set()");
  }

  @Test
  void aJobContextStopsAtItsDeadlineOnTheClockOrWhenAsked() {
    ManualClock clock = new ManualClock();
    Job job = new Job("j", "t", Map.of(), Duration.ofSeconds(10));
    TestJobContext ctx = TestJobContext.of(job, clock);
    assertThat(ctx.deadline()).isEqualTo(ManualClock.DEFAULT_START.plusSeconds(10));
    assertThat(ctx.stopRequested()).isFalse();
    clock.advance(Duration.ofSeconds(10));
    assertThat(ctx.stopRequested()).isTrue();

    TestJobContext asked = TestJobContext.of(new Job("k", "t", Map.of()));
    assertThat(asked.deadline()).isEqualTo(Instant.MAX);
    asked.requestStop();
    assertThat(asked.stopRequested()).isTrue();
  }

  @Test
  void aPluginContextGivesItsSettingsAStateDirectoryAndNoHostOnTheCommandLine(@TempDir Path dir) {
    TestPluginContext ctx =
        TestPluginContext.builder("demo")
            .settings("rate = 7")
            .stateDirectory(dir.resolve("state"))
            .strict(true)
            .build();
    assertThat(ctx.settings().integer("rate", 0)).isEqualTo(7);
    assertThat(Files.isDirectory(ctx.stateDirectory())).isTrue();
    assertThat(ctx.strict()).isTrue();
    assertThat(ctx.host()).isInstanceOf(FakeHost.class);
    assertThatThrownBy(() -> TestPluginContext.builder("demo").commandLine().build().host())
        .isInstanceOf(IllegalStateException.class);
    assertThat(ctx.checkOnly()).isFalse();
    TestPluginContext checked = TestPluginContext.builder("demo").checkOnly().build();
    assertThat(checked.checkOnly()).isTrue();
    assertThat(checked.withSettings(ctx.settings()).checkOnly()).as("kept by a reload").isTrue();
  }

  @Test
  void anInstallationHasItsStateUnderVarSoAFileBesideItStaysInTheHome(@TempDir Path home) {
    TestPluginContext ctx = TestPluginContext.builder("demo").installation(home).build();
    assertThat(ctx.homeDirectory()).isEqualTo(home);
    assertThat(ctx.stateDirectory()).isEqualTo(home.resolve("var/demo")).isDirectory();
    assertThat(ctx.stateDirectory().getParent()).isEqualTo(home.resolve("var"));
  }

  @Test
  void settingsFromValuesNameTheFullKeyOfAWrongValue() {
    TestPluginContext ctx =
        TestPluginContext.builder("demo")
            .settings(Map.of("rate", 5L, "tasks", java.util.List.of(Map.of("name", 1L))))
            .build();
    assertThat(ctx.settings().integer("rate", 0)).isEqualTo(5);
    assertThatThrownBy(() -> ctx.settings().tables("tasks").get(0).string("name"))
        .isInstanceOf(SettingsException.class)
        .hasMessage(
            "plugins.demo.tasks[0].name must be a string (was 1)"
                + " (test settings key plugins.demo.tasks[0].name)");
  }

  /** A view whose one row is its name. */
  private record View(String name, String title) implements AdminView {
    @Override
    public List<Map<String, Object>> rows(Map<String, String> filters) {
      return List.of(Map.of("id", name));
    }
  }

  @Test
  void theContextKeepsOfferedViewsInOrderAndASecondOfOneNameReplacesTheFirst() {
    TestPluginContext ctx = TestPluginContext.builder("acme").build();

    ctx.publishView(new View("tasks", "Tasks"));
    ctx.publishView(new View("history", "History"));
    ctx.publishView(new View("tasks", "Tasks, again"));

    assertThat(ctx.views()).extracting(AdminView::name).containsExactly("tasks", "history");
    assertThat(ctx.view("tasks").title()).isEqualTo("Tasks, again");
    assertThatThrownBy(() -> ctx.view("queue"))
        .hasMessage("plugin acme offered no view named queue; it offered [tasks, history]");
  }

  @Test
  void publishedMetricsAreReadAgainOnEveryScrape() {
    TestPluginContext ctx = TestPluginContext.builder("acme").build();
    AtomicInteger n = new AtomicInteger();

    ctx.publishMetrics(() -> List.of(MetricSample.gauge("waiting", "files", n.incrementAndGet())));

    assertThat(ctx.metrics()).extracting(MetricSample::value).containsExactly(1.0);
    assertThat(ctx.metrics()).extracting(MetricSample::value).containsExactly(2.0);
  }

  @Test
  void theHostListsTheRunningJobsATestAddsCountsThemAndRecordsStopRequests() {
    FakeHost host = new FakeHost();
    host.addRunningJob(new Job("a.json", "command", Map.of()), "spool", Instant.EPOCH);

    assertThat(host.runningJobs()).extracting(r -> r.job().id()).containsExactly("a.json");
    assertThat(host.stats().running()).isEqualTo(1);
    assertThat(host.stopJob("a.json")).isEqualTo(1);
    assertThat(host.stopJob("b.json")).isZero();
    assertThat(host.calls()).containsExactly("stopJob a.json", "stopJob b.json");
    assertThat(host.status()).isEmpty();
    assertThat(host.views()).isEmpty();
  }
}
