package org.jobhost.host.dispatch;

import org.jobhost.api.Job;
import org.jobhost.api.JobContext;
import org.jobhost.api.Outcome;

/** Runs a job of a type configured {@code isolation = "process"} outside the host's JVM. */
public interface IsolatedRunner {

  /**
   * Runs the job to its end; same contract as {@link org.jobhost.api.JobRunner#run}.
   *
   * @throws Exception as a runner would
   */
  Outcome run(Job job, JobContext context) throws Exception;
}
