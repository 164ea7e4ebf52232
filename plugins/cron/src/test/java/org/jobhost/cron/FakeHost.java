package org.jobhost.cron;

import java.util.concurrent.atomic.AtomicInteger;
import org.jobhost.api.Host;
import org.jobhost.api.Lifecycle;
import org.jobhost.api.Signal;
import org.jobhost.api.Stats;

/** A daemon handle that only counts wake-ups. Thread-safe. */
final class FakeHost implements Host {

  final AtomicInteger wakes = new AtomicInteger();

  @Override
  public void pause() {}

  @Override
  public void resume() {}

  @Override
  public void stop() {}

  @Override
  public void reload() {}

  @Override
  public void resize(int maxWorkers) {}

  @Override
  public void wake() {
    wakes.incrementAndGet();
  }

  @Override
  public Stats stats() {
    throw new UnsupportedOperationException("not used by the cron plugin");
  }

  @Override
  public Lifecycle lifecycle() {
    return Lifecycle.RUNNING;
  }

  @Override
  public int signalChildren(Signal signal) {
    return 0;
  }
}
