package org.jobhost.host.dispatch;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The dispatcher's sleep, which {@link #wake()} ends early; a wake that comes while nobody waits
 * makes the next wait return at once, so no wake-up is lost. Thread-safe.
 */
public class Waiter {

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition woken = lock.newCondition();
  private boolean pending;

  /** Sleeps up to {@code max}, or until {@link #wake()}. */
  public void await(Duration max) throws InterruptedException {
    lock.lock();
    try {
      long nanos = max.toNanos();
      while (!pending && nanos > 0) {
        nanos = woken.awaitNanos(nanos);
      }
      pending = false;
    } finally {
      lock.unlock();
    }
  }

  /** Ends the current or next sleep. */
  public void wake() {
    lock.lock();
    try {
      pending = true;
      woken.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
