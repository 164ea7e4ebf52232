package org.jobhost.host.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Exponential backoff with jitter: the wait after the {@code n}th failure in a row is {@code first
 * × 2^(n-1)}, capped at {@code max}, spread by ±{@code jitter}. The one place the host computes
 * such a wait (job retries through {@link RetryPolicy}, worker JVM starts). Immutable.
 *
 * @param first the wait after the first failure
 * @param max the longest wait, before jitter
 * @param jitter the random spread as a fraction, 0 to 1
 */
public record Backoff(Duration first, Duration max, double jitter) {

  /** Validates. */
  public Backoff {
    Objects.requireNonNull(first, "first");
    Objects.requireNonNull(max, "max");
    if (jitter < 0 || jitter > 1) {
      throw new IllegalArgumentException("jitter must be between 0 and 1 (was " + jitter + ")");
    }
  }

  /**
   * The wait after {@code failures} failures in a row (1 or more; less counts as 1), with jitter
   * drawn from {@code random}, a number in [0, 1).
   */
  public Duration after(int failures, double random) {
    int exponent = Math.max(0, Math.min(failures - 1, 30));
    long base = first.toMillis();
    long ms = base > (Long.MAX_VALUE >> exponent) ? Long.MAX_VALUE : base << exponent;
    ms = Math.min(ms, max.toMillis());
    double spread = 1 + jitter * (2 * random - 1);
    return Duration.ofMillis(Math.max(0, Math.round(ms * spread)));
  }
}
