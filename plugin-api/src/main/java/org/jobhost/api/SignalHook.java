package org.jobhost.api;

import java.util.Set;

/**
 * What happens when the daemon receives a POSIX signal.
 *
 * <p>Hooks run one at a time on the host's event thread, after the signal's built-in action (if it
 * has one), in plugin load order. A hook should return within a second: a slower one is logged as
 * slow, and every later event waits for it. A hook that throws is logged with its plugin id; the
 * next hook still runs. Signals that arrive in a burst may be coalesced into one event.
 */
public interface SignalHook extends Managed {

  /**
   * The signals this hook is bound to; asked once after {@link #init}. A signal the JVM reserves
   * ({@link Signal#reservedByJvm()}) makes the host refuse the hook at load.
   */
  Set<Signal> signals();

  /**
   * Handles one signal.
   *
   * @param event which signal, and when it arrived
   * @param host a handle to steer the daemon (pause, stop, reload, resize, stats)
   */
  void onSignal(SignalEvent event, Host host) throws Exception;
}
