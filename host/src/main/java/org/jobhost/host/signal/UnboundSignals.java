package org.jobhost.host.signal;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.jobhost.api.Signal;
import org.jobhost.host.logging.LazyLog;

/**
 * Counts signals that arrive with nothing to do (no built-in action, no hook) and logs them at most
 * once per signal per {@link #LOG_EVERY}, so that a storm of stray signals neither ends the daemon
 * nor floods its log. Thread-safe; {@link #note} never blocks and may run on a signal thread.
 */
public final class UnboundSignals {

  private static final LazyLog log = new LazyLog(UnboundSignals.class);

  /** At most one log line per signal in this time; the count carries the rest. */
  public static final Duration LOG_EVERY = Duration.ofSeconds(10);

  private final Map<Signal, AtomicLong> counts = new EnumMap<>(Signal.class);
  private final Map<Signal, AtomicLong> lastLogged = new EnumMap<>(Signal.class);

  /** Counters all at zero. */
  public UnboundSignals() {
    for (Signal s : Signal.values()) {
      counts.put(s, new AtomicLong());
      lastLogged.put(s, new AtomicLong(Long.MIN_VALUE));
    }
  }

  /**
   * Counts {@code times} deliveries of {@code signal}; logs one line unless one was logged lately.
   */
  public void note(Signal signal, int times) {
    long total = counts.get(signal).addAndGet(times);
    long now = System.nanoTime();
    AtomicLong last = lastLogged.get(signal);
    long before = last.get();
    if ((before == Long.MIN_VALUE || now - before >= LOG_EVERY.toNanos())
        && last.compareAndSet(before, now)) {
      log.get()
          .info(
              "signal={} received; nothing is bound to it, so it is ignored ({} so far; at most one"
                  + " line per {} s)",
              signal.fullName(),
              total,
              LOG_EVERY.toSeconds());
    }
  }

  /** How many times each signal arrived unbound (signals that never did are left out). */
  public Map<Signal, Long> counts() {
    Map<Signal, Long> out = new EnumMap<>(Signal.class);
    counts.forEach(
        (s, n) -> {
          if (n.get() > 0) {
            out.put(s, n.get());
          }
        });
    return out;
  }
}
