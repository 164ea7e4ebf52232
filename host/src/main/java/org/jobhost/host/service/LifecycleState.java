package org.jobhost.host.service;

import java.util.concurrent.atomic.AtomicReference;
import org.jobhost.api.Lifecycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's state, with its transitions checked ({@link Lifecycle#canMoveTo}) and each one
 * logged once at INFO on the daemon's logger. Thread-safe.
 */
public final class LifecycleState {

  private static final Logger log = LoggerFactory.getLogger("org.jobhost.host.Daemon");

  private final AtomicReference<Lifecycle> state = new AtomicReference<>(Lifecycle.STARTING);

  /** The state now. */
  public Lifecycle get() {
    return state.get();
  }

  /**
   * Moves to {@code next} if allowed from the current state.
   *
   * @return whether this call moved it (false when the move is not allowed now, such as resume
   *     while stopping)
   */
  public boolean moveTo(Lifecycle next) {
    while (true) {
      Lifecycle now = state.get();
      if (!now.canMoveTo(next)) {
        return false;
      }
      if (state.compareAndSet(now, next)) {
        log.info("state {} -> {}", now, next);
        return true;
      }
    }
  }
}
