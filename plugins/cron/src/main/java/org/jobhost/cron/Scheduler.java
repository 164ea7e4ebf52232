package org.jobhost.cron;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jobhost.api.Job;
import org.jobhost.api.Outcome;
import org.jobhost.cron.worklog.RunEnds;
import org.jobhost.cron.worklog.WorklogPruner;
import org.jobhost.store.Run;
import org.jobhost.store.RunEnd;
import org.jobhost.store.RunRequest;
import org.jobhost.store.Store;
import org.jobhost.store.Task;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the task table into jobs: keeps the plan (each task's next fire) in memory and in the
 * store, fires due tasks under their misfire and overlap policies, and records every run in the
 * worklog before its job leaves {@link #poll}.
 *
 * <p>Thread-safe: every method holds this object's lock; {@link #poll} and {@link #nextDue} come
 * from the dispatcher thread, {@link #completed} and {@link #retry} from worker threads. The wake
 * callback is called after the lock is released.
 *
 * <p>The database is read only when another process changed it ({@link Store#changeCount()}), and
 * whether it changed is asked at most once per {@link TaskCache#CHANGE_CHECK_INTERVAL}: the plan is
 * in memory, so a poll with nothing due costs no database call at all, however often free slots
 * ask. A change made by another process ({@code jobhost tasks add}, {@code tasks run}) is therefore
 * seen within that interval. Fires held in the plan are persisted before a job is handed out, so a
 * crash loses nothing: a run left open is closed as interrupted at the next start, and the plan
 * resumes at the first fire not yet handed out.
 */
final class Scheduler {

  private static final Logger log = LoggerFactory.getLogger(Scheduler.class);

  private final Store store;
  private final Clock clock;
  private final String host;
  private final Runnable wake;
  private CronSettings settings;

  private final TaskCache cache;
  private final Map<String, Task> tasks;
  private final Map<String, Schedule> schedules;
  private final Map<String, Instant> plan;
  private final List<RunRequest> requests;
  private final InFlightRuns inFlight = new InFlightRuns();
  private final FireStarter starter;
  private final WorklogPruner pruner;
  private final Set<String> rebootPending = new TreeSet<>();
  private final Instant startedAt;

  /** The runs waiting, as {@link #waiting()} answers; written under the lock, read lock-free. */
  private volatile int waiting;

  Scheduler(Store store, Clock clock, CronSettings settings, Runnable wake) {
    this.store = store;
    this.clock = clock;
    this.settings = settings;
    this.host = settings.hostName();
    this.wake = wake;
    this.startedAt = clock.instant();
    this.pruner = new WorklogPruner(store);
    this.cache = new TaskCache(store, clock);
    this.tasks = cache.tasks();
    this.schedules = cache.schedules();
    this.plan = cache.plan();
    this.requests = cache.requests();
    this.starter = new FireStarter(store, host, cache, inFlight);
  }

  /**
   * Starts: syncs the configured tasks into the table, closes runs this host left open as
   * interrupted (queueing a rerun for tasks that ask for one), plans every task, and marks the
   * {@code @reboot} tasks to fire once.
   */
  synchronized void start() {
    Instant now = clock.instant();
    Store.Sync sync = store.transaction(tx -> tx.syncConfigTasks(settings.tasks(), now));
    List<Run> interrupted = StartupRecovery.closeInterrupted(store, host, now);
    cache.reload(now);
    for (Task t : tasks.values()) {
      if (t.effectiveEnabled() && schedules.get(t.name()).reboot()) {
        rebootPending.add(t.name());
      }
    }
    log.info(
        "plugin=cron database={} tasks={} (config: {} added, {} changed, {} removed)"
            + " interrupted runs closed={}",
        store.location(),
        tasks.size(),
        sync.added(),
        sync.changed(),
        sync.removed(),
        interrupted.size());
    countWaiting();
  }

  /** Applies new settings: syncs the configured tasks and re-reads the table. */
  synchronized void settingsChanged(CronSettings newSettings) {
    Instant now = clock.instant();
    this.settings = newSettings;
    Store.Sync sync = store.transaction(tx -> tx.syncConfigTasks(newSettings.tasks(), now));
    cache.reload(now);
    log.info(
        "plugin=cron tasks synced from the configuration: {} added, {} changed, {} removed",
        sync.added(),
        sync.changed(),
        sync.removed());
    countWaiting();
  }

  /** Returns up to {@code max} due jobs, each recorded as started in the worklog. */
  synchronized List<Job> poll(int max) {
    Instant now = clock.instant();
    cache.refreshIfChanged(now);
    pruner.maybePrune(settings.keepRuns(), settings.keepFor(), now);
    List<Job> out = new ArrayList<>();
    for (Iterator<String> it = rebootPending.iterator(); it.hasNext() && out.size() < max; ) {
      String name = it.next();
      it.remove();
      Task t = tasks.get(name);
      if (t != null && t.effectiveEnabled()) {
        starter.fire(Firing.atReboot(t, startedAt), now, out);
      }
    }
    for (Iterator<RunRequest> it = requests.iterator(); it.hasNext() && out.size() < max; ) {
      RunRequest r = it.next();
      if (r.notBefore().isAfter(now)) {
        continue;
      }
      if (r.reason() == RunRequest.Reason.QUEUED && running(r.task()) > 0) {
        continue;
      }
      it.remove();
      starter.startRequested(r, now, out);
    }
    List<Task> due = new ArrayList<>();
    for (Task t : tasks.values()) {
      Instant next = plan.get(t.name());
      if (t.effectiveEnabled() && next != null && !Misfires.due(t, next).isAfter(now)) {
        due.add(t);
      }
    }
    due.sort(Comparator.comparing((Task t) -> Misfires.due(t, plan.get(t.name()))));
    for (Task t : due) {
      if (out.size() >= max) {
        break;
      }
      fireDue(t, now, max, out);
    }
    countWaiting();
    return out;
  }

  /**
   * The runs waiting to be handed out, as of the last poll: run requests (manual runs, retries,
   * fires queued behind a running one, reruns of interrupted runs), due or not, and {@code @reboot}
   * fires. A schedule's coming fires are not runs yet and are not counted. Any thread; lock-free,
   * so a metrics read never waits for a poll's database write.
   */
  int waiting() {
    return waiting;
  }

  private void countWaiting() {
    waiting = requests.size() + rebootPending.size();
  }

  /** How many times a poll asked the database whether it changed (for tests and benchmarks). */
  synchronized long changeChecks() {
    return cache.changeChecks();
  }

  /** The earliest time something becomes due, as far as this scheduler knows. */
  synchronized Optional<Instant> nextDue() {
    Instant best = null;
    if (!rebootPending.isEmpty()) {
      best = clock.instant();
    }
    for (RunRequest r : requests) {
      if (r.reason() == RunRequest.Reason.QUEUED && running(r.task()) > 0) {
        continue;
      }
      best = min(best, r.notBefore());
    }
    for (Map.Entry<String, Instant> p : plan.entrySet()) {
      Task t = tasks.get(p.getKey());
      if (t != null && t.effectiveEnabled()) {
        best = min(best, Misfires.due(t, p.getValue()));
      }
    }
    return Optional.ofNullable(best);
  }

  private static Instant min(Instant a, Instant b) {
    return a == null || b.isBefore(a) ? b : a;
  }

  private void fireDue(Task t, Instant now, int max, List<Job> out) {
    Schedule s = schedules.get(t.name());
    Instant first = plan.get(t.name());
    if (!Misfires.missed(t, first, now, settings.misfireThreshold())) {
      starter.fire(Firing.planned(t, first, s.next(first).orElse(null)), now, out);
      return;
    }
    Misfires.Catchup c = Misfires.catchUp(t, s, first, now);
    switch (t.misfire()) {
      case SKIP:
        if (Misfires.missed(t, c.last(), now, settings.misfireThreshold())) {
          log.info(
              "task={} missed {} fire(s) from {} (misfire policy skip); next fire {}",
              t.name(),
              c.missed(),
              first,
              c.following());
          setPlan(t, c.following(), now);
        } else {
          starter.fire(Firing.planned(t, c.last(), c.following()), now, out);
        }
        return;
      case FIRE_ALL:
        log.info(
            "task={} missed {} fire(s) from {} (misfire policy fire_all, cap {}): running {}",
            t.name(),
            c.missed(),
            first,
            t.misfireCap(),
            c.latest().size());
        List<Instant> replay = c.latest();
        for (int i = 0; i < replay.size(); i++) {
          if (out.size() >= max) {
            setPlan(t, replay.get(i), now);
            return;
          }
          Instant after = i + 1 < replay.size() ? replay.get(i + 1) : c.following();
          starter.fire(Firing.replayed(t, replay.get(i), after), now, out);
        }
        return;
      default:
        log.info(
            "task={} missed {} fire(s) from {} (misfire policy fire_once): running it once now",
            t.name(),
            c.missed(),
            first);
        starter.fire(Firing.planned(t, c.last(), c.following()), now, out);
    }
  }

  private void setPlan(Task t, Instant next, Instant now) {
    if (next == null) {
      store.update(tx -> tx.clearPlan(t.name()));
      plan.remove(t.name());
      log.info("task={} schedule \"{}\" has no further fire time", t.name(), t.schedule());
    } else {
      store.update(tx -> tx.setPlan(t.name(), next, now));
      plan.put(t.name(), next);
    }
  }

  private int running(String task) {
    return inFlight.running(task);
  }

  /** Records a job's final outcome. */
  void completed(Job job, Outcome outcome) {
    boolean wakeUp;
    synchronized (this) {
      RunEnd end = RunEnds.of(outcome, clock.instant(), "");
      InFlightRuns.InFlight f = inFlight.remove(job);
      if (f == null) {
        log.warn(
            "job={} attempt={} completed but was not handed out by this source",
            job.id(),
            job.attempt());
        store.transaction(tx -> tx.runEnded(Store.SOURCE_CRON, job.id(), job.attempt(), host, end));
        return;
      }
      store.transaction(tx -> tx.runEnded(f.runId(), end));
      release(f.task());
      wakeUp = hasQueued(f.task());
    }
    if (wakeUp) {
      wake.run();
    }
  }

  /** Keeps a failed attempt for another one at {@code notBefore}; persisted as a request. */
  boolean retry(Job job, Outcome outcome, Instant notBefore) {
    boolean wakeUp;
    synchronized (this) {
      InFlightRuns.InFlight f = inFlight.remove(job);
      if (f == null) {
        return false;
      }
      Instant now = clock.instant();
      RunEnd end =
          RunEnds.of(outcome, now, "; attempt " + (job.attempt() + 1) + " at " + notBefore);
      RunRequest r =
          new RunRequest(
              0,
              f.task(),
              RunRequest.Reason.RETRY,
              notBefore,
              job.attempt() + 1,
              f.fireTime(),
              job.id(),
              now);
      long id =
          store.transaction(
              tx -> {
                tx.runEnded(f.runId(), end);
                return tx.addRequest(r);
              });
      requests.add(r.withId(id));
      countWaiting();
      release(f.task());
      wakeUp = hasQueued(f.task());
    }
    if (wakeUp) {
      wake.run();
    }
    return true;
  }

  private void release(String task) {
    inFlight.release(task);
  }

  private boolean hasQueued(String task) {
    for (RunRequest r : requests) {
      if (r.task().equals(task) && r.reason() == RunRequest.Reason.QUEUED) {
        return true;
      }
    }
    return false;
  }

  /** Task names with a job out now (for tests and diagnostics). */
  synchronized Set<String> runningTasks() {
    return inFlight.tasks();
  }
}
