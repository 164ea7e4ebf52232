package org.jobhost.api;

import java.time.Instant;
import java.util.Objects;

/**
 * A signal the daemon received.
 *
 * @param signal which signal
 * @param receivedAt when the host's signal handler saw it
 * @param sequence counts every signal the daemon received since start, from 1
 * @param coalesced how many further deliveries of the same signal arrived while this one waited and
 *     were merged into it (0 usually)
 */
public record SignalEvent(Signal signal, Instant receivedAt, long sequence, int coalesced) {

  /** Validates. */
  public SignalEvent {
    Objects.requireNonNull(signal, "signal");
    Objects.requireNonNull(receivedAt, "receivedAt");
    if (coalesced < 0) {
      throw new IllegalArgumentException("coalesced must not be negative (was " + coalesced + ")");
    }
  }

  /** A single delivery. */
  public SignalEvent(Signal signal, Instant receivedAt) {
    this(signal, receivedAt, 0, 0);
  }
}
