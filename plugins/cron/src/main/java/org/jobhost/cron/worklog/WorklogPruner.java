package org.jobhost.cron.worklog;

import java.time.Duration;
import java.time.Instant;
import org.jobhost.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prunes the worklog at most once per {@link #PRUNE_INTERVAL}, keeping {@code keep_runs} per task
 * and nothing that ended longer than {@code keep_for} ago. Not thread-safe: the cron scheduler
 * calls it under its lock.
 */
public final class WorklogPruner {

  private static final Logger log = LoggerFactory.getLogger(WorklogPruner.class);

  /** How often the worklog is pruned, at most. */
  public static final Duration PRUNE_INTERVAL = Duration.ofMinutes(1);

  private final Store store;
  private Instant lastPrune = Instant.MIN;

  /** Prunes {@code store}. */
  public WorklogPruner(Store store) {
    this.store = store;
  }

  /**
   * Keeps {@code keepRuns} per task and nothing that ended before {@code keepFor} ago (zero: no age
   * limit), unless the last prune is less than the interval ago.
   */
  public void maybePrune(int keepRuns, Duration keepFor, Instant now) {
    if (lastPrune.plus(PRUNE_INTERVAL).isAfter(now)) {
      return;
    }
    lastPrune = now;
    Instant before = keepFor.isZero() ? Instant.EPOCH : now.minus(keepFor);
    int n = store.transaction(tx -> tx.prune(keepRuns, before));
    if (n > 0) {
      log.debug("plugin=cron pruned {} runs from the worklog", n);
    }
  }
}
