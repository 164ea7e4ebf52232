package org.jobhost.host.worker;

import java.util.Set;
import org.jobhost.api.Job;
import org.jobhost.api.JobContext;
import org.jobhost.api.JobRunner;
import org.jobhost.api.Outcome;

/**
 * A runner on the test class path, so that worker JVMs started by the tests find it: type "t",
 * param {@code do} = ok (answers with its pid), exit:N, or wait (until asked to stop). Thread-safe.
 */
public final class TestRunner implements JobRunner {

  /** The one job type it runs. */
  public static final String TYPE = "t";

  @Override
  public Set<String> types() {
    return Set.of(TYPE);
  }

  @Override
  public Outcome run(Job job, JobContext context) throws Exception {
    String what = job.param("do", "ok");
    if (what.startsWith("exit:")) {
      System.exit(Integer.parseInt(what.substring(5)));
    }
    if (what.equals("wait")) {
      System.out.println("waiting");
      Thread.sleep(Long.MAX_VALUE);
    }
    return Outcome.succeeded("pid=" + ProcessHandle.current().pid());
  }
}
