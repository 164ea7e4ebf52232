package org.jobhost.api;

import java.util.List;
import java.util.Map;

/**
 * A handle to steer the daemon, given to signal hooks, listeners and plugins. Thread-safe; every
 * method returns at once (the action happens on the host's own threads), so it may be called from
 * any thread, including from inside a hook.
 */
public interface Host {

  /** Stops dispatching new jobs; running jobs continue. No-op unless RUNNING. */
  void pause();

  /** Resumes dispatch after {@link #pause()}. No-op unless PAUSED. */
  void resume();

  /** Begins a graceful stop, as on TERM. */
  void stop();

  /** Re-reads and validates the configuration, as on HUP; a bad file keeps the old one. */
  void reload();

  /**
   * Sets the number of worker slots. Running jobs are never interrupted by a shrink: extra jobs
   * finish and their slots are not refilled.
   *
   * @throws IllegalArgumentException when {@code maxWorkers} is below 1
   */
  void resize(int maxWorkers);

  /** Ends the dispatcher's idle sleep now: a source calls it when it learns of new work. */
  void wake();

  /** The counters now. */
  Stats stats();

  /** The state now. */
  Lifecycle lifecycle();

  /**
   * Sends a signal to the process group of every child process that running jobs started through
   * {@link JobContext#startProcess}.
   *
   * @return how many groups were signalled
   */
  int signalChildren(Signal signal);

  /**
   * The jobs running now, oldest first: what a dashboard shows. A snapshot; it does not change
   * afterwards.
   *
   * @return empty from a host that does not tell (the default)
   */
  default List<RunningJob> runningJobs() {
    return List.of();
  }

  /**
   * Asks the running job (or jobs, when sources share an id) with this id to stop, as a timeout
   * would: {@link JobContext#stopRequested()} turns true, the runner's thread is interrupted and
   * its process groups get TERM, then KILL after {@code kill_timeout}. The job ends CANCELLED and
   * is not retried. Returns at once.
   *
   * @return how many running jobs were asked; 0 when none with this id runs (or the host does not
   *     support it, the default)
   */
  default int stopJob(String jobId) {
    return 0;
  }

  /**
   * The fields of {@code jobhost status}, in the order it prints them and with the values its
   * {@code --json} prints ({@code state}, {@code pid}, {@code workers_busy}, {@code jobs_started},
   * ...; listed in the README under Control commands). Numbers are decimal strings.
   *
   * @return empty from a host without a control socket (the default)
   */
  default Map<String, String> status() {
    return Map.of();
  }

  /**
   * The plugins the host found, in load order, with their states, as {@code jobhost plugins} shows
   * them.
   *
   * @return empty from a host that does not tell (the default)
   */
  default List<PluginState> pluginStates() {
    return List.of();
  }

  /**
   * How many times each signal reached the daemon since it started, whatever it did with it
   * (built-in action, hook, or nothing). Signals that never came are left out.
   *
   * @return empty from a host that does not count (the default)
   */
  default Map<Signal, Long> signalsReceived() {
    return Map.of();
  }

  /**
   * How many reloads were applied and rejected since the daemon started.
   *
   * @return {@link ReloadCounts#NONE} from a host that does not count (the default)
   */
  default ReloadCounts reloads() {
    return ReloadCounts.NONE;
  }

  /**
   * The metrics every plugin published through {@link PluginContext#publishMetrics}, read now: each
   * plugin's supplier is called once, behind a fault boundary.
   *
   * @return plugin id to its samples; empty from a host that does not collect them (the default)
   */
  default Map<String, List<MetricSample>> pluginMetrics() {
    return Map.of();
  }

  /**
   * The views plugins offered through {@link PluginContext#publishView}, in plugin load order.
   * Calls on a view run the plugin's code: a tool should guard them.
   *
   * @return empty from a host without views (the default)
   */
  default List<AdminView> views() {
    return List.of();
  }

  /**
   * The host's own metrics beyond {@link #stats()}, read now: worker JVMs started, recycled and
   * crashed, child process groups alive, and each source's {@link JobSource#depth()} where it
   * tells. A metrics endpoint exposes each as {@code jobhost_<name>}, with its labels; label values
   * are bounded (plugin ids, never job ids). The set of names may grow in later versions.
   *
   * @return empty from a host that does not tell (the default)
   */
  default List<MetricSample> hostMetrics() {
    return List.of();
  }
}
