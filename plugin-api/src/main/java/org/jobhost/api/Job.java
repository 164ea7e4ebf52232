package org.jobhost.api;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * One unit of work: an id unique within its source, a type that selects the runner, string
 * parameters for that runner, and optional limits. Immutable.
 *
 * @param id unique within the source that produced it; appears in every log line of the job
 * @param type selects the {@link JobRunner} whose {@link JobRunner#types()} contains it
 * @param params the runner's parameters; copied, never null
 * @param timeout how long the job may run; {@code null} means the type's default from the config
 * @param attempt 1 for the first run, 2 for the first retry, and so on
 * @param maxAttempts how many attempts this job may have in all; 0 means the type's default
 */
public record Job(
    String id,
    String type,
    Map<String, String> params,
    Duration timeout,
    int attempt,
    int maxAttempts) {

  /**
   * The logging context (MDC) key that holds the id of the job a log line belongs to: the host sets
   * it around {@link JobRunner#run}, and a plugin that logs for a job from a thread of its own sets
   * it too, so that {@code jobs.log} and the JSON log name the job.
   */
  public static final String MDC_KEY = "job";

  /** Validates and copies. */
  public Job {
    requireText(id, "id");
    requireText(type, "type");
    params = params == null ? Map.of() : Map.copyOf(params);
    if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
      throw new IllegalArgumentException(
          "job " + id + ": timeout must be positive (was " + timeout + ")");
    }
    if (attempt < 1) {
      throw new IllegalArgumentException(
          "job " + id + ": attempt must be at least 1 (was " + attempt + ")");
    }
    if (maxAttempts < 0) {
      throw new IllegalArgumentException(
          "job " + id + ": maxAttempts must be 0 (type default) or more (was " + maxAttempts + ")");
    }
  }

  /** A first attempt with the type's default retry policy. */
  public Job(String id, String type, Map<String, String> params, Duration timeout) {
    this(id, type, params, timeout, 1, 0);
  }

  /** A first attempt with the type's default timeout and retry policy. */
  public Job(String id, String type, Map<String, String> params) {
    this(id, type, params, null, 1, 0);
  }

  /** This job's next attempt: the same job with {@link #attempt()} one higher. */
  public Job nextAttempt() {
    return new Job(id, type, params, timeout, attempt + 1, maxAttempts);
  }

  /** A parameter, or {@code fallback} when absent. */
  public String param(String name, String fallback) {
    return params.getOrDefault(name, fallback);
  }

  private static void requireText(String value, String what) {
    Objects.requireNonNull(value, () -> "job " + what + " must not be null");
    if (value.isBlank()) {
      throw new IllegalArgumentException("job " + what + " must not be blank");
    }
  }
}
