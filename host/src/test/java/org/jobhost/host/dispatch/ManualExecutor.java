package org.jobhost.host.dispatch;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Executor;

/** Queues tasks until the test runs them, so a "running" job stays running. */
final class ManualExecutor implements Executor {
  final Deque<Runnable> tasks = new ArrayDeque<>();

  @Override
  public synchronized void execute(Runnable r) {
    tasks.add(r);
  }

  void runAll() {
    Runnable r;
    while ((r = next()) != null) {
      r.run();
    }
  }

  private synchronized Runnable next() {
    return tasks.poll();
  }
}
