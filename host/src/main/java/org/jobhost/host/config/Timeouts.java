package org.jobhost.host.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The dispatcher's idle sleep and the stop sequence's two waits. Immutable.
 *
 * @param idle {@code idle_time}: the dispatcher's sleep when no source has work
 * @param grace {@code grace_timeout}: how long running jobs get to finish on a graceful stop
 * @param kill {@code kill_timeout}: how long a process group may ignore TERM before KILL
 */
public record Timeouts(Duration idle, Duration grace, Duration kill) {

  /** Validates. */
  public Timeouts {
    Objects.requireNonNull(idle, "idle");
    Objects.requireNonNull(grace, "grace");
    Objects.requireNonNull(kill, "kill");
  }
}
