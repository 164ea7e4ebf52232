package org.jobhost.host;

import org.jobhost.api.Signal;
import org.jobhost.host.config.Defaults;
import org.jobhost.host.logging.LogSetup;
import org.jobhost.host.signal.BuiltInSignal;
import org.jobhost.host.signal.EventLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's action for each kind of {@link BuiltInSignal}, run on the event thread. Stateless.
 */
final class BuiltInActions {

  // The daemon's logger name, which operators filter on and the log lines have always carried.
  private static final Logger log = LoggerFactory.getLogger(Daemon.class);

  private BuiltInActions() {}

  /** Binds the built-in action of every {@link BuiltInSignal} in {@code events}. */
  static void bind(EventLoop events, HostControl host, Runnable reload) {
    for (BuiltInSignal b : BuiltInSignal.values()) {
      bind(events, host, reload, b);
    }
  }

  private static void bind(EventLoop events, HostControl host, Runnable reload, BuiltInSignal b) {
    Signal s = b.signal();
    switch (b.kind()) {
      case RELOAD:
        events.builtIn(s, e -> reload.run());
        break;
      case STOP:
        events.builtIn(s, e -> log.info("signal={}: graceful stop", s.fullName()));
        break;
      case PAUSE:
        events.builtIn(s, e -> host.pause());
        break;
      case RESUME:
        events.builtIn(s, e -> host.resume());
        break;
      case REOPEN_LOGS:
        events.builtIn(s, e -> LogSetup.reopen());
        break;
      case GROW:
        events.builtIn(s, e -> grow(host));
        break;
      case SHRINK:
        events.builtIn(s, e -> host.resize(Math.max(1, host.maxWorkers() - 1)));
        break;
      case NONE:
        break;
    }
  }

  private static void grow(HostControl host) {
    int now = host.maxWorkers();
    if (now >= Defaults.MAX_WORKERS_LIMIT) {
      log.warn(
          "signal=SIGTTIN: max_workers is already {}, the limit; unchanged",
          Defaults.MAX_WORKERS_LIMIT);
    } else {
      host.resize(now + 1);
    }
  }
}
