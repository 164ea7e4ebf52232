package org.jobhost.testkit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jobhost.api.AdminView;
import org.jobhost.api.Host;
import org.jobhost.api.Job;
import org.jobhost.api.Lifecycle;
import org.jobhost.api.MetricSample;
import org.jobhost.api.PluginState;
import org.jobhost.api.ReloadCounts;
import org.jobhost.api.RunningJob;
import org.jobhost.api.Signal;
import org.jobhost.api.Stats;

/**
 * A {@link Host} that records what a plugin asked of it. Its lifecycle follows the calls as the
 * daemon's would (pause moves RUNNING to PAUSED, stop moves to STOPPING, and so on); its stats are
 * whatever the test sets, with the current lifecycle and worker count. Thread-safe.
 *
 * <p>Every call is recorded as one line in {@link #calls()}: {@code pause}, {@code resume}, {@code
 * stop}, {@code reload}, {@code resize 4}, {@code wake}, {@code signalChildren SIGTERM}, {@code
 * stopJob ID}.
 *
 * <p>The read-only views a dashboard or exporter plugin reads ({@link #runningJobs()}, {@link
 * #status()}, {@link #pluginStates()}, {@link #signalsReceived()}, {@link #reloads()}, {@link
 * #pluginMetrics()}, {@link #views()}, {@link #hostMetrics()}) answer what the test set, else what
 * a host without them answers (empty).
 */
public final class FakeHost implements Host {

  private final List<String> calls = new ArrayList<>();
  private Lifecycle lifecycle = Lifecycle.RUNNING;
  private int maxWorkers = 4;
  private Stats stats;
  private int childGroups;
  private final List<RunningJob> running = new ArrayList<>();
  private Map<String, String> status = Map.of();
  private List<PluginState> pluginStates = List.of();
  private Map<Signal, Long> signalsReceived = Map.of();
  private ReloadCounts reloads = ReloadCounts.NONE;
  private Map<String, List<MetricSample>> pluginMetrics = Map.of();
  private List<AdminView> views = List.of();
  private List<MetricSample> hostMetrics = List.of();

  /** A RUNNING host with 4 worker slots and zero counters. */
  public FakeHost() {}

  @Override
  public synchronized void pause() {
    calls.add("pause");
    if (lifecycle == Lifecycle.RUNNING) {
      lifecycle = Lifecycle.PAUSED;
    }
  }

  @Override
  public synchronized void resume() {
    calls.add("resume");
    if (lifecycle == Lifecycle.PAUSED) {
      lifecycle = Lifecycle.RUNNING;
    }
  }

  @Override
  public synchronized void stop() {
    calls.add("stop");
    if (lifecycle.canMoveTo(Lifecycle.STOPPING)) {
      lifecycle = Lifecycle.STOPPING;
    }
  }

  @Override
  public synchronized void reload() {
    calls.add("reload");
  }

  /**
   * Records the new size, as the daemon does.
   *
   * @throws IllegalArgumentException when {@code maxWorkers} is below 1, as the daemon does
   */
  @Override
  public synchronized void resize(int maxWorkers) {
    if (maxWorkers < 1) {
      throw new IllegalArgumentException("max_workers must be at least 1 (was " + maxWorkers + ")");
    }
    calls.add("resize " + maxWorkers);
    this.maxWorkers = maxWorkers;
  }

  @Override
  public synchronized void wake() {
    calls.add("wake");
  }

  /**
   * The stats set with {@link #setStats}, else zero counters; always with the current state, and
   * with the jobs added by {@link #addRunningJob} counted as running.
   */
  @Override
  public synchronized Stats stats() {
    Stats s = stats;
    if (s == null) {
      return new Stats(0, 0, 0, 0, 0, 0, running.size(), maxWorkers, Duration.ZERO, lifecycle);
    }
    return new Stats(
        s.started(),
        s.succeeded(),
        s.failed(),
        s.timedOut(),
        s.cancelled(),
        s.retried(),
        s.running() + running.size(),
        maxWorkers,
        s.uptime(),
        lifecycle);
  }

  @Override
  public synchronized Lifecycle lifecycle() {
    return lifecycle;
  }

  /** Records the call and returns the count set with {@link #setChildGroups} (0 by default). */
  @Override
  public synchronized int signalChildren(Signal signal) {
    calls.add("signalChildren " + signal.fullName());
    return childGroups;
  }

