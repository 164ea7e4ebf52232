package org.jobhost.host.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The pool of worker JVMs that run jobs of types with {@code isolation = "process"} ({@code
 * [workers]}). Immutable.
 *
 * @param maxJobs a worker is recycled after about this many jobs (with jitter)
 * @param maxMemory a worker is recycled when its resident memory passes this many bytes
 * @param javaOpts extra JVM options for workers (heap and the like)
 * @param startTimeout how long a worker may take to become ready
 */
public record WorkerConfig(
    int maxJobs, long maxMemory, List<String> javaOpts, Duration startTimeout) {

  /** Validates and copies. */
  public WorkerConfig {
    javaOpts = List.copyOf(javaOpts);
    Objects.requireNonNull(startTimeout, "startTimeout");
  }
}
