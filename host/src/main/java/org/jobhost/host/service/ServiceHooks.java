package org.jobhost.host.service;

import org.jobhost.host.config.Config;
import org.jobhost.host.control.DaemonControl;

/**
 * What running as a service adds around the daemon's life: the PID file, the control socket, the
 * user switch and systemd's notify protocol. The daemon calls these at fixed points; every method
 * is a no-op by default. Called from the daemon's main thread unless said otherwise.
 */
public interface ServiceHooks {

  /**
   * Right after the configuration is loaded, before logging is set up or any file is opened. The
   * place for a root start to switch to the service user, so that root opens nothing in a directory
   * that user can write.
   *
   * @throws ServiceException to refuse the start (exit 1, the message printed)
   */
  default void prepare(Config config) {}

  /**
   * After the configuration is loaded and logging set up, before plugins load. The place to take
   * the PID lock, open the control socket and drop privileges.
   *
   * @throws ServiceException to refuse the start (exit 1, the message printed)
   */
  default void starting(Config config, DaemonControl control) {}

  /** Plugins are loaded and dispatch runs: the daemon is ready. */
  default void ready() {}

  /** A reload begins (event thread). */
  default void reloading() {}

  /** A reload ended (event thread): applied or rejected, with the detail. */
  default void reloaded(boolean applied, String detail) {}

  /** The dispatcher finished one iteration of its loop (dispatcher thread; must be cheap). */
  default void loopTick() {}

  /** A graceful stop begins. */
  default void stopping() {}

  /** The daemon stopped; the process exits right after. Release the PID file and socket. */
  default void stopped() {}

  /**
   * The fields of the control socket's {@code status} answer, as {@code jobhost status --json}
   * prints them, for {@code Host.status()}. Any thread.
   *
   * @return empty before {@link #starting} or when there is no control socket
   */
  default java.util.Map<String, String> status() {
    return java.util.Map.of();
  }
}
