package org.jobhost.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * One row of the {@code jobs} table. Immutable.
 *
 * @param id the job's id, unique in the database
 * @param type selects the runner
 * @param params the runner's parameters
 * @param priority higher runs first
 * @param runAt the earliest start (database clock)
 * @param attempt the current (or next) attempt, from 1
 * @param maxAttempts attempts in all; 0 for the host's default of the type
 * @param timeout per attempt, or {@code null} for the type's default
 * @param uniqueKey the key that keeps a second live job out, or {@code null}
 * @param state where the job is in its life
 * @param claimedBy the host running it, or {@code null}
 * @param lastError why the last attempt failed, or {@code null}
 */
public record QueuedJob(
    long id,
    String type,
    Map<String, String> params,
    int priority,
    Instant runAt,
    int attempt,
    int maxAttempts,
    Duration timeout,
    String uniqueKey,
    JobState state,
    String claimedBy,
    String lastError) {

  /** Copies. */
  public QueuedJob {
    params = params == null ? Map.of() : Map.copyOf(params);
  }
}
