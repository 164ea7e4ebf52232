package org.jobhost.host;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stop requests: the first asks for a graceful stop, a second for an immediate one. Safe to call
 * from a signal handler (never blocks). Thread-safe.
 */
final class StopControl {

  private final CountDownLatch requested = new CountDownLatch(1);
  private final AtomicInteger count = new AtomicInteger();

  /** Records one stop request; returns how many there have been. */
  int request() {
    int n = count.incrementAndGet();
    requested.countDown();
    return n;
  }

  boolean requested() {
    return count.get() > 0;
  }

  boolean urgent() {
    return count.get() > 1;
  }

  /** Ends {@link #await} without a stop request: the dispatch loop ended by itself. */
  void loopEnded() {
    requested.countDown();
  }

  /** Waits up to {@code max} for the first request (or the loop's end). */
  boolean await(Duration max) throws InterruptedException {
    return requested.await(max.toMillis(), TimeUnit.MILLISECONDS);
  }
}
