package org.jobhost.signalstats;

import java.util.EnumSet;
import java.util.Set;
import org.jobhost.api.Host;
import org.jobhost.api.PluginContext;
import org.jobhost.api.Signal;
import org.jobhost.api.SignalEvent;
import org.jobhost.api.SignalHook;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs the daemon's counters when a signal arrives: {@code completed 12 jobs, succeeded 10, failed
 * 1, ...}. Setting {@code [plugins.signal-stats] signal} (default "USR2"). Thread-safe.
 */
public final class StatsOnSignal implements SignalHook {

  private static final Logger log = LoggerFactory.getLogger(StatsOnSignal.class);

  private volatile Set<Signal> signals = EnumSet.of(Signal.USR2);

  @Override
  public void init(PluginContext context) {
    context.settings().requireOnly(Set.of("enabled", "signal"));
    String name = context.settings().string("signal", "USR2");
    try {
      signals = EnumSet.of(Signal.parse(name));
    } catch (IllegalArgumentException e) {
      throw context.settings().invalid("signal", "is invalid: " + e.getMessage());
    }
  }

  @Override
  public Set<Signal> signals() {
    return signals;
  }

  @Override
  public void onSignal(SignalEvent event, Host host) {
    log.info("{}: {}", event.signal().fullName(), host.stats().summary());
  }
}
