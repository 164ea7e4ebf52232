package org.jobhost.host.dispatch;

import java.util.concurrent.atomic.AtomicInteger;
import org.jobhost.host.config.Defaults;
import org.jobhost.host.config.DispatchMode;

/** The worker slots: how many there are and how many are taken. Thread-safe. */
final class Slots {

  private final AtomicInteger used = new AtomicInteger();
  private volatile int max;

  Slots(int max) {
    this.max = max;
  }

  /** The number of slots now. */
  int max() {
    return max;
  }

  /** Sets the number of slots; refuses a number outside 1 to the limit. */
  void resize(int slots) {
    this.max = Defaults.checkMaxWorkers(slots);
  }

  /** How many jobs may start now; in batch mode none until the whole group has ended. */
  int free(DispatchMode mode) {
    int size = used.get();
    if (mode == DispatchMode.BATCH && size > 0) {
      return 0;
    }
    return max - size;
  }

  /** Takes a slot if one is free; returns whether it did. */
  boolean take() {
    while (true) {
      int n = used.get();
      if (n >= max) {
        return false;
      }
      if (used.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  /** Gives back a slot taken with {@link #take}. */
  void release() {
    used.decrementAndGet();
  }
}
