package org.jobhost.plugins.web;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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

/** A host whose read-only views a test sets, and which records the actions it is asked for. */
final class ViewHost implements Host {

  final List<String> calls = new ArrayList<>();
  final List<RunningJob> running = new ArrayList<>();
  volatile Lifecycle lifecycle = Lifecycle.RUNNING;
  volatile int maxWorkers = 2;

  @Override
  public synchronized void pause() {
    calls.add("pause");
    lifecycle = Lifecycle.PAUSED;
  }

  @Override
  public synchronized void resume() {
    calls.add("resume");
    lifecycle = Lifecycle.RUNNING;
  }

  @Override
  public synchronized void stop() {
    calls.add("stop");
  }

  @Override
  public synchronized void reload() {
    calls.add("reload");
  }

  @Override
  public synchronized void resize(int n) {
    if (n < 1 || n > 4096) {
      throw new IllegalArgumentException("max_workers must be between 1 and 4096 (was " + n + ")");
    }
    calls.add("resize " + n);
    maxWorkers = n;
  }

  @Override
  public void wake() {}

  @Override
  public synchronized Stats stats() {
    return new Stats(
        7, 4, 1, 1, 0, 2, running.size(), maxWorkers, Duration.ofSeconds(5), lifecycle);
  }

  @Override
  public Lifecycle lifecycle() {
    return lifecycle;
  }

  @Override
  public int signalChildren(Signal signal) {
    return 0;
  }

  @Override
  public synchronized List<RunningJob> runningJobs() {
    return List.copyOf(running);
  }

  @Override
  public synchronized int stopJob(String jobId) {
    calls.add("stopJob " + jobId);
    return (int) running.stream().filter(r -> r.job().id().equals(jobId)).count();
  }

  @Override
  public synchronized Map<String, String> status() {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("state", lifecycle.name().toLowerCase(java.util.Locale.ROOT));
    f.put("pid", "42");
    f.put("workers_busy", Integer.toString(running.size()));
    f.put("workers_max", Integer.toString(maxWorkers));
    f.put("jobs_started", "7");
    f.put("last_reload", "none");
    return f;
  }

  @Override
  public List<PluginState> pluginStates() {
    return List.of(
        new PluginState("web", "1.0", "loaded", List.of()),
        new PluginState("cron", "1.0", "loaded", List.of("task \"x\" is invalid")));
  }

  @Override
  public Map<Signal, Long> signalsReceived() {
    return Map.of(Signal.HUP, 3L);
  }

  @Override
  public ReloadCounts reloads() {
    return new ReloadCounts(2, 1);
  }

  volatile Map<String, List<MetricSample>> published = Map.of();

  @Override
  public Map<String, List<MetricSample>> pluginMetrics() {
    return published;
  }

  volatile List<AdminView> views = List.of();

  @Override
  public List<AdminView> views() {
    return views;
  }

  volatile List<MetricSample> hostSamples = List.of();

  @Override
  public List<MetricSample> hostMetrics() {
    return hostSamples;
  }

  synchronized void running(Job job, String source) {
    running.add(new RunningJob(job, source, Instant.now()));
  }

  synchronized void run(String id, String type, Instant started) {
    running.add(new RunningJob(new Job(id, type, Map.of()), "spool", started));
  }
}
