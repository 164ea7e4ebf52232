package org.jobhost.cron.worklog;

import java.time.Instant;
import org.jobhost.api.Outcome;
import org.jobhost.store.RunEnd;
import org.jobhost.store.RunOutcome;

/** The worklog's end of a run from the host's {@link Outcome} of its job. Stateless. */
public final class RunEnds {

  private RunEnds() {}

  /** The end of a run with {@code outcome} at {@code now}; {@code note} follows the message. */
  public static RunEnd of(Outcome outcome, Instant now, String note) {
    RunOutcome kind = RunOutcome.valueOf(outcome.kind().name());
    Integer code = outcome.exitCode().isPresent() ? outcome.exitCode().getAsInt() : null;
    String message = outcome.isSuccess() ? "" : outcome.message();
    return new RunEnd(now, kind, code, message + note, outcome.output());
  }
}
