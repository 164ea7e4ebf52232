package org.jobhost.api;

import java.time.Duration;
import java.util.Objects;

/**
 * The daemon's counters at one moment. Counts are since start (a reload keeps them).
 *
 * @param started jobs handed to a runner
 * @param succeeded jobs that ended SUCCEEDED
 * @param failed jobs that ended FAILED (a retried attempt counts once per attempt)
 * @param timedOut jobs that ended TIMED_OUT
 * @param cancelled jobs that ended CANCELLED
 * @param retried failed attempts handed back to their source for another attempt
 * @param running jobs running now
 * @param maxWorkers worker slots now
 * @param uptime time since the daemon started
 * @param lifecycle the state now
 */
public record Stats(
    long started,
    long succeeded,
    long failed,
    long timedOut,
    long cancelled,
    long retried,
    int running,
    int maxWorkers,
    Duration uptime,
    Lifecycle lifecycle) {

  /** Validates. */
  public Stats {
    Objects.requireNonNull(uptime, "uptime");
    Objects.requireNonNull(lifecycle, "lifecycle");
  }

  /** Jobs that reached an end, whatever the outcome. */
  public long completed() {
    return succeeded + failed + timedOut + cancelled;
  }

  /** One line for logs: {@code completed 12 jobs, succeeded 10, failed 1, ...}. */
  public String summary() {
    return "completed "
        + completed()
        + " jobs, succeeded "
        + succeeded
        + ", failed "
        + failed
        + ", timed out "
        + timedOut
        + ", cancelled "
        + cancelled
        + ", retried "
        + retried
        + ", running "
        + running
        + " of "
        + maxWorkers
        + " workers, state "
        + lifecycle
        + ", up "
        + Durations.format(
            uptime.toSeconds() == 0
                ? Duration.ofMillis(uptime.toMillis())
                : Duration.ofSeconds(uptime.toSeconds()));
  }
}
