package org.jobhost.api;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Where jobs come from: a task table, a spool directory, a queue.
 *
 * <p>The dispatcher thread calls {@link #poll} whenever a worker slot is free and the host is
 * running; the calls of one source never overlap. {@link #completed} and {@link #retry} are called
 * from the worker thread that ran the job, so they may overlap with each other and with {@link
 * #poll}: a source must be thread-safe.
 *
 * <p>Every job returned by {@code poll} is answered exactly once: either {@link #completed} with
 * its final outcome (also {@link Outcome.Kind#CANCELLED} when the host stops before or while it
 * runs), or {@link #retry} returning {@code true}. A source that persists claims can therefore
 * release or record every job it handed out, and nothing is lost silently.
 */
public interface JobSource extends Managed {

  /**
   * Returns up to {@code max} jobs that are ready to run now, or an empty list. Must not block
   * waiting for work: the host sleeps its idle time when every source is empty, and a source that
   * learns of new work calls {@link Host#wake()} to end that sleep at once. Should return within a
   * few milliseconds; it is on the dispatch path.
   *
   * @param max at least 1
   * @throws Exception logged with the plugin id; the source is asked again on the next cycle
   */
  List<Job> poll(int max) throws Exception;

  /**
   * When this source will next have work, if it knows (a schedule's next due time). The dispatcher
   * calls it on its own thread after a {@link #poll} and ends its idle sleep no later than the
   * earliest answer, so a due job starts on time without the source polling or keeping a timer
   * thread. The default knows nothing; such a source is polled every idle time, or calls {@link
   * Host#wake()}.
   */
  default Optional<Instant> nextDue() {
    return Optional.empty();
  }

  /**
   * Told once per polled job, with its final outcome. May block briefly (a database write).
   *
   * @throws Exception logged with the plugin id and the job id
   */
  default void completed(Job job, Outcome outcome) throws Exception {}

  /**
   * Offered a failed or timed-out job that has attempts left under its retry policy. A source that
   * supports retries keeps the job and returns it from {@link #poll} again, as {@link
   * Job#nextAttempt()}, no earlier than {@code notBefore}, and returns {@code true}; {@link
   * #completed} is then not called for this attempt. The default returns {@code false}: the host
   * then reports the outcome through {@link #completed}.
   *
   * @param job the attempt that failed
   * @param outcome its outcome (FAILED or TIMED_OUT)
   * @param notBefore the earliest time of the next attempt (backoff with jitter, computed by the
   *     host)
   */
  default boolean retry(Job job, Outcome outcome, Instant notBefore) throws Exception {
    return false;
  }

  /**
   * How many jobs wait in this source now, due or not, not counting those handed out: the queue
   * depth a dashboard shows and a metric exports ({@code jobhost_source_depth}). Called on a
   * metrics endpoint's thread, concurrently with everything else, every few seconds: it must be
   * thread-safe and cheap (a count the source keeps, or one indexed query).
   *
   * @return empty when the source cannot tell (the default)
   * @throws Exception logged with the plugin id; that read leaves the source out
   */
  default OptionalLong depth() throws Exception {
    return OptionalLong.empty();
  }
}
