package org.jobhost.host.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jobhost.api.Host;
import org.jobhost.api.Lifecycle;
import org.jobhost.api.Signal;
import org.jobhost.api.Stats;
import org.jobhost.host.config.Config;
import org.jobhost.host.config.ConfigLoader;
import org.jobhost.host.control.ControlProtocol;
import org.jobhost.host.control.ControlRequests;
import org.jobhost.host.control.DaemonControl;
import org.jobhost.host.control.PluginReports;
import org.jobhost.host.plugins.PluginReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceRuntimeTest {

  @TempDir Path tmp;

  /** A daemon that records what it was asked. Not thread-safe; one test thread. */
  private final class FakeDaemon implements DaemonControl, Host {
    Lifecycle state = Lifecycle.RUNNING;
    int workers = 2;
    String reloadResult = "applied";

    @Override
    public Host host() {
      return this;
    }

    @Override
    public Config config() {
      return new ConfigLoader(tmp, Map.of()).load(null, List.of());
    }

    @Override
    public Instant startedAt() {
      return Instant.now().minusSeconds(90);
    }

    @Override
    public List<PluginReport> plugins() {
      return List.of(
          new PluginReport("demo", "1.0", null, "started", List.of(), List.of()),
          new PluginReport("bad", "1.0", null, "failed", List.of(), List.of("broken")));
    }

    @Override
    public String reloadAndWait(long timeoutMillis) {
      return reloadResult;
    }

    @Override
    public String lastReload() {
      return "none";
    }

    @Override
    public int reopenLogs() {
      return 2;
    }

    @Override
    public void pause() {
      state = Lifecycle.PAUSED;
    }

    @Override
    public void resume() {
      state = Lifecycle.RUNNING;
    }

    @Override
    public void stop() {
      state = Lifecycle.STOPPING;
    }

    @Override
    public void reload() {}

    @Override
    public void resize(int maxWorkers) {
      workers = maxWorkers;
    }

    @Override
    public void wake() {}

    @Override
    public Stats stats() {
      return new Stats(10, 7, 1, 1, 0, 2, 1, workers, Duration.ofSeconds(90), state);
    }

    @Override
    public Lifecycle lifecycle() {
      return state;
    }

    @Override
    public int signalChildren(Signal signal) {
      return 0;
    }

    @Override
    public List<org.jobhost.api.RunningJob> runningJobs() {
      return List.of(
          new org.jobhost.api.RunningJob(
              new org.jobhost.api.Job("long-job", "shell", Map.of()),
              "spool",
              Instant.now().minusSeconds(5)));
    }
  }

  private final FakeDaemon daemon = new FakeDaemon();

  @Test
  void statusListsStatePidWorkersCountersPluginsAndLastReloadInOrder() {
    Map<String, String> f = ControlRequests.status(daemon, 77, "jobhost");

    assertThat(f.keySet())
        .containsExactly(
            "state",
            "pid",
            "version",
            "user",
            "started",
            "uptime_s",
            "workers_busy",
            "workers_max",
            "jobs_started",
            "jobs_succeeded",
            "jobs_failed",
            "jobs_timed_out",
            "jobs_cancelled",
            "jobs_retried",
            "plugins",
            "plugin_problems",
            "last_reload",
            "config_file");
    assertThat(f)
        .containsEntry("state", "running")
        .containsEntry("pid", "77")
        .containsEntry("user", "jobhost")
        .containsEntry("uptime_s", "90")
        .containsEntry("workers_busy", "1")
        .containsEntry("jobs_failed", "1")
        .containsEntry("plugins", "demo:started,bad:failed")
        .containsEntry("plugin_problems", "1");
  }

  private ServiceRuntime runtimeAnswering() throws Exception {
    ServiceRuntime r = new ServiceRuntime(new ServiceRuntime.Options(false, Map.of()), () -> null);
    java.lang.reflect.Field f = ServiceRuntime.class.getDeclaredField("control");
    f.setAccessible(true);
    f.set(r, daemon);
    return r;
  }

  @Test
  void hostStatusHasTheSameFieldsAsTheControlSocketsStatusAnswer() throws Exception {
    ServiceRuntime r = runtimeAnswering();

    assertThat(r.status().keySet()).containsExactlyElementsOf(r.answer("status").fields().keySet());
    assertThat(r.status()).containsEntry("workers_max", "2");
  }

  @Test
  void hostStatusIsEmptyBeforeTheServiceStarted() {
    ServiceRuntime r = new ServiceRuntime(new ServiceRuntime.Options(false, Map.of()), () -> null);

    assertThat(r.status()).isEmpty();
  }

  @Test
  void rejectedReloadIsReportedWithItsReason() throws Exception {
    daemon.reloadResult = "rejected: max_workers must be at least 1";

    ControlProtocol a = runtimeAnswering().answer("reload");

    assertThat(a.fields()).containsEntry("reload", "rejected: max_workers must be at least 1");
  }

  @Test
  void pauseResumeAndResizeSteerTheDaemon() throws Exception {
    ServiceRuntime r = runtimeAnswering();

    assertThat(r.answer("pause").fields()).containsEntry("state", "paused");
    assertThat(r.answer("resume").fields()).containsEntry("state", "running");
    assertThat(r.answer("resize 5").fields())
        .containsEntry("workers_max_before", "2")
        .containsEntry("workers_max", "5");
    assertThat(r.answer("reopen-logs").fields()).containsEntry("reopened", "2");
  }

  @Test
  void topRequestAnswersTheStatusAndTheRunningJobsAndTheCountersPerType() throws Exception {
    ServiceRuntime r = runtimeAnswering();
    Map<String, String> status = r.answer("status").fields();

    Map<String, String> f = ControlProtocol.parse(r.answer("top").render()).fields();

    assertThat(f).containsAllEntriesOf(Map.of("state", "running", "workers_max", "2"));
    assertThat(f.keySet()).containsAll(status.keySet());
    assertThat(f)
        .containsEntry("running", "1")
        .containsEntry("running.1.id", "long-job")
        .containsEntry("running.1.type", "shell")
        .containsEntry("running.1.source", "spool")
        .containsKeys("now", "types", "failures");
  }

  @Test
  void pluginsRequestAnswersTheDaemonsReportsWithTheirProblems() throws Exception {
    ControlProtocol a = runtimeAnswering().answer("plugins");

    assertThat(a.ok()).isTrue();
    assertThat(PluginReports.reports(ControlProtocol.parse(a.render()).fields()))
        .containsExactly(
            new PluginReport("demo", "1.0", null, "started", List.of(), List.of()),
            new PluginReport("bad", "1.0", null, "failed", List.of(), List.of("broken")));
  }

  @Test
  void badRequestsAreRefusedWithWhatIsKnown() throws Exception {
    ServiceRuntime r = runtimeAnswering();

    assertThat(r.answer("resize many").error()).isEqualTo("resize: many is not a whole number");
    assertThat(r.answer("resize").error())
        .isEqualTo("resize needs the number of workers, such as resize 4");
    assertThat(r.answer("dance").error())
        .isEqualTo(
            "unknown control request \"dance\"; known: status, reload, pause, resume, resize N,"
                + " reopen-logs, plugins, plugins reload, stop, top");
  }

  @Test
  void resizeBeyondTheLimitOfMaxWorkersIsRefused() throws Exception {
    ServiceRuntime r = runtimeAnswering();

    assertThat(r.answer("resize 4097").error())
        .isEqualTo("resize: the number of workers must be 1 to 4096 (was 4097)");
    assertThat(r.answer("resize 0").error())
        .isEqualTo("resize: the number of workers must be 1 to 4096 (was 0)");
    assertThat(r.answer("status").fields()).containsEntry("workers_max", "2");
  }

  @Test
  void startWithoutNativeAccessIsRefusedWithTheFix() {
    ServiceRuntime r = new ServiceRuntime(new ServiceRuntime.Options(true, Map.of()), () -> null);

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> r.starting(daemon.config(), daemon))
        .isInstanceOf(ServiceException.class)
        .hasMessageContaining("native POSIX access (jnr-posix) is unavailable")
        .hasMessageContaining("--enable-native-access=ALL-UNNAMED");
  }
}
