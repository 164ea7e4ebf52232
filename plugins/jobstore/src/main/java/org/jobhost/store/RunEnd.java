package org.jobhost.store;

import java.time.Instant;
import java.util.Objects;

/**
 * What the worklog records when a run ends. Immutable.
 *
 * @param endedAt when it ended
 * @param outcome how
 * @param exitCode the process exit code, or {@code null}
 * @param message the reason, for anything but success; may be empty
 * @param outputTail the tail of the output, cut to {@link #MAX_TAIL} characters
 */
public record RunEnd(
    Instant endedAt, RunOutcome outcome, Integer exitCode, String message, String outputTail) {

  /** The most output kept per run, in characters (the end of the output is kept). */
  public static final int MAX_TAIL = 4000;

  /** Validates and cuts the output. */
  public RunEnd {
    Objects.requireNonNull(endedAt, "endedAt");
    Objects.requireNonNull(outcome, "outcome");
    message = message == null ? "" : message;
    outputTail = outputTail == null ? "" : outputTail;
    if (outputTail.length() > MAX_TAIL) {
      outputTail = outputTail.substring(outputTail.length() - MAX_TAIL);
    }
  }
}
