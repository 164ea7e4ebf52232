package org.jobhost.host.dispatch;

import java.util.Map;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.jobhost.api.Job;
import org.jobhost.api.JobRunner;
import org.jobhost.api.Outcome;
import org.jobhost.binding.LoadHints;
import org.jobhost.host.config.Config;
import org.jobhost.host.config.Isolation;
import org.jobhost.host.plugins.Contribution;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs one attempt on its worker thread: sets the job's MDC, runs it in-process or in a worker JVM,
 * maps what the runner returned or threw (and why it was asked to stop) to one {@link Outcome}, and
 * hands that to the single end of the attempt.
 *
 * <p>Thread-safe: {@link #run} is called on many worker threads at once; it keeps no state.
 */
final class AttemptRunner {

  // Logs as the dispatcher: operators see one logger for the loop.
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

  private final Supplier<Config> config;
  private final Supplier<Map<String, Contribution<JobRunner>>> runners;
  private final IsolatedRunner isolated;
  private final JobObserver observer;
  private final BiConsumer<Execution, Outcome> finish;

  /**
   * @param config the current configuration
   * @param runners the runner of each job type now
   * @param isolated runs jobs of types with {@code isolation = "process"}, or {@code null}
   * @param observer told of each job's start
   * @param finish the single end of an attempt
   */
  AttemptRunner(
      Supplier<Config> config,
      Supplier<Map<String, Contribution<JobRunner>>> runners,
      IsolatedRunner isolated,
      JobObserver observer,
      BiConsumer<Execution, Outcome> finish) {
    this.config = config;
    this.runners = runners;
    this.isolated = isolated;
    this.observer = observer;
    this.finish = finish;
  }

  /** Runs the attempt on the calling thread, which it binds to it, and ends it. */
  void run(Execution e) {
    Thread self = Thread.currentThread();
    e.bindThread(self);
    MDC.put(Job.MDC_KEY, e.job.id());
    MDC.put(Dispatcher.MDC_TYPE, e.job.type());
    Contribution<JobRunner> bound = runners.get().get(e.job.type());
    MDC.put(Dispatcher.MDC_PLUGIN, bound != null ? bound.pluginId() : e.source.pluginId());
    try {
      if (log.isDebugEnabled()) {
        log.debug(
            "job={} type={} attempt={} starting (source {})",
            e.job.id(),
            e.job.type(),
            e.job.attempt(),
            e.source.label());
      }
      Outcome outcome;
      try {
        observer.jobStarted(e.job);
        outcome = execute(e);
      } catch (Throwable t) {
        // Whatever a job's thread meets (an Error, a failing process-group record, an observer
        // that throws), the job gets an outcome, its slot is freed and its source is told.
        log.error("job={} its worker thread failed: {}", e.job.id(), t.toString(), t);
        outcome = Outcome.failed("the host failed while running the job: " + t);
      }
      finish.accept(e, outcome);
    } finally {
      e.bindThread(null);
      Thread.interrupted();
      MDC.remove(Job.MDC_KEY);
      MDC.remove(Dispatcher.MDC_TYPE);
      MDC.remove(Dispatcher.MDC_PLUGIN);
    }
  }

  private Outcome execute(Execution e) {
    Job job = e.job;
    Isolation isolation = config.get().type(job.type()).isolation();
    Map<String, Contribution<JobRunner>> byType = runners.get();
    Contribution<JobRunner> runner = byType.get(job.type());
    if (runner == null && !(isolation == Isolation.PROCESS && isolated != null)) {
      return Outcome.failed(
          "no runner for job type \""
              + job.type()
              + "\"; installed types: "
              + new TreeSet<>(byType.keySet())
              + "; install a plugin whose JobRunner lists it");
    }
    Outcome outcome;
    try {
      if (isolation == Isolation.PROCESS) {
        if (isolated == null) {
          return Outcome.failed(
              "job type \""
                  + job.type()
                  + "\" is configured isolation = \"process\", but worker"
                  + " JVMs are not available in this host");
        }
        outcome = isolated.run(job, e);
      } else {
        outcome = runner.extension().run(job, e);
      }
      if (outcome == null) {
        outcome = Outcome.failed("the runner " + runner.label() + " returned no outcome");
      }
    } catch (InterruptedException ex) {
      outcome = afterStop(e, null);
    } catch (Exception | Error ex) {
      if (e.stopRequested() && e.stopReason() == Execution.StopReason.TIMEOUT) {
        outcome = afterStop(e, null);
      } else {
        String who = runner == null ? "worker" : "plugin=" + runner.pluginId();
        String why = ex instanceof LinkageError ? LoadHints.describe(ex) : ex.toString();
        log.warn("job={} {} runner threw {}", job.id(), who, why, ex);
        outcome = Outcome.failed(why);
      }
    }
    if (e.stopRequested() && !outcome.isSuccess()) {
      outcome = afterStop(e, outcome);
    }
    return outcome;
  }

  /**
   * The outcome of a job that was asked to stop and did not succeed ({@code returned} is what its
   * runner returned, or {@code null} when it threw): its stop reason decides, and the output is
   * kept.
   */
  static Outcome afterStop(Execution e, Outcome returned) {
    String output = returned == null ? "" : returned.output();
    switch (e.stopReason()) {
      case TIMEOUT:
        return new Outcome.TimedOut(e.timeout, output);
      case SHUTDOWN:
        return new Outcome.Cancelled("the host stopped while the job ran", output);
      case OPERATOR:
        return new Outcome.Cancelled("stopped by the operator", output);
      case UNLOAD:
        return new Outcome.Cancelled("its plugin was unloaded while the job ran", output);
      default:
        return returned != null ? returned : Outcome.failed("interrupted");
    }
  }
}
