package org.jobhost.host.dispatch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiPredicate;
import java.util.function.BooleanSupplier;
import org.jobhost.api.Job;
import org.jobhost.api.RunningJob;

/**
 * The attempts running now, and waiting for them to end. Thread-safe: iteration is weakly
 * consistent, so the dispatcher may walk it while worker threads remove their attempts.
 */
final class Running implements Iterable<Execution> {

  private final Set<Execution> all = ConcurrentHashMap.newKeySet();
  private final Object drained = new Object();

  void add(Execution e) {
    all.add(e);
  }

  /** Removes an ended attempt; {@link #wakeWaiters} then tells those who wait. */
  void remove(Execution e) {
    all.remove(e);
  }

  /** Wakes those who wait in {@link #awaitNone} or {@link #awaitDrained} to look again. */
  void wakeWaiters() {
    synchronized (drained) {
      drained.notifyAll();
    }
  }

  int size() {
    return all.size();
  }

  boolean isEmpty() {
    return all.isEmpty();
  }

  @Override
  public Iterator<Execution> iterator() {
    return all.iterator();
  }

  /** A copy, for walks that end attempts. */
  List<Execution> snapshot() {
    return List.copyOf(all);
  }

  /** The jobs of the attempts not yet ended, oldest first. */
  List<RunningJob> jobs() {
    List<RunningJob> out = new ArrayList<>();
    for (Execution e : all) {
      if (!e.ended()) {
        out.add(new RunningJob(e.job, e.source.pluginId(), e.startedAt));
      }
    }
    out.sort(Comparator.comparing(RunningJob::started));
    return out;
  }

  /**
   * Waits until no running attempt matches {@code which} (its job, the id of the plugin whose
   * source gave it), looking at least every 100 ms; returns whether that happened within {@code
   * max}.
   */
  boolean awaitNone(BiPredicate<Job, String> which, Duration max) throws InterruptedException {
    return await(
        () -> all.stream().noneMatch(e -> which.test(e.job, e.source.pluginId())), max, 100);
  }

  /** Waits until nothing runs; returns whether that happened within {@code max}. */
  boolean awaitDrained(Duration max) throws InterruptedException {
    return await(all::isEmpty, max, Long.MAX_VALUE);
  }

  private boolean await(BooleanSupplier done, Duration max, long lookEveryMs)
      throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    synchronized (drained) {
      while (!done.getAsBoolean()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        drained.wait(Math.max(1, Math.min(left / 1_000_000, lookEveryMs)));
      }
    }
    return true;
  }
}
