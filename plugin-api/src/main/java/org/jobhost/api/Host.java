package org.jobhost.api;

/**
 * A handle to steer the daemon, given to signal hooks, listeners and plugins. Thread-safe; every
 * method returns at once (the action happens on the host's own threads), so it may be called from
 * any thread, including from inside a hook.
 */
public interface Host {

  /** Stops dispatching new jobs; running jobs continue. No-op unless RUNNING. */
  void pause();

  /** Resumes dispatch after {@link #pause()}. No-op unless PAUSED. */
  void resume();

  /** Begins a graceful stop, as on TERM. */
  void stop();

  /** Re-reads and validates the configuration, as on HUP; a bad file keeps the old one. */
  void reload();

  /**
   * Sets the number of worker slots. Running jobs are never interrupted by a shrink: extra jobs
   * finish and their slots are not refilled.
   *
   * @throws IllegalArgumentException when {@code maxWorkers} is below 1
   */
  void resize(int maxWorkers);

  /** Ends the dispatcher's idle sleep now: a source calls it when it learns of new work. */
  void wake();

  /** The counters now. */
  Stats stats();

  /** The state now. */
  Lifecycle lifecycle();

  /**
   * Sends a signal to the process group of every child process that running jobs started through
   * {@link JobContext#startProcess}.
   *
   * @return how many groups were signalled
   */
  int signalChildren(Signal signal);
}
