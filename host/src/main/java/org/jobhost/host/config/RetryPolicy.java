package org.jobhost.host.config;

import java.time.Duration;
import java.util.Objects;

/**
 * How often a failed job is tried again, and how long to wait between attempts: {@code backoff ×
 * 2^(attempt-1)}, capped at {@code maxBackoff}, with ±{@code jitter} of random spread. Immutable.
 *
 * @param maxAttempts attempts in all, 1 = no retry
 * @param backoff the wait before the second attempt
 * @param maxBackoff the longest wait
 * @param jitter the random spread as a fraction, 0 to 1
 */
public record RetryPolicy(int maxAttempts, Duration backoff, Duration maxBackoff, double jitter) {

  /** Validates. */
  public RetryPolicy {
    Objects.requireNonNull(backoff, "backoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException(
          "maxAttempts must be at least 1 (was " + maxAttempts + ")");
    }
    if (jitter < 0 || jitter > 1) {
      throw new IllegalArgumentException("jitter must be between 0 and 1 (was " + jitter + ")");
    }
  }

  /**
   * The wait before attempt {@code nextAttempt} (2 for the first retry), with jitter drawn from
   * {@code random}, a number in [0, 1).
   */
  public Duration delayBefore(int nextAttempt, double random) {
    return new Backoff(backoff, maxBackoff, jitter).after(nextAttempt - 1, random);
  }
}
