package org.jobhost.host.dispatch;

import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;
import org.jobhost.api.Lifecycle;
import org.jobhost.api.Outcome;
import org.jobhost.api.Stats;

/** The job counters. Thread-safe. */
final class JobStats {

  private final LongAdder started = new LongAdder();
  private final LongAdder succeeded = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final LongAdder timedOut = new LongAdder();
  private final LongAdder cancelled = new LongAdder();
  private final LongAdder retried = new LongAdder();

  void started() {
    started.increment();
  }

  void retried() {
    retried.increment();
  }

  void ended(Outcome outcome) {
    switch (outcome.kind()) {
      case SUCCEEDED:
        succeeded.increment();
        break;
      case FAILED:
        failed.increment();
        break;
      case TIMED_OUT:
        timedOut.increment();
        break;
      default:
        cancelled.increment();
        break;
    }
  }

  Stats snapshot(int running, int maxWorkers, Duration uptime, Lifecycle lifecycle) {
    return new Stats(
        started.sum(),
        succeeded.sum(),
        failed.sum(),
        timedOut.sum(),
        cancelled.sum(),
        retried.sum(),
        running,
        maxWorkers,
        uptime,
        lifecycle);
  }
}
