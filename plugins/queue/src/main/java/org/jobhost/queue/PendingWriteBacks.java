package org.jobhost.queue;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;
import org.jobhost.api.Job;
import org.jobhost.api.Outcome;
import org.jobhost.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outcomes of this host's jobs on their way to the database: written at once, and when the
 * database fails kept in order and tried again before every heartbeat (the job stays claimed
 * meanwhile, so nobody else runs it while this host lives). A write the database no longer applies
 * (another host took the job back) is logged and dropped. Thread-safe: workers write, the heartbeat
 * flushes.
 */
final class PendingWriteBacks {

  private static final Logger log = LoggerFactory.getLogger(PendingWriteBacks.class);

  private final String host;
  private final Queue<WriteBack> pending = new ConcurrentLinkedQueue<>();

  PendingWriteBacks(String host) {
    this.host = host;
  }

  /**
   * Writes an outcome back. When the database fails, the write is kept and tried again before every
   * heartbeat (the job stays claimed meanwhile, so nobody else runs it while this host lives).
   *
   * @return whether the write was applied now
   */
  boolean writeBack(Job job, Outcome outcome, BooleanSupplier write) {
    try {
      if (!write.getAsBoolean()) {
        lostClaim(job, outcome);
        return false;
      }
      return true;
    } catch (StoreException e) {
      log.warn(
          "job={} attempt={} host={} outcome {} cannot be written: {}; retrying before each"
              + " heartbeat",
          job.id(),
          job.attempt(),
          host,
          outcome.kind(),
          e.getMessage());
      pending.add(new WriteBack(job, outcome, write));
      return false;
    }
  }

  /** Retries outcomes the database refused earlier, oldest first; stops at the first failure. */
  void flush() {
    for (WriteBack w = pending.peek(); w != null; w = pending.peek()) {
      if (!w.write().getAsBoolean()) {
        lostClaim(w.job(), w.outcome());
      } else {
        log.info(
            "job={} attempt={} host={} outcome {} written after a database failure",
            w.job().id(),
            w.job().attempt(),
            host,
            w.outcome().kind());
      }
      pending.poll();
    }
  }

  /** How many outcomes wait. */
  int size() {
    return pending.size();
  }

  /** An outcome waiting to be written. */
  private record WriteBack(Job job, Outcome outcome, BooleanSupplier write) {}

  void lostClaim(Job job, Outcome outcome) {
    log.warn(
        "job={} attempt={} host={} ended ({}) after another host had taken it back (this host"
            + " was considered dead); the outcome is ignored",
        job.id(),
        job.attempt(),
        host,
        outcome.kind());
  }
}
