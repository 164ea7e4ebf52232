package org.jobhost.cron;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jobhost.api.Job;
import org.jobhost.api.Outcome;
import org.jobhost.store.Run;
import org.jobhost.store.RunEnd;
import org.jobhost.store.RunOutcome;
import org.jobhost.store.RunRequest;
import org.jobhost.store.RunStart;
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
 * whether it changed is asked at most once per {@link #CHANGE_CHECK_INTERVAL}: the plan is in
 * memory, so a poll with nothing due costs no database call at all, however often free slots ask. A
 * change made by another process ({@code jobhost tasks add}, {@code tasks run}) is therefore seen
 * within that interval. Fires held in the plan are persisted before a job is handed out, so a crash
 * loses nothing: a run left open is closed as interrupted at the next start, and the plan resumes
 * at the first fire not yet handed out.
 */
final class Scheduler {

  private static final Logger log = LoggerFactory.getLogger(Scheduler.class);

  /** How often the worklog is pruned, at most. */
  static final Duration PRUNE_INTERVAL = Duration.ofMinutes(1);

  /**
   * How often, at most, a poll asks the database whether another process changed it. The host's
   * default idle time: an idle host saw such changes no sooner before.
   */
  static final Duration CHANGE_CHECK_INTERVAL = Duration.ofSeconds(1);

  /** Missed fires counted one by one before the count gives up (a per-second task, 3 hours). */
  private static final int MAX_MISSED_STEPS = 100_000;

  private final Store store;
  private final Clock clock;
  private final String host;
  private final Runnable wake;
  private CronSettings settings;

  private final Map<String, Task> tasks = new HashMap<>();
  private final Map<String, Schedule> schedules = new HashMap<>();
  private final Map<String, Instant> plan = new HashMap<>();
  private final List<RunRequest> requests = new ArrayList<>();
  private final Map<String, Integer> running = new HashMap<>();
  private final Map<String, InFlight> inFlight = new HashMap<>();
  private final Set<String> rebootPending = new TreeSet<>();
  private final Instant startedAt;
  private long changeCount = Long.MIN_VALUE;
  private Instant nextChangeCheck = Instant.MIN;
  private long localWritesSeen = TaskActions.localWrites();
  private long changeChecks;
  private Instant lastPrune = Instant.MIN;

  /** A job handed out and not yet answered. */
  private record InFlight(long runId, String task, Instant fireTime) {}

  Scheduler(Store store, Clock clock, CronSettings settings, Runnable wake) {
    this.store = store;
    this.clock = clock;
    this.settings = settings;
    this.host = settings.hostName();
    this.wake = wake;
    this.startedAt = clock.instant();
  }

  /**
   * Starts: syncs the configured tasks into the table, closes runs this host left open as
   * interrupted (queueing a rerun for tasks that ask for one), plans every task, and marks the
   * {@code @reboot} tasks to fire once.
   */
  synchronized void start() {
    Instant now = clock.instant();
    Store.Sync sync = store.transaction(tx -> tx.syncConfigTasks(settings.tasks(), now));
    List<Run> interrupted =
        store.transaction(
            tx -> {
              List<Run> closed = tx.closeInterrupted(host, now);
              for (Run r : closed) {
                String name = r.start().task();
                if (!Store.SOURCE_CRON.equals(r.start().source()) || name == null) {
                  continue;
                }
                Optional<Task> t = tx.task(name);
                if (t.isPresent() && t.get().rerunInterrupted()) {
                  Instant fire = r.start().fireTime() != null ? r.start().fireTime() : now;
                  tx.addRequest(
                      new RunRequest(
                          0,
                          name,
                          RunRequest.Reason.INTERRUPTED,
                          now,
                          r.start().attempt(),
                          fire,
                          r.start().jobId(),
                          now));
                }
              }
              return closed;
            });
    for (Run r : interrupted) {
      log.warn(
          "job={} task={} host={} was still running when the host stopped; recorded as INTERRUPTED",
          r.start().jobId(),
          r.subject(),
          host);
    }
    reload(now);
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
  }

  /** Applies new settings: syncs the configured tasks and re-reads the table. */
  synchronized void settingsChanged(CronSettings newSettings) {
    Instant now = clock.instant();
    this.settings = newSettings;
    Store.Sync sync = store.transaction(tx -> tx.syncConfigTasks(newSettings.tasks(), now));
    reload(now);
    log.info(
        "plugin=cron tasks synced from the configuration: {} added, {} changed, {} removed",
        sync.added(),
        sync.changed(),
        sync.removed());
  }

  /** Re-reads tasks, plan and requests, and plans tasks that have no plan entry. */
  private void reload(Instant now) {
    changeCount = store.changeCount();
    nextChangeCheck = now.plus(CHANGE_CHECK_INTERVAL);
    record Snapshot(List<Task> tasks, Map<String, Instant> plan, List<RunRequest> requests) {}
    Snapshot snap = store.transaction(tx -> new Snapshot(tx.tasks(), tx.plan(), tx.requests()));
    tasks.clear();
    Map<String, Schedule> parsed = new HashMap<>();
    for (Task t : snap.tasks()) {
      try {
        Schedule old = schedules.get(t.name());
        ZoneId zone = zoneOf(t);
        parsed.put(
            t.name(),
            old != null && old.toString().equals(t.schedule().trim()) && old.zone().equals(zone)
                ? old
                : Schedule.parse(t.schedule(), zone));
        tasks.put(t.name(), t);
      } catch (RuntimeException e) {
        log.error(
            "task={} schedule \"{}\" cannot be used and the task does not run: {}; fix it with"
                + " jobhost tasks remove/add or in the configuration",
            t.name(),
            t.schedule(),
            e.getMessage());
      }
    }
    schedules.clear();
    schedules.putAll(parsed);
    plan.clear();
    plan.putAll(snap.plan());
    requests.clear();
    requests.addAll(snap.requests());
    Map<String, Instant> fresh = new HashMap<>();
    for (Task t : tasks.values()) {
      Schedule s = schedules.get(t.name());
      if (t.effectiveEnabled() && !s.reboot() && !plan.containsKey(t.name())) {
        s.next(now).ifPresent(next -> fresh.put(t.name(), next));
      }
    }
    if (!fresh.isEmpty()) {
      store.update(tx -> fresh.forEach((name, next) -> tx.setPlan(name, next, now)));
      plan.putAll(fresh);
    }
    log.debug(
        "plugin=cron reloaded {} tasks, {} planned, {} requests",
        tasks.size(),
        plan.size(),
        requests.size());
  }

  private ZoneId zoneOf(Task t) {
    return t.timezone() == null ? clock.getZone() : ZoneId.of(t.timezone());
  }

  /** Returns up to {@code max} due jobs, each recorded as started in the worklog. */
  synchronized List<Job> poll(int max) {
    Instant now = clock.instant();
    long localWrites = TaskActions.localWrites();
    if (!now.isBefore(nextChangeCheck) || localWrites != localWritesSeen) {
      localWritesSeen = localWrites;
      changeChecks++;
      nextChangeCheck = now.plus(CHANGE_CHECK_INTERVAL);
      if (store.changeCount() != changeCount) {
        reload(now);
      }
    }
    prune(now);
    List<Job> out = new ArrayList<>();
    for (Iterator<String> it = rebootPending.iterator(); it.hasNext() && out.size() < max; ) {
      String name = it.next();
      it.remove();
      Task t = tasks.get(name);
      if (t != null && t.effectiveEnabled()) {
        fire(t, startedAt, null, false, now, out);
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
      startRequested(r, now, out);
    }
    List<Task> due = new ArrayList<>();
    for (Task t : tasks.values()) {
      Instant next = plan.get(t.name());
      if (t.effectiveEnabled() && next != null && !due(t, next).isAfter(now)) {
        due.add(t);
      }
    }
    due.sort(Comparator.comparing((Task t) -> due(t, plan.get(t.name()))));
    for (Task t : due) {
      if (out.size() >= max) {
        break;
      }
      fireDue(t, now, max, out);
    }
    return out;
  }

  /** How many times a poll asked the database whether it changed (for tests and benchmarks). */
  synchronized long changeChecks() {
    return changeChecks;
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
        best = min(best, due(t, p.getValue()));
      }
    }
    return Optional.ofNullable(best);
  }

  private static Instant min(Instant a, Instant b) {
    return a == null || b.isBefore(a) ? b : a;
  }

  /** When a fire is due: its time plus the task's fixed jitter offset for that fire. */
  static Instant due(Task t, Instant fire) {
    long jitter = t.jitter().toMillis();
    if (jitter <= 0) {
      return fire;
    }
    long h = t.name().hashCode() * 0x9E3779B97F4A7C15L + fire.toEpochMilli();
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    return fire.plusMillis(Math.floorMod(h, jitter));
  }

  private void fireDue(Task t, Instant now, int max, List<Job> out) {
    Schedule s = schedules.get(t.name());
    Instant first = plan.get(t.name());
    Instant missedBefore = now.minus(settings.misfireThreshold());
    if (!due(t, first).isBefore(missedBefore)) {
      fire(t, first, s.next(first).orElse(null), true, now, out);
      return;
    }
    int keep = t.misfire() == Task.Misfire.FIRE_ALL ? t.misfireCap() : 1;
    Deque<Instant> latest = new ArrayDeque<>();
    long count = 0;
    Instant f = first;
    while (f != null && !f.isAfter(now)) {
      count++;
      latest.addLast(f);
      if (latest.size() > keep) {
        latest.removeFirst();
      }
      if (count >= MAX_MISSED_STEPS) {
        f = s.next(now).orElse(null);
        break;
      }
      f = s.next(f).orElse(null);
    }
    Instant following = f;
    Instant last = latest.getLast();
    switch (t.misfire()) {
      case SKIP:
        if (due(t, last).isBefore(missedBefore)) {
          log.info(
              "task={} missed {} fire(s) from {} (misfire policy skip); next fire {}",
              t.name(),
              count,
              first,
              following);
          setPlan(t, following, now);
        } else {
          fire(t, last, following, true, now, out);
        }
        return;
      case FIRE_ALL:
        log.info(
            "task={} missed {} fire(s) from {} (misfire policy fire_all, cap {}): running {}",
            t.name(),
            count,
            first,
            t.misfireCap(),
            latest.size());
        List<Instant> replay = new ArrayList<>(latest);
        for (int i = 0; i < replay.size(); i++) {
          if (out.size() >= max) {
            setPlan(t, replay.get(i), now);
            return;
          }
          Instant after = i + 1 < replay.size() ? replay.get(i + 1) : following;
          fire(t, replay.get(i), after, true, replayOverlap(t), now, out);
        }
        return;
      default:
        log.info(
            "task={} missed {} fire(s) from {} (misfire policy fire_once): running it once now",
            t.name(),
            count,
            first);
        fire(t, last, following, true, now, out);
    }
  }

  /**
   * Replayed fires of {@code fire_all} queue behind each other under overlap {@code skip}: the
   * operator asked for every missed fire, and skipping all but the first would defeat that. {@code
   * allow} still runs them side by side.
   */
  private static Task.Overlap replayOverlap(Task t) {
    return t.overlap() == Task.Overlap.SKIP ? Task.Overlap.QUEUE : t.overlap();
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

  /**
   * Fires {@code t} for {@code fireTime} under its overlap policy, advancing the plan to {@code
   * next} in the same transaction when {@code planned}.
   */
  private void fire(
      Task t, Instant fireTime, Instant next, boolean planned, Instant now, List<Job> out) {
    fire(t, fireTime, next, planned, t.overlap(), now, out);
  }

  private void fire(
      Task t,
      Instant fireTime,
      Instant next,
      boolean planned,
      Task.Overlap overlap,
      Instant now,
      List<Job> out) {
    boolean busy = running(t.name()) > 0;
    if (busy && overlap == Task.Overlap.SKIP) {
      RunStart s = start(t, jobId(t, fireTime), 1, fireTime, now);
      store.update(
          tx -> {
            long id = tx.runStarted(s);
            tx.runEnded(
                id,
                new RunEnd(
                    now,
                    RunOutcome.SKIPPED,
                    null,
                    "the previous run still went (overlap skip)",
                    ""));
            advance(tx, t, next, planned, now);
          });
      log.info(
          "task={} fire {} skipped: the previous run still goes (overlap skip)",
          t.name(),
          fireTime);
    } else if (busy && overlap == Task.Overlap.QUEUE) {
      RunRequest r =
          new RunRequest(0, t.name(), RunRequest.Reason.QUEUED, fireTime, 1, fireTime, null, now);
      long id =
          store.transaction(
              tx -> {
                long rid = tx.addRequest(r);
                advance(tx, t, next, planned, now);
                return rid;
              });
      requests.add(new RunRequest(id, r.task(), r.reason(), r.notBefore(), 1, fireTime, null, now));
      log.info("task={} fire {} queued behind the running one (overlap queue)", t.name(), fireTime);
    } else {
      Job job = job(t, jobId(t, fireTime), 1);
      RunStart s = start(t, job.id(), 1, fireTime, now);
      Optional<Long> runId =
          store.transaction(
              tx -> {
                Optional<Long> id =
                    tx.claimFire(t.name(), fireTime, host, now)
                        ? Optional.of(tx.runStarted(s))
                        : Optional.empty();
                advance(tx, t, next, planned, now);
                return id;
              });
      if (runId.isPresent()) {
        handOut(job, runId.get(), t.name(), fireTime, out);
      } else {
        log.debug(
            "task={} fire {} was already claimed (by another host); not run again",
            t.name(),
            fireTime);
      }
    }
    if (planned) {
      if (next == null) {
        plan.remove(t.name());
      } else {
        plan.put(t.name(), next);
      }
    }
  }

  private static void advance(Store.Tx tx, Task t, Instant next, boolean planned, Instant now) {
    if (!planned) {
      return;
    }
    if (next == null) {
      tx.clearPlan(t.name());
    } else {
      tx.setPlan(t.name(), next, now);
    }
  }

  private void startRequested(RunRequest r, Instant now, List<Job> out) {
    Task t = tasks.get(r.task());
    if (t == null) {
      store.transaction(tx -> tx.takeRequest(r.id()));
      log.warn("task={} was removed; its {} run request is dropped", r.task(), r.reason());
      return;
    }
    String id =
        r.jobId() != null
            ? r.jobId()
            : jobId(t, r.fireTime())
                + (r.reason() == RunRequest.Reason.MANUAL ? "#run-" + r.id() : "");
    Job job = job(t, id, r.attempt());
    RunStart s = start(t, id, r.attempt(), r.fireTime(), now);
    Optional<Long> runId =
        store.transaction(
            tx -> tx.takeRequest(r.id()) ? Optional.of(tx.runStarted(s)) : Optional.empty());
    if (runId.isPresent()) {
      handOut(job, runId.get(), t.name(), r.fireTime(), out);
    }
  }

  private void handOut(Job job, long runId, String task, Instant fireTime, List<Job> out) {
    inFlight.put(key(job), new InFlight(runId, task, fireTime));
    running.merge(task, 1, Integer::sum);
    out.add(job);
    log.debug("job={} task={} attempt={} handed out", job.id(), task, job.attempt());
  }

  /** The job id of a task's fire: {@code <task>@<fire time, ISO-8601 UTC>}. */
  static String jobId(Task t, Instant fireTime) {
    return t.name() + "@" + fireTime;
  }

  private static Job job(Task t, String id, int attempt) {
    return new Job(id, t.jobType(), t.params(), t.timeout(), attempt, t.maxAttempts());
  }

  private RunStart start(Task t, String jobId, int attempt, Instant fireTime, Instant now) {
    return new RunStart(
        Store.SOURCE_CRON, t.name(), jobId, t.jobType(), attempt, fireTime, now, host);
  }

  private static String key(Job job) {
    return job.id() + "#" + job.attempt();
  }

  private int running(String task) {
    return running.getOrDefault(task, 0);
  }

  /** Records a job's final outcome. */
  void completed(Job job, Outcome outcome) {
    boolean wakeUp;
    synchronized (this) {
      RunEnd end = end(outcome, clock.instant(), "");
      InFlight f = inFlight.remove(key(job));
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
      InFlight f = inFlight.remove(key(job));
      if (f == null) {
        return false;
      }
      Instant now = clock.instant();
      RunEnd end = end(outcome, now, "; attempt " + (job.attempt() + 1) + " at " + notBefore);
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
      requests.add(
          new RunRequest(
              id,
              r.task(),
              r.reason(),
              r.notBefore(),
              r.attempt(),
              r.fireTime(),
              r.jobId(),
              r.requestedAt()));
      release(f.task());
      wakeUp = hasQueued(f.task());
    }
    if (wakeUp) {
      wake.run();
    }
    return true;
  }

  private void release(String task) {
    running.computeIfPresent(task, (k, n) -> n > 1 ? n - 1 : null);
  }

  private boolean hasQueued(String task) {
    for (RunRequest r : requests) {
      if (r.task().equals(task) && r.reason() == RunRequest.Reason.QUEUED) {
        return true;
      }
    }
    return false;
  }

  static RunEnd end(Outcome outcome, Instant now, String note) {
    RunOutcome kind = RunOutcome.valueOf(outcome.kind().name());
    Integer code = outcome.exitCode().isPresent() ? outcome.exitCode().getAsInt() : null;
    String message = outcome.isSuccess() ? "" : outcome.message();
    return new RunEnd(now, kind, code, message + note, outcome.output());
  }

  private void prune(Instant now) {
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

  /** Task names with a job out now (for tests and diagnostics). */
  synchronized Set<String> runningTasks() {
    return new HashSet<>(running.keySet());
  }
}
