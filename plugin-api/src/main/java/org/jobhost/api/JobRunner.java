package org.jobhost.api;

import java.util.Set;

/**
 * How a job of some type is executed.
 *
 * <p>{@link #run} is called on a worker slot's thread, or inside a worker JVM when the job type is
 * configured {@code isolation = "process"}; calls for different jobs overlap, so a runner must be
 * thread-safe. A runner may block for as long as the job runs, but should check {@link
 * JobContext#stopRequested()} (or react to interruption) so that timeouts and a graceful stop end
 * it promptly.
 */
public interface JobRunner extends Managed {

  /**
   * The job types this runner executes; asked once after {@link #init}. Two runners claiming the
   * same type is a configuration error reported at start.
   */
  Set<String> types();

  /**
   * Runs one job to its end.
   *
   * @return the outcome; {@code null} is treated as a failure
   * @throws InterruptedException when the job was asked to stop: the host records TIMED_OUT or
   *     CANCELLED, whichever asked
   * @throws Exception any other exception ends the job FAILED with the exception as its reason
   */
  Outcome run(Job job, JobContext context) throws Exception;
}
