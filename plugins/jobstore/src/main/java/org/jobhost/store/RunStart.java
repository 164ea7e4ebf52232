package org.jobhost.store;

import java.time.Instant;
import java.util.Objects;

/**
 * What the worklog records when a run starts. Immutable.
 *
 * @param source {@code cron} for a cron task's run, {@code host} for another source's job seen
 *     through the host's job events
 * @param task the cron task, or {@code null} for other sources
 * @param jobId the job's id
 * @param jobType the job's type
 * @param attempt from 1
 * @param fireTime the schedule time the run belongs to, or {@code null}
 * @param startedAt when the run was recorded as started
 * @param host the host name that runs it
 */
public record RunStart(
    String source,
    String task,
    String jobId,
    String jobType,
    int attempt,
    Instant fireTime,
    Instant startedAt,
    String host) {

  /** Validates; a message names the job. */
  public RunStart {
    Objects.requireNonNull(jobId, "jobId");
    Required.present("job", jobId, "source", source);
    Required.present("job", jobId, "jobType", jobType);
    Required.present("job", jobId, "startedAt", startedAt);
    Required.present("job", jobId, "host", host);
    if (attempt < 1) {
      throw new IllegalArgumentException(
          "job " + jobId + ": attempt must be at least 1 (was " + attempt + ")");
    }
  }
}
