package org.jobhost.store;

/**
 * How a recorded run ended: the four outcomes of the plugin API plus the two that only the worklog
 * knows.
 */
public enum RunOutcome {
  /** The job did its work. */
  SUCCEEDED,
  /** The job ran and failed (an attempt that was then retried is also recorded as FAILED). */
  FAILED,
  /** The job ran past its timeout. */
  TIMED_OUT,
  /** The host stopped before or while the job ran. */
  CANCELLED,
  /** The host died while the run was going; found open at the next start. */
  INTERRUPTED,
  /** The fire was dropped because the previous run still went (overlap policy {@code skip}). */
  SKIPPED;

  /** Whether {@code jobhost history --failed} lists it. */
  public boolean isFailure() {
    return this == FAILED || this == TIMED_OUT || this == INTERRUPTED;
  }
}
