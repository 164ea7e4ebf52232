package org.jobhost.host.worker;

import org.jobhost.api.Host;
import org.jobhost.api.Lifecycle;
import org.jobhost.api.Signal;
import org.jobhost.api.Stats;

/** The {@link Host} inside a worker: only {@link #wake()} works (and does nothing). Thread-safe. */
enum WorkerHost implements Host {
  INSTANCE;

  private static IllegalStateException unavailable() {
    return new IllegalStateException(
        "the daemon cannot be steered from inside a worker JVM (isolation = \"process\")");
  }

  @Override
  public void pause() {
    throw unavailable();
  }

  @Override
  public void resume() {
    throw unavailable();
  }

  @Override
  public void stop() {
    throw unavailable();
  }

  @Override
  public void reload() {
    throw unavailable();
  }

  @Override
  public void resize(int maxWorkers) {
    throw unavailable();
  }

  @Override
  public void wake() {}

  @Override
  public Stats stats() {
    throw unavailable();
  }

  @Override
  public Lifecycle lifecycle() {
    return Lifecycle.RUNNING;
  }

  @Override
  public int signalChildren(Signal signal) {
    throw unavailable();
  }
}
