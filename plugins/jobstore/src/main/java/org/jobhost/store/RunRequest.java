package org.jobhost.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A persisted request to run a task outside its schedule: a manual run, a retry, a fire queued
 * behind a running one, or a rerun of an interrupted run. Immutable.
 *
 * @param id assigned by the store; 0 for a request not yet added
 * @param task the task to run
 * @param reason why
 * @param notBefore the earliest time it may start
 * @param attempt the attempt number of the job it starts
 * @param fireTime the schedule time the run belongs to
 * @param jobId the job id to use, or {@code null} to derive one from the task and fire time
 * @param requestedAt when it was requested
 */
public record RunRequest(
    long id,
    String task,
    Reason reason,
    Instant notBefore,
    int attempt,
    Instant fireTime,
    String jobId,
    Instant requestedAt) {

  /** Validates; a message names the task. */
  public RunRequest {
    Objects.requireNonNull(task, "task");
    Required.present("task", task, "reason", reason);
    Required.present("task", task, "notBefore", notBefore);
    Required.present("task", task, "fireTime", fireTime);
    Required.present("task", task, "requestedAt", requestedAt);
    if (attempt < 1) {
      throw new IllegalArgumentException(
          "task " + task + ": attempt must be at least 1 (was " + attempt + ")");
    }
  }

  /** The same request under the id the store gave it. */
  public RunRequest withId(long newId) {
    return new RunRequest(newId, task, reason, notBefore, attempt, fireTime, jobId, requestedAt);
  }

  /** Why a run was requested. */
  public enum Reason {
    /** {@code jobhost tasks run NAME}; runs whatever the overlap policy says. */
    MANUAL,
    /** A failed attempt with attempts left; runs at {@code notBefore}. */
    RETRY,
    /** A fire under overlap policy {@code queue}; runs when the task has no run going. */
    QUEUED,
    /** A run the host's death cut off, for a task with {@code rerun_interrupted}. */
    INTERRUPTED
  }
}
