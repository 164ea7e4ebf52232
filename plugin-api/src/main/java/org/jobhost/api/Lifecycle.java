package org.jobhost.api;

/**
 * The daemon's states. {@code STARTING → RUNNING ⇄ PAUSED → STOPPING → STOPPED}; a stop may also
 * begin from STARTING. A reload happens inside RUNNING or PAUSED and is no state of its own.
 */
public enum Lifecycle {
  /** Loading configuration and plugins; no job runs yet. */
  STARTING,
  /** Dispatching jobs. */
  RUNNING,
  /** No new job starts; running jobs go on. */
  PAUSED,
  /** No new job starts; running jobs are asked to stop and get the grace timeout. */
  STOPPING,
  /** Everything ended; the process exits. */
  STOPPED;

  /** Whether the daemon may move from this state to {@code next}. */
  public boolean canMoveTo(Lifecycle next) {
    switch (this) {
      case STARTING:
        return next == RUNNING || next == STOPPING;
      case RUNNING:
        return next == PAUSED || next == STOPPING;
      case PAUSED:
        return next == RUNNING || next == STOPPING;
      case STOPPING:
        return next == STOPPED;
      default:
        return false;
    }
  }
}
