package org.jobhost.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jobhost.api.Host;
import org.jobhost.api.Lifecycle;
import org.jobhost.api.Signal;
import org.jobhost.api.Stats;

/**
 * A {@link Host} that records what a plugin asked of it. Its lifecycle follows the calls as the
 * daemon's would (pause moves RUNNING to PAUSED, stop moves to STOPPING, and so on); its stats are
 * whatever the test sets, with the current lifecycle and worker count. Thread-safe.
 *
 * <p>Every call is recorded as one line in {@link #calls()}: {@code pause}, {@code resume}, {@code
 * stop}, {@code reload}, {@code resize 4}, {@code wake}, {@code signalChildren SIGTERM}.
 */
public final class FakeHost implements Host {

  private final List<String> calls = new ArrayList<>();
  private Lifecycle lifecycle = Lifecycle.RUNNING;
  private int maxWorkers = 4;
  private Stats stats;
  private int childGroups;

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

  /** The stats set with {@link #setStats}, else zero counters; always with the current state. */
  @Override
  public synchronized Stats stats() {
    Stats s = stats;
    if (s == null) {
      return new Stats(0, 0, 0, 0, 0, 0, 0, maxWorkers, Duration.ZERO, lifecycle);
    }
    return new Stats(
        s.started(),
        s.succeeded(),
        s.failed(),
        s.timedOut(),
        s.cancelled(),
        s.retried(),
        s.running(),
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
