package org.jobhost.api;

import java.time.Instant;
import java.util.Objects;

/**
 * One job running now, as {@link Host#runningJobs()} shows it. Immutable.
 *
 * @param job the job
 * @param source the id of the plugin whose {@link JobSource} produced it
 * @param started when the host handed it to its runner
 */
public record RunningJob(Job job, String source, Instant started) {

  /** Validates. */
  public RunningJob {
    Objects.requireNonNull(job, "job");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(started, "started");
  }
}
