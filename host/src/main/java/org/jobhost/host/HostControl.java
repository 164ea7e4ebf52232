package org.jobhost.host;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jobhost.api.AdminView;
import org.jobhost.api.Host;
import org.jobhost.api.HostListener;
import org.jobhost.api.Lifecycle;
import org.jobhost.api.MetricSample;
import org.jobhost.api.PluginState;
import org.jobhost.api.ReloadCounts;
import org.jobhost.api.RunningJob;
import org.jobhost.api.Signal;
import org.jobhost.api.Stats;
import org.jobhost.host.config.Config;
import org.jobhost.host.config.Defaults;
import org.jobhost.host.dispatch.Dispatcher;
import org.jobhost.host.plugins.PluginReport;
import org.jobhost.host.process.ProcessGroups;
import org.jobhost.host.service.ServiceHooks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Host} handed to plugins, hooks and the service layer. Thread-safe: any thread may call
 * it, before, during and after the start (what is not built yet reads as empty or zero).
 */
final class HostControl implements Host {

  // The daemon's logger name, which operators filter on and the log lines have always carried.
  private static final Logger log = LoggerFactory.getLogger(Daemon.class);

  private final DaemonState state;
  private final BiConsumer<String, Consumer<HostListener>> notify;
  private final ServiceHooks service;
  private final Runnable requestReload;
  private final Supplier<ReloadCounts> reloads;

  /**
   * @param notify tells the listeners (see {@link Listeners#tell}), on the event thread
   * @param requestReload queues a reload on the event thread
   * @param reloads the reloads applied and rejected so far
   */
  HostControl(
      DaemonState state,
      BiConsumer<String, Consumer<HostListener>> notify,
      ServiceHooks service,
      Runnable requestReload,
      Supplier<ReloadCounts> reloads) {
    this.state = state;
    this.notify = notify;
    this.service = service;
    this.requestReload = requestReload;
    this.reloads = reloads;
  }

  @Override
  public void pause() {
    if (state.lifecycle.moveTo(Lifecycle.PAUSED)) {
      state.dispatcher.pause();
      if (state.config().pauseChildren()) {
        log.info("pause_children: stopped {} process groups", state.groups.signalAll(Signal.STOP));
      }
      notify.accept("paused", l -> l.paused(this));
    }
  }

  @Override
  public void resume() {
    if (state.lifecycle.get() == Lifecycle.PAUSED && state.lifecycle.moveTo(Lifecycle.RUNNING)) {
      if (state.config().pauseChildren()) {
        log.info(
            "pause_children: continued {} process groups", state.groups.signalAll(Signal.CONT));
      }
      state.dispatcher.resume();
      notify.accept("resumed", l -> l.resumed(this));
    } else if (state.lifecycle.get() == Lifecycle.STOPPING) {
      log.debug("resume ignored while stopping");
    }
  }

  @Override
  public void stop() {
    state.stop.request();
  }

  @Override
  public void reload() {
    requestReload.run();
  }

  @Override
  public void resize(int maxWorkers) {
    Defaults.checkMaxWorkers(maxWorkers);
    Dispatcher d = state.dispatcher;
    if (d != null) {
      int before = d.maxWorkers();
      d.resize(maxWorkers);
      log.info("max_workers {} -> {}", before, maxWorkers);
    }
  }

  /** The dispatcher's slot count, 1 before it is built. */
  int maxWorkers() {
    Dispatcher d = state.dispatcher;
    return d == null ? 1 : d.maxWorkers();
  }

  @Override
  public void wake() {
    Dispatcher d = state.dispatcher;
    if (d != null) {
      d.wake();
    }
  }

  @Override
  public Stats stats() {
    Dispatcher d = state.dispatcher;
    Duration up = Duration.between(state.startedAt, state.clock.instant());
    if (d == null) {
      Config c = state.config();
      return new Stats(
          0, 0, 0, 0, 0, 0, 0, c == null ? 0 : c.maxWorkers(), up, state.lifecycle.get());
    }
    return d.stats(up, state.lifecycle.get());
  }

  @Override
  public Lifecycle lifecycle() {
    return state.lifecycle.get();
  }

  @Override
  public int signalChildren(Signal signal) {
    ProcessGroups g = state.groups;
    return g == null ? 0 : g.signalAll(signal);
  }

  @Override
  public List<RunningJob> runningJobs() {
    Dispatcher d = state.dispatcher;
    return d == null ? List.of() : d.runningJobs();
  }

  @Override
  public int stopJob(String jobId) {
    Dispatcher d = state.dispatcher;
    return d == null || jobId == null ? 0 : d.stopJob(jobId);
  }

  @Override
  public Map<String, String> status() {
    return service.status();
  }

  @Override
  public List<PluginState> pluginStates() {
    List<PluginState> out = new ArrayList<>();
    for (PluginReport r : state.reports()) {
      out.add(r.toState());
    }
    return out;
  }

  @Override
  public Map<Signal, Long> signalsReceived() {
    return state.received.snapshot();
  }

  @Override
  public ReloadCounts reloads() {
    return reloads.get();
  }

  @Override
  public Map<String, List<MetricSample>> pluginMetrics() {
    return state.published.collect();
  }

  @Override
  public List<AdminView> views() {
    return state.views.all();
  }

  @Override
  public List<MetricSample> hostMetrics() {
    return HostSamples.read(state.workerPool, state.groups, state.sources());
  }
}
