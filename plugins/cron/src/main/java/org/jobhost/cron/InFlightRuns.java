package org.jobhost.cron;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.jobhost.api.Job;

/**
 * The ledger of jobs handed out and not yet answered: which worklog run each belongs to, and how
 * many runs of each task go now (the overlap policies ask). Not thread-safe: the {@link Scheduler}
 * guards it with its lock.
 */
final class InFlightRuns {

  /**
   * A job handed out and not yet answered.
   *
   * @param runId its row in the worklog
   * @param task its task
   * @param fireTime the fire it runs for
   */
  record InFlight(long runId, String task, Instant fireTime) {}

  private final Map<String, Integer> running = new HashMap<>();
  private final Map<String, InFlight> inFlight = new HashMap<>();

  /** Records {@code job} as handed out for run {@code runId}. */
  void add(Job job, long runId, String task, Instant fireTime) {
    inFlight.put(key(job), new InFlight(runId, task, fireTime));
    running.merge(task, 1, Integer::sum);
  }

  /**
   * Takes {@code job} off the ledger; its task still counts the run until {@link #release}, once
   * its end is recorded.
   *
   * @return what it was handed out for, or {@code null} when it was not (or was answered before)
   */
  InFlight remove(Job job) {
    return inFlight.remove(key(job));
  }

  /** Counts one run of {@code task} less. */
  void release(String task) {
    running.computeIfPresent(task, (k, n) -> n > 1 ? n - 1 : null);
  }

  /** How many runs of {@code task} go now. */
  int running(String task) {
    return running.getOrDefault(task, 0);
  }

  /** Task names with a job out now. */
  Set<String> tasks() {
    return new HashSet<>(running.keySet());
  }

  private static String key(Job job) {
    return job.id() + "#" + job.attempt();
  }
}
