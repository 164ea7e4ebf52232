package org.jobhost.host.dispatch;

import java.time.Instant;
import java.util.Optional;
import java.util.function.DoubleSupplier;
import org.jobhost.api.Job;
import org.jobhost.api.Outcome;
import org.jobhost.host.config.TypeConfig;

/** Whether an attempt that did not succeed is tried again, and from when. Stateless. */
final class RetryDecision {

  private RetryDecision() {}

  /**
   * When the next attempt of {@code job} may start after {@code outcome}, or empty when there is
   * none: only a FAILED or TIMED_OUT attempt is retried, never while the host stops, never when no
   * runner can run its type, and only while attempts are left (the job's own maximum if it has one,
   * else its type's). The wait is the type's backoff with jitter from {@code random}, which is
   * asked only when a retry is due.
   *
   * @param stopping whether the host is stopping
   * @param runnable whether a runner in this host (or a worker JVM) can run the job's type
   * @param type the settings of the job's type
   */
  static Optional<Instant> notBefore(
      Job job,
      Outcome outcome,
      boolean stopping,
      boolean runnable,
      TypeConfig type,
      Instant now,
      DoubleSupplier random) {
    Outcome.Kind kind = outcome.kind();
    if ((kind != Outcome.Kind.FAILED && kind != Outcome.Kind.TIMED_OUT) || stopping || !runnable) {
      return Optional.empty();
    }
    int max = job.maxAttempts() > 0 ? job.maxAttempts() : type.retry().maxAttempts();
    if (job.attempt() >= max) {
      return Optional.empty();
    }
    return Optional.of(now.plus(type.retry().delayBefore(job.attempt() + 1, random.getAsDouble())));
  }
}
