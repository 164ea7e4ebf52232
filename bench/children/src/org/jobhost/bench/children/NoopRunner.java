package org.jobhost.bench.children;

import java.util.Set;
import org.jobhost.api.Job;
import org.jobhost.api.JobContext;
import org.jobhost.api.JobRunner;
import org.jobhost.api.Outcome;

/** Runs jobs of type "noop": does nothing and succeeds. Thread-safe (stateless). */
public final class NoopRunner implements JobRunner {
  @Override
  public Set<String> types() {
    return Set.of("noop");
  }

  @Override
  public Outcome run(Job job, JobContext context) {
    return Outcome.succeeded();
  }
}
