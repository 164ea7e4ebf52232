package org.jobhost.dist.service;

import java.util.List;
import java.util.Map;
import org.jobhost.api.Job;
import org.jobhost.api.JobSource;

/**
 * A test plugin's source: one {@code command} job that sleeps and ignores TERM, so its process can
 * be inspected and a stop takes until kill_timeout. Thread-safe.
 */
public final class OneCommandSource implements JobSource {

  private boolean done;

  @Override
  public synchronized List<Job> poll(int max) {
    if (done || max < 1) {
      return List.of();
    }
    done = true;
    return List.of(new Job("sleeper", "command", Map.of("shell", "trap '' TERM; sleep 120")));
  }
}
