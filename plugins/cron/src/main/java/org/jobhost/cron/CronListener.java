package org.jobhost.cron;

import java.time.Clock;
import org.jobhost.api.HostListener;
import org.jobhost.api.Job;
import org.jobhost.api.Outcome;
import org.jobhost.api.PluginContext;
import org.jobhost.store.RunStart;
import org.jobhost.store.Store;

/**
 * Records in the worklog every job the host runs that the cron source did not hand out (a spool
 * file, a queue message), so that {@code jobhost history} shows all work of the host. A cron job is
 * recorded by the cron source before it leaves {@code poll}; this listener sees that run open and
 * does not record it twice.
 *
 * <p>Thread-safe: called on worker threads, overlapping; each call is one short transaction on the
 * connection it shares with the cron source ({@link SharedStores}), so the source does not take the
 * listener's writes for changes to the task table.
 */
public final class CronListener implements HostListener {

  private Store store;
  private Clock clock;
  private String host;

  /** Created by the host; nothing happens before {@link #init}. */
  public CronListener() {}

  @Override
  public void init(PluginContext context) {
    this.clock = context.clock();
    this.host = CronSettings.hostName(context.settings());
    this.store =
        SharedStores.acquire(CronSettings.database(context.settings(), context), context.clock());
  }

  @Override
  public void jobStarted(Job job) {
    RunStart start =
        new RunStart(
            Store.SOURCE_HOST,
            null,
            job.id(),
            job.type(),
            job.attempt(),
            null,
            clock.instant(),
            host);
    store.transaction(tx -> tx.runStartedUnlessOpen(start));
  }

  @Override
  public void jobEnded(Job job, Outcome outcome) {
    store.transaction(
        tx ->
            tx.runEnded(
                Store.SOURCE_HOST,
                job.id(),
                job.attempt(),
                host,
                Scheduler.end(outcome, clock.instant(), "")));
  }

  @Override
  public void close() {
    if (store != null) {
      store.close();
    }
  }
}
