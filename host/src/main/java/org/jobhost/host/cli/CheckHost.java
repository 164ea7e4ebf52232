package org.jobhost.host.cli;

import java.time.Duration;
import org.jobhost.api.Host;
import org.jobhost.api.Lifecycle;
import org.jobhost.api.Signal;
import org.jobhost.api.Stats;

/**
 * The {@link Host} that {@code jobhost check} and {@code jobhost plugins} give the extensions they
 * start and stop again, as a daemon would start them: an extension that keeps its host for later (a
 * view that wakes the dispatcher, a dashboard) starts as it would in the daemon, instead of failing
 * because no daemon runs. It reports a daemon that is {@link Lifecycle#STARTING} with no jobs;
 * {@link #wake()} does nothing; steering it throws, as there is nothing to steer. Thread-safe.
 */
final class CheckHost implements Host {

  private final int maxWorkers;

  /** A host of {@code maxWorkers} slots, none busy. */
  CheckHost(int maxWorkers) {
    this.maxWorkers = maxWorkers;
  }

  private static IllegalStateException noDaemon() {
    return new IllegalStateException(
        "no daemon runs: jobhost check and jobhost plugins start each extension and stop it again");
  }

  @Override
  public void pause() {
    throw noDaemon();
  }

  @Override
  public void resume() {
    throw noDaemon();
  }

  @Override
  public void stop() {
    throw noDaemon();
  }

  @Override
  public void reload() {
    throw noDaemon();
  }

  @Override
  public void resize(int maxWorkers) {
    throw noDaemon();
  }

  @Override
  public void wake() {}

  @Override
  public Stats stats() {
    return new Stats(0, 0, 0, 0, 0, 0, 0, maxWorkers, Duration.ZERO, Lifecycle.STARTING);
  }

  @Override
  public Lifecycle lifecycle() {
    return Lifecycle.STARTING;
  }

  @Override
  public int signalChildren(Signal signal) {
    throw noDaemon();
  }
}
