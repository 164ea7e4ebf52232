package org.jobhost.host;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jobhost.api.Signal;
import org.jobhost.api.SignalHook;
import org.jobhost.host.plugins.Bindings;
import org.jobhost.host.plugins.Contribution;
import org.jobhost.host.signal.EventLoop;
import org.jobhost.host.signal.SignalBridge;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds plugins' signal hooks: installs the JVM handler of each hooked signal and hands the hook to
 * the event loop; a signal the JVM refuses becomes a problem of the hook's plugin. Called at start
 * and after each plugin change, one call at a time; thread-safe as the bridge and loop are.
 */
record HookInstaller(SignalBridge bridge, EventLoop events, DaemonState state) {

  // The daemon's logger name, which operators filter on and the log lines have always carried.
  private static final Logger log = LoggerFactory.getLogger(Daemon.class);

  /** Installs a handler for every signal a hook is bound to ({@link Bindings} refused the rest). */
  void install(Map<Signal, List<Contribution<SignalHook>>> hooks) {
    for (Map.Entry<Signal, List<Contribution<SignalHook>>> e : hooks.entrySet()) {
      Signal s = e.getKey();
      for (Contribution<SignalHook> h : e.getValue()) {
        if (s == Signal.CHLD) {
          primeChildSignal();
        }
        SignalBridge.Installed result = bridge.install(s);
        if (result == SignalBridge.Installed.REFUSED) {
          state.plugins.problem(
              h.pluginId(), h.label() + ": the JVM refused a handler for " + s.fullName());
          continue;
        }
        events.hook(s, h);
      }
    }
  }

  /**
   * A CHLD handler installed before the JVM's first child process is silently replaced when that
   * child starts; starting one child first keeps the hook's handler in place.
   */
  private static void primeChildSignal() {
    try {
      Process p = new ProcessBuilder("true").redirectErrorStream(true).start();
      p.waitFor(5, TimeUnit.SECONDS);
    } catch (IOException e) {
      log.warn(
          "could not start a first child process before installing the CHLD handler: {}",
          e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
