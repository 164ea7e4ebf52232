package org.jobhost.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.jobhost.api.MetricSample;
import org.jobhost.api.ReloadCounts;
import org.jobhost.host.config.Config;
import org.jobhost.host.config.ConfigLoader;
import org.jobhost.host.plugins.PublishedMetrics;
import org.jobhost.host.plugins.PublishedViews;
import org.jobhost.host.service.ServiceHooks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DefaultPluginContextTest {

  @TempDir Path home;

  private Config config(String toml) throws IOException {
    Path file = home.resolve("jobhost.toml");
    Files.writeString(file, toml);
    return new ConfigLoader(home, Map.of()).load(file, List.of());
  }

  @Test
  void inTheDaemonSettingsFollowTheCurrentConfiguration() throws IOException {
    AtomicReference<Config> current = new AtomicReference<>(config("[plugins.p]\nx = 1\n"));
    DaemonState state = new DaemonState(Clock.systemUTC());
    HostControl host =
        new HostControl(
            state, (w, c) -> {}, new ServiceHooks() {}, () -> {}, () -> ReloadCounts.NONE);
    DefaultPluginContext ctx =
        DefaultPluginContext.daemon(
            "p",
            current::get,
            host,
            Clock.systemUTC(),
            new PublishedMetrics(),
            new PublishedViews());

    current.set(config("strict = true\n[plugins.p]\nx = 2\n"));

    assertThat(String.valueOf(ctx.settings().asMap().get("x"))).isEqualTo("2");
    assertThat(ctx.strict()).isTrue();
    assertThat(ctx.host()).isSameAs(host);
  }

  @Test
  void theDaemonsContextPublishesMetricsUnderThePluginId() throws IOException {
    Config cfg = config("");
    PublishedMetrics metrics = new PublishedMetrics();
    DefaultPluginContext ctx =
        DefaultPluginContext.daemon(
            "p", () -> cfg, null, Clock.systemUTC(), metrics, new PublishedViews());

    ctx.publishMetrics(() -> List.of(MetricSample.gauge("queue_depth", "jobs waiting", 3)));

    assertThat(metrics.collect()).containsOnlyKeys("p");
  }

  @Test
  void aCommandLineContextHasNoDaemonToSteer() throws IOException {
    DefaultPluginContext ctx = DefaultPluginContext.commandLine("p", config(""), true);

    assertThat(ctx.strict()).isTrue();
    assertThatThrownBy(ctx::host)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("there is no daemon in a command-line process");
    ctx.publishMetrics(List::<MetricSample>of);
  }

  @Test
  void thePluginsStateDirectoryIsCreatedUnderStateDir() throws IOException {
    Config cfg = config("");
    DefaultPluginContext ctx = DefaultPluginContext.worker("p", cfg, null);

    Path dir = ctx.stateDirectory();

    assertThat(dir).isEqualTo(cfg.dirs().state().resolve("p")).isDirectory();
  }
}
