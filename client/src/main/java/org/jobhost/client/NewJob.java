package org.jobhost.client;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A job to enqueue. Immutable; build one with {@link #of} and the {@code with...} methods.
 *
 * @param type the job type, which selects the runner on the host (such as {@code command})
 * @param params the runner's parameters; copied, never null
 * @param priority higher runs first among jobs that are due; default 0
 * @param runAt the earliest start; {@code null} for now (the database's clock)
 * @param uniqueKey while a job with this key is queued or running, enqueueing another with the same
 *     key does nothing; {@code null} for none
 * @param maxAttempts attempts in all; 0 for the host's default of the type
 * @param timeout how long one attempt may run; {@code null} for the host's default of the type
 */
public record NewJob(
    String type,
    Map<String, String> params,
    int priority,
    Instant runAt,
    String uniqueKey,
    int maxAttempts,
    Duration timeout) {

  /** Validates and copies. */
  public NewJob {
    Objects.requireNonNull(type, "type");
    if (type.isBlank()) {
      throw new IllegalArgumentException("job type must not be blank");
    }
    params = params == null ? Map.of() : Map.copyOf(params);
    if (uniqueKey != null && uniqueKey.isBlank()) {
      throw new IllegalArgumentException("unique key must not be blank; use null for none");
    }
    if (maxAttempts < 0) {
      throw new IllegalArgumentException(
          "max attempts must be 0 (the type's default) or more (was " + maxAttempts + ")");
    }
    if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
      throw new IllegalArgumentException("timeout must be positive (was " + timeout + ")");
    }
  }

  /** A job of {@code type} with these parameters, due now, priority 0, no key. */
  public static NewJob of(String type, Map<String, String> params) {
    return new NewJob(type, params, 0, null, null, 0, null);
  }

  /** The same job with another priority (higher runs first). */
  public NewJob withPriority(int newPriority) {
    return new NewJob(type, params, newPriority, runAt, uniqueKey, maxAttempts, timeout);
  }

  /** The same job, not to start before {@code at}. */
  public NewJob withRunAt(Instant at) {
    return new NewJob(type, params, priority, at, uniqueKey, maxAttempts, timeout);
  }

  /** The same job with a unique key. */
  public NewJob withUniqueKey(String key) {
    return new NewJob(type, params, priority, runAt, key, maxAttempts, timeout);
  }

  /** The same job with another number of attempts. */
  public NewJob withMaxAttempts(int attempts) {
    return new NewJob(type, params, priority, runAt, uniqueKey, attempts, timeout);
  }

  /** The same job with a timeout per attempt. */
  public NewJob withTimeout(Duration limit) {
    return new NewJob(type, params, priority, runAt, uniqueKey, maxAttempts, limit);
  }
}