  @Override
  public synchronized List<RunningJob> runningJobs() {
    return List.copyOf(running);
  }

  /** Records the call; returns how many of the running jobs added have that id (0 or 1). */
  @Override
  public synchronized int stopJob(String jobId) {
    calls.add("stopJob " + jobId);
    return (int) running.stream().filter(r -> r.job().id().equals(jobId)).count();
  }

  @Override
  public synchronized Map<String, String> status() {
    return status;
  }

  @Override
  public synchronized List<PluginState> pluginStates() {
    return pluginStates;
  }

  @Override
  public synchronized Map<Signal, Long> signalsReceived() {
    return signalsReceived;
  }

  @Override
  public synchronized ReloadCounts reloads() {
    return reloads;
  }

  @Override
  public synchronized Map<String, List<MetricSample>> pluginMetrics() {
    return pluginMetrics;
  }

  @Override
  public synchronized List<AdminView> views() {
    return views;
  }

  @Override
  public synchronized List<MetricSample> hostMetrics() {
    return hostMetrics;
  }

  /** Adds a job {@link #runningJobs()} lists (and {@link #stats()} counts) as running. */
  public synchronized FakeHost addRunningJob(Job job, String source, Instant started) {
    running.add(new RunningJob(job, source, started));
    return this;
  }

  /** Sets the fields {@link #status()} answers, as {@code jobhost status --json} would. */
  public synchronized FakeHost setStatus(Map<String, String> fields) {
    this.status = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    return this;
  }

  /** Sets the plugins {@link #pluginStates()} answers. */
  public synchronized FakeHost setPluginStates(List<PluginState> states) {
    this.pluginStates = List.copyOf(states);
    return this;
  }

  /** Sets the counts {@link #signalsReceived()} answers. */
  public synchronized FakeHost setSignalsReceived(Map<Signal, Long> counts) {
    this.signalsReceived = Map.copyOf(counts);
    return this;
  }

  /** Sets the counts {@link #reloads()} answers. */
  public synchronized FakeHost setReloads(ReloadCounts counts) {
    this.reloads = counts;
    return this;
  }

  /** Sets what {@link #pluginMetrics()} answers: plugin id to its samples. */
  public synchronized FakeHost setPluginMetrics(Map<String, List<MetricSample>> samples) {
    this.pluginMetrics = Collections.unmodifiableMap(new LinkedHashMap<>(samples));
    return this;
  }

  /** Sets the views {@link #views()} answers, in order. */
  public synchronized FakeHost setViews(List<AdminView> views) {
    this.views = List.copyOf(views);
    return this;
  }

  /** Sets the samples {@link #hostMetrics()} answers. */
  public synchronized FakeHost setHostMetrics(List<MetricSample> samples) {
    this.hostMetrics = List.copyOf(samples);
    return this;
  }

  /** Sets the counters {@link #stats()} reports (its lifecycle and max workers are the host's). */
  public synchronized FakeHost setStats(Stats stats) {
    this.stats = stats;
    if (stats != null) {
      this.maxWorkers = stats.maxWorkers();
    }
    return this;
  }

  /** Sets the state, as the daemon would move to it. */
  public synchronized FakeHost setLifecycle(Lifecycle lifecycle) {
    this.lifecycle = lifecycle;
    return this;
  }

  /** Sets how many process groups {@link #signalChildren} claims to have signalled. */
  public synchronized FakeHost setChildGroups(int groups) {
    this.childGroups = groups;
    return this;
  }

  /** The worker slots now (4, or the last {@link #resize}). */
  public synchronized int maxWorkers() {
    return maxWorkers;
  }

  /** Every call so far, in order, one line each. */
  public synchronized List<String> calls() {
    return List.copyOf(calls);
  }

  /** How many times {@code call} (such as {@code "wake"} or {@code "resize 2"}) was made. */
  public synchronized long count(String call) {
    return calls.stream().filter(call::equals).count();
  }

  /** Forgets the recorded calls (the state stays). */
  public synchronized void clearCalls() {
    calls.clear();
  }

  @Override
  public synchronized String toString() {
    return "FakeHost[" + lifecycle + ", " + maxWorkers + " workers, calls " + calls + "]";
  }
}
