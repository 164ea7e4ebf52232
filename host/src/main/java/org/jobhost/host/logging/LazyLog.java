package org.jobhost.host.logging;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A class's logger, asked of slf4j when it first logs. For the classes a control command ({@code
 * status}, {@code stop}, ...) runs through: the first {@link LoggerFactory#getLogger} sets up
 * logging (about a third of such a call), and a call that logs nothing need not pay for it.
 * Thread-safe.
 */
public final class LazyLog {

  private final Class<?> owner;
  private volatile Logger logger;

  /** The logger of {@code owner}, not asked for yet. */
  public LazyLog(Class<?> owner) {
    this.owner = owner;
  }

  /** The logger, set up on the first call (a race asks slf4j twice for the same logger). */
  public Logger get() {
    Logger l = logger;
    if (l == null) {
      l = LoggerFactory.getLogger(owner);
      logger = l;
    }
    return l;
  }
}
