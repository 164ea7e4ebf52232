package org.jobhost.cron;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jobhost.api.Job;
import org.jobhost.api.JobSource;
import org.jobhost.api.Outcome;
import org.jobhost.api.PluginContext;
import org.jobhost.api.PluginSettings;
import org.jobhost.store.PostgresStore;
import org.jobhost.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jobs from the task table: every task fires on its cron schedule, in its time zone, under its
 * overlap, misfire and retry policies. Tasks come from {@code [[plugins.cron.tasks]]} (synced into
 * the table at start and on reload) and from {@code jobhost tasks add}.
 *
 * <p>Thread-safe, as {@link JobSource} requires: the work is done by one internal scheduler that
 * serialises calls. {@link #nextDue()} answers the earliest due fire, so the dispatcher wakes in
 * time without this source keeping a timer thread. Changes made by {@code jobhost tasks} in another
 * process are seen on the next poll: at the latest after the host's {@code idle_time} (1 s by
 * default), since the CLI process cannot wake the daemon. The poll checks SQLite's {@code
 * data_version}, which costs no table read; the worklog listener shares this source's connection
 * ({@link SharedStores}) so its writes do not count as changes.
 */
public final class CronSource implements JobSource {

  private static final Logger log = LoggerFactory.getLogger(CronSource.class);

  private PluginContext context;
  private CronSettings settings;
  private Store store;
  private Scheduler scheduler;

  /** Created by the host; nothing happens before {@link #init}. */
  public CronSource() {}

  @Override
  public void init(PluginContext context) {
    this.context = context;
    this.settings = CronSettings.parse(context.settings(), context);
    SharedStores.Handle shared = SharedStores.acquire(settings.database(), context.clock());
    this.store = shared;
    // Across hosts, due times follow the database's clock, so hosts whose clocks drift agree.
    Clock clock =
        shared.underlying() instanceof PostgresStore
            ? new DatabaseClock(context.clock(), (PostgresStore) shared.underlying())
            : context.clock();
    this.scheduler = new Scheduler(store, clock, settings, () -> context.host().wake());
    scheduler.start();
  }

  @Override
  public void settingsChanged(PluginSettings newSettings) {
    CronSettings next = CronSettings.parse(newSettings, context);
    if (!next.database().equals(settings.database())) {
      log.warn(
          "plugin=cron database changed from {} to {}; the new file is used after a restart",
          settings.database(),
          next.database());
    }
    settings = next;
    scheduler.settingsChanged(next);
  }

  @Override
  public List<Job> poll(int max) {
    return scheduler.poll(max);
  }

  @Override
  public Optional<Instant> nextDue() {
    return scheduler.nextDue();
  }

  @Override
  public void completed(Job job, Outcome outcome) {
    scheduler.completed(job, outcome);
  }

  @Override
  public boolean retry(Job job, Outcome outcome, Instant notBefore) {
    return scheduler.retry(job, outcome, notBefore);
  }

  @Override
  public void close() {
    if (store != null) {
      store.close();
    }
  }
}
