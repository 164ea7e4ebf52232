package org.jobhost.host.worker;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What happened to worker JVMs since the daemon started, for metrics: how many became ready, were
 * recycled (after {@code workers.max_jobs} or {@code workers.max_memory}), were killed with their
 * job (timeout, stop), died otherwise (a crash: out of memory, a KILL from outside, {@code
 * System.exit} in job code), or failed to start. Thread-safe.
 */
public final class WorkerCounts {

  private final AtomicLong started = new AtomicLong();
  private final AtomicLong recycled = new AtomicLong();
  private final AtomicLong crashed = new AtomicLong();
  private final AtomicLong failedStarts = new AtomicLong();
  private final AtomicLong killed = new AtomicLong();

  void started() {
    started.incrementAndGet();
  }

  void recycled() {
    recycled.incrementAndGet();
  }

  void crashed() {
    crashed.incrementAndGet();
  }

  /** A worker died during a job: killed by the host (the job's timeout or stop) or a crash. */
  void died(boolean killedByHost) {
    (killedByHost ? killed : crashed).incrementAndGet();
  }

  void failedStart() {
    failedStarts.incrementAndGet();
  }

  /** Worker JVMs that started and became ready. */
  public long starts() {
    return started.get();
  }

  /** Worker JVMs retired by the recycling rules. */
  public long recycles() {
    return recycled.get();
  }

  /** Worker JVMs the host killed with their job (at its timeout or stop). */
  public long kills() {
    return killed.get();
  }

  /** Worker JVMs found dead that the host had neither retired nor killed. */
  public long crashes() {
    return crashed.get();
  }

  /** Worker JVMs that did not become ready (exit at start, start timeout). */
  public long failedStarts() {
    return failedStarts.get();
  }
}
