package org.jobhost.cron;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jobhost.api.Job;
import org.jobhost.store.RunEnd;
import org.jobhost.store.RunOutcome;
import org.jobhost.store.RunRequest;
import org.jobhost.store.RunStart;
import org.jobhost.store.Store;
import org.jobhost.store.Task;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a fire or a requested run: under the overlap policy it is skipped (recorded as such),
 * queued behind the running one, or claimed, recorded as started in the worklog and handed out; the
 * plan advances in the same transaction. Not thread-safe: the {@link Scheduler} calls it under its
 * lock, with the maps of its {@link TaskCache}.
 */
final class FireStarter {

  private static final Logger log = LoggerFactory.getLogger(FireStarter.class);

  private final Store store;
  private final String host;
  private final TaskCache cache;
  private final InFlightRuns inFlight;

  FireStarter(Store store, String host, TaskCache cache, InFlightRuns inFlight) {
    this.store = store;
    this.host = host;
    this.cache = cache;
    this.inFlight = inFlight;
  }

  /**
   * Fires {@code f} under its overlap policy, advancing the plan to its next fire in the same
   * transaction when it is planned.
   */
  void fire(Firing f, Instant now, List<Job> out) {
    Task t = f.task();
    Instant fireTime = f.fireTime();
    boolean busy = inFlight.running(t.name()) > 0;
    if (busy && f.overlap() == Task.Overlap.SKIP) {
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
            advance(tx, f, now);
          });
      log.info(
          "task={} fire {} skipped: the previous run still goes (overlap skip)",
          t.name(),
          fireTime);
    } else if (busy && f.overlap() == Task.Overlap.QUEUE) {
      RunRequest r =
          new RunRequest(0, t.name(), RunRequest.Reason.QUEUED, fireTime, 1, fireTime, null, now);
      long id =
          store.transaction(
              tx -> {
                long rid = tx.addRequest(r);
                advance(tx, f, now);
                return rid;
              });
      cache.requests().add(r.withId(id));
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
                advance(tx, f, now);
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
    if (f.planned()) {
      if (f.next() == null) {
        cache.plan().remove(t.name());
      } else {
        cache.plan().put(t.name(), f.next());
      }
    }
  }

  private static void advance(Store.Tx tx, Firing f, Instant now) {
    if (!f.planned()) {
      return;
    }
    if (f.next() == null) {
      tx.clearPlan(f.name());
    } else {
      tx.setPlan(f.name(), f.next(), now);
    }
  }

  void startRequested(RunRequest r, Instant now, List<Job> out) {
    Task t = cache.tasks().get(r.task());
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
    inFlight.add(job, runId, task, fireTime);
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
}
