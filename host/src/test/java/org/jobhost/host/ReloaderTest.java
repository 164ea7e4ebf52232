package org.jobhost.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jobhost.api.Host;
import org.jobhost.api.HostListener;
import org.jobhost.api.PluginSettings;
import org.jobhost.api.ReloadCounts;
import org.jobhost.api.Signal;
import org.jobhost.host.config.Config;
import org.jobhost.host.config.ConfigLoader;
import org.jobhost.host.plugins.Contribution;
import org.jobhost.host.service.ServiceHooks;
import org.jobhost.host.signal.EventLoop;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReloaderTest {

  private static final Instant NOW = Instant.parse("2026-12-04T10:00:00Z");

  @TempDir Path home;

  private Path file;
  private DaemonState state;
  private EventLoop events;
  private Listeners listeners;
  private final List<String> told = new ArrayList<>();
  private final List<Signal> installed = new ArrayList<>();
  private final Map<String, List<Contribution<?>>> extensions = new LinkedHashMap<>();

  /** A plugin's extension that records what it was told and may refuse. */
  private static final class Section implements HostListener {
    String refusal;
    final List<String> changedTo = new ArrayList<>();
    int reloads;

    @Override
    public void validateSettings(PluginSettings settings) {
      if (refusal != null) {
        throw new IllegalArgumentException(refusal);
      }
    }

    @Override
    public void settingsChanged(PluginSettings settings) {
      changedTo.add(String.valueOf(settings.asMap().get("color")));
    }

    @Override
    public void reloaded(Host host) {
      reloads++;
    }
  }

  @BeforeEach
  void start() throws IOException {
    file = home.resolve("jobhost.toml");
    write("[plugins.paint]\ncolor = \"red\"\n[plugins.other]\nsize = 1\n");
    state = new DaemonState(Clock.fixed(NOW, ZoneOffset.UTC));
    state.config.set(load());
    Host host =
        new HostControl(
            state, (what, call) -> {}, new ServiceHooks() {}, () -> {}, () -> ReloadCounts.NONE);
    events = new EventLoop(state.clock, host);
    listeners = new Listeners(events, state.activity);
  }

  private void write(String toml) throws IOException {
    Files.writeString(file, toml);
  }

  private Config load() {
    return new ConfigLoader(home, Map.of()).load(file, List.of());
  }

  private Reloader reloader() {
    ServiceHooks service =
        new ServiceHooks() {
          @Override
          public void reloaded(boolean applied, String detail) {
            told.add(applied + " " + detail);
          }
        };
    Host host = new HostControl(state, (w, c) -> {}, service, () -> {}, () -> ReloadCounts.NONE);
    return new Reloader(
        this::load, state, events, installed::add, listeners, service, host, () -> extensions);
  }

  private Section plugin(String id) {
    Section s = new Section();
    extensions.put(id, List.of(new Contribution<>(s, id)));
    return s;
  }

  @Test
  void aPluginThatRefusesItsNewSectionKeepsTheRunningConfiguration() throws IOException {
    Section paint = plugin("paint");
    paint.refusal = "color must stay red";
    Config before = state.config();
    write("[plugins.paint]\ncolor = \"blue\"\n[plugins.other]\nsize = 1\n");
    Reloader reloader = reloader();

    ReloadResult r = reloader.reload();

    assertThat(r.applied()).isFalse();
    assertThat(r.refusals()).containsExactly("paint: color must stay red");
    assertThat(r.outcome()).isEqualTo("rejected: paint: color must stay red");
    assertThat(state.config()).isSameAs(before);
    assertThat(paint.changedTo).isEmpty();
    assertThat(told).containsExactly("false paint: color must stay red");
    assertThat(reloader.describeLast())
        .isEqualTo("rejected at " + NOW + ": paint: color must stay red");
    assertThat(reloader.rejected()).isEqualTo(1);
    assertThat(reloader.applied()).isZero();
  }

  @Test
  void anAcceptedChangeReachesOnlyThePluginWhoseSectionChanged() throws IOException {
    Section paint = plugin("paint");
    Section other = plugin("other");
    write("[plugins.paint]\ncolor = \"blue\"\n[plugins.other]\nsize = 1\n");
    Reloader reloader = reloader();

    ReloadResult r = reloader.reload();

    assertThat(r.applied()).isTrue();
    assertThat(r.outcome()).isEqualTo("applied");
    assertThat(state.config().pluginSettings("paint").asMap()).containsEntry("color", "blue");
    assertThat(paint.changedTo).containsExactly("blue");
    assertThat(other.changedTo).isEmpty();
    assertThat(told).containsExactly("true applied");
    assertThat(reloader.describeLast()).isEqualTo("applied at " + NOW);
    assertThat(reloader.applied()).isEqualTo(1);
  }

  @Test
  void theHostsListenersHearOfAnAppliedReload() throws IOException {
    Section listener = plugin("paint");
    listeners.set(List.of(new Contribution<HostListener>(listener, "paint")));
    write("[plugins.paint]\ncolor = \"green\"\n");

    reloader().reload();

    assertThat(listener.reloads).isEqualTo(1);
  }

  @Test
  void aFileThatNoLongerReadsIsRejectedWithTheLoadersMessage() throws IOException {
    Section paint = plugin("paint");
    write("max_workers = 0\n");
    Reloader reloader = reloader();

    ReloadResult r = reloader.reload();

    assertThat(r.applied()).isFalse();
    assertThat(r.detail()).contains("max_workers");
    assertThat(paint.changedTo).isEmpty();
    assertThat(told).singleElement().asString().startsWith("false ").contains("max_workers");
  }

  @Test
  void signalsToForwardAreInstalledWhenTheReloadAddsThem() throws IOException {
    write("forward_signals = [\"USR2\"]\n");

    reloader().reload();

    assertThat(installed).containsExactly(Signal.USR2);
  }

  @Test
  void beforeAnyReloadTheLastOneReadsNone() {
    assertThat(reloader().describeLast()).isEqualTo("none");
    assertThat(reloader().last()).isNull();
  }
}
