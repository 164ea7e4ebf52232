package org.jobhost.cron;

import java.time.Duration;
import java.time.Instant;
import org.jobhost.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prunes the worklog at most once per {@link #PRUNE_INTERVAL}, keeping {@code keep_runs} per task
 * and nothing that ended longer than {@code keep_for} ago. Not thread-safe: the {@link Scheduler}
 * calls it under its lock.
 */
final class WorklogPruner {

  private static final Logger log = LoggerFactory.getLogger(WorklogPruner.class);

  /** How often the worklog is pruned, at most. */
  static final Duration PRUNE_INTERVAL = Duration.ofMinutes(1);

  private final Store store;
  private Instant lastPrune = Instant.MIN;

  WorklogPruner(Store store) {
    this.store = store;
  }

  /** Prunes under {@code settings} unless the last prune is less than the interval ago. */
  void maybePrune(CronSettings settings, Instant now) {
    if (lastPrune.plus(PRUNE_INTERVAL).isAfter(now)) {
      return;
    }
    lastPrune = now;
    Instant before = settings.keepFor().isZero() ? Instant.EPOCH : now.minus(settings.keepFor());
    int n = store.transaction(tx -> tx.prune(settings.keepRuns(), before));
    if (n > 0) {
      log.debug("plugin=cron pruned {} runs from the worklog", n);
    }
  }
}
