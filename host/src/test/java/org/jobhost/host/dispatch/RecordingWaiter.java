package org.jobhost.host.dispatch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A waiter that never blocks and remembers how long the loop wanted to sleep. */
final class RecordingWaiter extends Waiter {
  final List<Duration> waits = new ArrayList<>();

  @Override
  public void await(Duration max) {
    waits.add(max);
  }

  Duration last() {
    return waits.get(waits.size() - 1);
  }
}
