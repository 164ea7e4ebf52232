package org.jobhost.store;

import java.util.Locale;

/**
 * The state of a row of the {@code jobs} table, stored as its lower-case name ({@link #sql()}).
 *
 * <p>Transitions: {@code queued → running} (claim) or {@code → cancelled}; {@code running →
 * succeeded}, {@code → dead} (last attempt failed), or {@code → queued} (retry, release, recovery
 * from a dead host); {@code dead} and {@code cancelled → queued} (requeue by an operator).
 */
public enum JobState {
  /** Waiting for its run time and a host. */
  QUEUED,
  /** Claimed by a host, which runs it now. */
  RUNNING,
  /** Ended well; pruned after {@code keep_done}. */
  SUCCEEDED,
  /** Ended with no attempt left; kept until an operator queues it again. */
  DEAD,
  /** Taken out of the queue before it ran; pruned after {@code keep_done}. */
  CANCELLED;

  /** The value in the {@code state} column. */
  public String sql() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The state of a {@code state} column value.
   *
   * @throws IllegalArgumentException naming the value and the states there are
   */
  public static JobState ofSql(String value) {
    for (JobState s : values()) {
      if (s.sql().equals(value)) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "job state '"
            + value
            + "' is none of queued, running, succeeded, dead, cancelled; the row was written by"
            + " another version or by hand: fix its state column");
  }

  /** The state a job takes when attempt {@code attempt} of {@code maxAttempts} is cut off. */
  static JobState afterLostAttempt(int attempt, int maxAttempts) {
    return maxAttempts > 0 && attempt >= maxAttempts ? DEAD : QUEUED;
  }
}
