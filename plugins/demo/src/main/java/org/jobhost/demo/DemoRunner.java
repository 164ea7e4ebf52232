package org.jobhost.demo;

import java.time.Duration;
import java.util.Set;
import org.jobhost.api.Durations;
import org.jobhost.api.Job;
import org.jobhost.api.JobContext;
import org.jobhost.api.JobRunner;
import org.jobhost.api.Outcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs jobs of type {@code demo}: params {@code work} (a duration, default "0ms"), {@code mode}
 * ("sleep" or "compute") and {@code fail} ("true" makes it fail). Sleeping reacts to interruption;
 * computing checks {@link JobContext#stopRequested()}. Thread-safe (stateless).
 */
public final class DemoRunner implements JobRunner {

  private static final Logger log = LoggerFactory.getLogger(DemoRunner.class);

  @Override
  public Set<String> types() {
    return Set.of("demo");
  }

  @Override
  public Outcome run(Job job, JobContext context) throws InterruptedException {
    Duration work = Durations.parse(job.param("work", "0ms"));
    if (log.isDebugEnabled()) {
      log.debug("job={} working for {}", job.id(), Durations.format(work));
    }
    if ("compute".equals(job.param("mode", "sleep"))) {
      long end = System.nanoTime() + work.toNanos();
      long x = 0;
      while (System.nanoTime() < end) {
        for (int i = 0; i < 10_000; i++) {
          x += i ^ (x >>> 3);
        }
        if (context.stopRequested() && Thread.currentThread().isInterrupted()) {
          throw new InterruptedException("stop requested");
        }
      }
      if (x == 42) {
        log.trace("unlikely");
      }
    } else if (!work.isZero()) {
      Thread.sleep(work.toMillis());
    }
    if (Boolean.parseBoolean(job.param("fail", "false"))) {
      return Outcome.failed("demo job " + job.id() + " fails as configured (fail_every)");
    }
    return Outcome.succeeded();
  }
}
