package org.jobhost.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One row of the worklog. Immutable.
 *
 * @param id increasing with start order
 * @param start what was recorded at the start
 * @param end what was recorded at the end, or {@code null} while the run goes
 */
public record Run(long id, RunStart start, RunEnd end) {

  /** The run's end, if it ended. */
  public Optional<RunEnd> ended() {
    return Optional.ofNullable(end);
  }

  /** How long it ran, if it ended. */
  public Optional<Duration> duration() {
    return end == null
        ? Optional.empty()
        : Optional.of(Duration.between(start.startedAt(), end.endedAt()));
  }

  /** The task, or for other sources the job id: what {@code jobhost history} shows. */
  public String subject() {
    return start.task() != null ? start.task() : start.jobId();
  }

  /** When it started. */
  public Instant startedAt() {
    return start.startedAt();
  }
}
