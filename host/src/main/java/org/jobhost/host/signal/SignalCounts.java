package org.jobhost.host.signal;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import org.jobhost.api.Signal;

/**
 * How many times each signal reached the daemon, whatever was done with it; for {@code
 * Host.signalsReceived()} (dashboards and metrics). Thread-safe; {@link #count} never blocks, so
 * the bridge's sink may call it on the JVM's signal thread.
 */
public final class SignalCounts {

  private static final Signal[] SIGNALS = Signal.values();
  private final AtomicLongArray counts = new AtomicLongArray(SIGNALS.length);

  /** One more delivery of {@code signal}. */
  public void count(Signal signal) {
    counts.incrementAndGet(signal.ordinal());
  }

  /** The counts now; signals that never came are left out. */
  public Map<Signal, Long> snapshot() {
    Map<Signal, Long> out = new EnumMap<>(Signal.class);
    for (Signal s : SIGNALS) {
      long n = counts.get(s.ordinal());
      if (n > 0) {
        out.put(s, n);
      }
    }
    return out;
  }
}
