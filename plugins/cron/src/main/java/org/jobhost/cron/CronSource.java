package org.jobhost.cron;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.jobhost.api.Job;
import org.jobhost.api.JobSource;
import org.jobhost.api.Outcome;
import org.jobhost.api.PluginContext;
import org.jobhost.api.PluginSettings;
import org.jobhost.cron.worklog.SharedStores;
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
 * process are seen within the longer of the host's {@code idle_time} and {@link
 * Scheduler#CHANGE_CHECK_INTERVAL}, since the CLI process cannot wake the daemon: a poll checks
 * SQLite's {@code data_version} (no table read) at most once per that interval, and polls between
 * answer from the plan in memory. The worklog listener shares this source's connection ({@link
 * SharedStores}) so its writes do not count as changes.
 */
public final class CronSource implements JobSource {

  private static final Logger log = LoggerFactory.getLogger(CronSource.class);

  private PluginContext context;
  private CronSettings settings;
  private Store store;
  private volatile Scheduler scheduler;

  /** Created by the host; nothing happens before {@link #init}. */
  public CronSource() {}

  /**
   * Reads the section and starts the scheduler. A task that is invalid is reported (an ERROR line
   * naming the task, the key, its file and line, the bad value and the fix) and skipped, and the
   * other tasks run; under {@link PluginContext#strict()} it is an error instead, and cron does not
   * start. A problem outside the tasks (a bad {@code keep_runs}, say) is always an error. Under
   * {@link PluginContext#checkOnly()} it reads the section and opens the database, and starts
   * nothing.
   */
  @Override
  public void init(PluginContext context) {
    this.context = context;
    if (context.strict()) {
      this.settings = CronSettings.parse(context.settings(), context);
    } else {
      CronSettings.Partial partial =
          CronSettings.parseSkippingBadTasks(context.settings(), context);
      for (CronSettings.SkippedTask t : partial.skipped()) {
        log.error("{}", skippedLine(t));
      }
      this.settings = partial.settings();
    }
    SharedStores.Handle shared = SharedStores.acquire(settings.database(), context.clock());
    this.store = shared;
    if (context.checkOnly()) {
      // checked, not run: no task sync, no recovery of the open runs of a daemon beside this check
      return;
    }
    // Across hosts, due times follow the database's clock, so hosts whose clocks drift agree.
    Clock clock =
        shared.underlying() instanceof PostgresStore
            ? new DatabaseClock(context.clock(), (PostgresStore) shared.underlying())
            : context.clock();
    this.scheduler = new Scheduler(store, clock, settings, () -> context.host().wake());
    scheduler.start();
  }

  /** The operator's line about a task left out at start: which, why, where, and what to do. */
  static String skippedLine(CronSettings.SkippedTask t) {
    return "plugin=cron task="
        + t.name()
        + " is invalid and does not run: "
        + t.problem().getMessage()
        + "; the other tasks run; fix it and run jobhost reload (with strict = true jobhost"
        + " refuses to start instead)";
  }

  /**
   * Accepts a new section only when all of it, every task included, is valid: one bad task rejects
   * the reload, and cron keeps the tasks it has.
   */
  @Override
  public void validateSettings(PluginSettings newSettings) {
    CronSettings.parse(newSettings, context);
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

  /** Releases the database (closed when no other plugin of this host holds it). */
  @Override
  public void close() {
    if (store != null) {
      store.close();
    }
  }

  @Override
  public List<Job> poll(int max) {
    return scheduler.poll(max);
  }

  @Override
  public Optional<Instant> nextDue() {
    return scheduler.nextDue();
  }

  /**
   * The runs waiting: requested runs (manual, retries, queued behind a running one, reruns of
   * interrupted runs) and {@code @reboot} fires, as of the last poll; a schedule's coming fires are
   * not counted. Empty under {@code jobhost check}, where no scheduler runs.
   */
  @Override
  public OptionalLong depth() {
    Scheduler s = scheduler;
    return s == null ? OptionalLong.empty() : OptionalLong.of(s.waiting());
  }

  @Override
  public void completed(Job job, Outcome outcome) {
    scheduler.completed(job, outcome);
  }

  @Override
  public boolean retry(Job job, Outcome outcome, Instant notBefore) {
    return scheduler.retry(job, outcome, notBefore);
  }
}
