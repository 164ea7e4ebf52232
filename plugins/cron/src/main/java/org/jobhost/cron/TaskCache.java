package org.jobhost.cron;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jobhost.store.RunRequest;
import org.jobhost.store.Store;
import org.jobhost.store.Task;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler's copy of the task table, its parsed schedules, the plan and the pending requests,
 * re-read only when another connection changed the database ({@link Store#changeCount()}, asked at
 * most once per {@link #CHANGE_CHECK_INTERVAL}, or at once after a local {@code jobhost tasks}
 * write). The maps it hands out are its own, live: the {@link Scheduler} reads and changes them
 * under its lock. Not thread-safe.
 */
final class TaskCache {

  private static final Logger log = LoggerFactory.getLogger(TaskCache.class);

  /**
   * How often, at most, a poll asks the database whether another process changed it. The host's
   * default idle time: an idle host saw such changes no sooner before.
   */
  static final Duration CHANGE_CHECK_INTERVAL = Duration.ofSeconds(1);

  private final Store store;
  private final Clock clock;
  private final Map<String, Task> tasks = new HashMap<>();
  private final Map<String, Schedule> schedules = new HashMap<>();
  private final Map<String, Instant> plan = new HashMap<>();
  private final List<RunRequest> requests = new ArrayList<>();
  private long changeCount = Long.MIN_VALUE;
  private Instant nextChangeCheck = Instant.MIN;
  private long localWritesSeen = TaskActions.localWrites();
  private long changeChecks;

  TaskCache(Store store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /** The tasks whose schedule parsed, by name. */
  Map<String, Task> tasks() {
    return tasks;
  }

  /** The parsed schedule of each task in {@link #tasks()}. */
  Map<String, Schedule> schedules() {
    return schedules;
  }

  /** Each planned task's next fire (before jitter). */
  Map<String, Instant> plan() {
    return plan;
  }

  /** Pending run requests, oldest first. */
  List<RunRequest> requests() {
    return requests;
  }

  /** How many times {@link #refreshIfChanged} asked the database whether it changed. */
  long changeChecks() {
    return changeChecks;
  }

  /** Re-reads everything when the interval passed (or a local write happened) and it changed. */
  void refreshIfChanged(Instant now) {
    long localWrites = TaskActions.localWrites();
    if (!now.isBefore(nextChangeCheck) || localWrites != localWritesSeen) {
      localWritesSeen = localWrites;
      changeChecks++;
      nextChangeCheck = now.plus(CHANGE_CHECK_INTERVAL);
      if (store.changeCount() != changeCount) {
        reload(now);
      }
    }
  }

  /** Re-reads tasks, plan and requests, and plans tasks that have no plan entry. */
  void reload(Instant now) {
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
}
