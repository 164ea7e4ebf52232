package org.jobhost.store;

import java.time.Instant;

/**
 * Which worklog rows to read, newest first. Immutable.
 *
 * @param subject a task name or a job id, or {@code null} for all
 * @param failedOnly only FAILED, TIMED_OUT and INTERRUPTED runs
 * @param since only runs started at or after this, or {@code null}
 * @param limit at most this many rows, at least 1
 */
public record HistoryQuery(String subject, boolean failedOnly, Instant since, int limit) {

  /** Validates. */
  public HistoryQuery {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1 (was " + limit + ")");
    }
  }

  /** The latest {@code limit} runs of everything. */
  public static HistoryQuery latest(int limit) {
    return new HistoryQuery(null, false, null, limit);
  }
}
