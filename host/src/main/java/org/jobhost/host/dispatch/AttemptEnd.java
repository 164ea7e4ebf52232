package org.jobhost.host.dispatch;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import org.jobhost.api.Job;
import org.jobhost.api.JobRunner;
import org.jobhost.api.Outcome;
import org.jobhost.host.config.Config;
import org.jobhost.host.config.Isolation;
import org.jobhost.host.config.TypeConfig;
import org.jobhost.host.plugins.Contribution;
import org.jobhost.host.plugins.FaultBoundary;
import org.jobhost.host.process.ProcessGroups;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens when an attempt has its outcome: its process groups are ended, it is counted, its
 * source is told (a retry, or the outcome) exactly once, it is logged, and the observers are told.
 * Also the end of jobs polled but never started.
 *
 * <p>Thread-safe: called on worker threads and the dispatcher thread at once; keeps no state of its
 * own, only the dispatcher's collaborators it was given.
 *
 * @param config the current configuration
 * @param runners the runner of each job type now
 * @param stopping whether the host is stopping (then nothing is retried)
 * @param groups the children's process groups
 * @param observer told of each job's end
 * @param stats the counters
 * @param clock the time
 * @param random numbers in [0, 1) for retry jitter
 */
record AttemptEnd(
    Supplier<Config> config,
    Supplier<Map<String, Contribution<JobRunner>>> runners,
    BooleanSupplier stopping,
    ProcessGroups groups,
    JobObserver observer,
    JobStats stats,
    Clock clock,
    DoubleSupplier random) {

  // Logs as the dispatcher: operators see one logger for the loop.
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

  /**
   * Cleans up, counts and tells the source and observers. Each step is guarded, so a failing one (a
   * process-group record that cannot be written, an Error) keeps none of the others from running:
   * the source is told exactly once.
   */
  void end(Execution e, Outcome outcome) {
    Job job = e.job;
    guarded(
        job,
        "ending its process groups",
        () -> {
          List<Long> own = groups.groupsOf(job.id());
          if (!own.isEmpty()) {
            groups.terminate(own, config.get().timeouts().kill());
          }
        });
    long ms = Duration.between(e.startedAt, clock.instant()).toMillis();
    stats.ended(outcome);
    boolean[] retried = {false};
    guarded(job, "deciding on a retry", () -> retried[0] = retryIfAllowed(e, outcome));
    if (!retried[0]) {
      guarded(
          job,
          "telling its source",
          () ->
              FaultBoundary.run(
                  e.source.pluginId(),
                  "JobSource.completed for job " + job.id(),
                  () -> e.source.extension().completed(job, outcome)));
    }
    if (outcome.isSuccess()) {
      log.info(
          "job={} type={} attempt={} succeeded in {} ms", job.id(), job.type(), job.attempt(), ms);
    } else {
      log.info(
          "job={} type={} attempt={} {} in {} ms: {}{}",
          job.id(),
          job.type(),
          job.attempt(),
          outcome.kind(),
          ms,
          outcome.message(),
          retried[0] ? " (will be retried)" : "");
    }
    guarded(job, "telling the observers", () -> observer.jobEnded(job, outcome));
  }

  /** Ends jobs polled but never started as CANCELLED: their sources and the observers are told. */
  void cancelUnstarted(List<Polled> jobs, String why) {
    for (Polled p : jobs) {
      Outcome o = Outcome.cancelled(why);
      FaultBoundary.run(
          p.source().pluginId(),
          "JobSource.completed",
          () -> p.source().extension().completed(p.job(), o));
      stats.ended(o);
      observer.jobEnded(p.job(), o);
    }
  }

  private static void guarded(Job job, String what, Runnable step) {
    try {
      step.run();
    } catch (Throwable t) {
      log.error("job={} failed {}: {}; carrying on", job.id(), what, t.toString(), t);
    }
  }

  /** Asks the source to retry the job if the decision allows; returns whether it took it. */
  private boolean retryIfAllowed(Execution e, Outcome outcome) {
    Job job = e.job;
    TypeConfig type = config.get().type(job.type());
    boolean runnable =
        runners.get().containsKey(job.type()) || type.isolation() != Isolation.THREAD;
    Optional<Instant> notBefore =
        RetryDecision.notBefore(
            job, outcome, stopping.getAsBoolean(), runnable, type, clock.instant(), random);
    if (notBefore.isEmpty()) {
      return false;
    }
    boolean taken =
        FaultBoundary.call(
            e.source.pluginId(),
            "JobSource.retry for job " + job.id(),
            () -> e.source.extension().retry(job, outcome, notBefore.get()),
            false);
    if (taken) {
      stats.retried();
    }
    return taken;
  }
}
