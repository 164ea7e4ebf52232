package org.jobhost.host.dispatch;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiPredicate;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import org.jobhost.api.Job;
import org.jobhost.api.JobRunner;
import org.jobhost.api.JobSource;
import org.jobhost.api.Lifecycle;
import org.jobhost.api.Outcome;
import org.jobhost.api.RunningJob;
import org.jobhost.api.Stats;
import org.jobhost.host.config.Config;
import org.jobhost.host.plugins.Contribution;
import org.jobhost.host.process.ProcessGroups;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dispatch loop. {@link #runOnce()} is one iteration: enforce timeouts; unless paused or
 * stopping, fill the free slots from the sources (round robin) and start each job on a worker
 * thread; otherwise sleep until the idle time, a source's next due time, a deadline or a {@link
 * #wake()}. Every job polled ends exactly once: its source is told through {@code completed} or
 * {@code retry}, also when the host stops before or while it runs.
 *
 * <p>This class is the loop and the package's public face; it runs past 350 lines only because each
 * of the control methods the daemon, the control socket and plugin changes call carries its
 * contract. The work lives in the parts beside it: {@link SourcePoller} (sources and backlog),
 * {@link Slots}, {@link Running}, {@link AttemptRunner} (one attempt and its outcome), {@link
 * StopEscalation} (timeouts and stops), {@link AttemptEnd} with {@link RetryDecision} (the single
 * end of an attempt).
 *
 * <p>Thread-safe: {@link #runOnce()} is called by the dispatcher thread only; the control methods
 * may be called from any thread. No host lock is held while plugin code runs.
 */
public final class Dispatcher {

  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

  /** The MDC key that carries the job's type on a job's threads. */
  public static final String MDC_TYPE = "type";

  /**
   * The MDC key that carries, on a job's threads, the id of the plugin whose runner runs it (the
   * source's plugin when no runner is bound, as in a worker JVM).
   */
  public static final String MDC_PLUGIN = "plugin";

  private static final Duration MAX_WAIT = Duration.ofSeconds(1);

  /** What one iteration did. */
  public enum Step {
    /** Started at least one job. */
    STARTED,
    /** No source had work; slept. */
    IDLE,
    /** No free slot; slept. */
    FULL,
    /** Paused; slept. */
    PAUSED,
    /** Stopping; started nothing. */
    STOPPING
  }

  private final Supplier<Config> config;
  private volatile Map<String, Contribution<JobRunner>> runners;
  private final AtomicLong pollSection = new AtomicLong();
  private final ProcessGroups groups;
  private final Clock clock;
  private final Waiter waiter;
  private final Executor workers;
  private final JobStats stats = new JobStats();
  private final SourcePoller poller;
  private final Slots slots;
  private final Running running = new Running();
  private final AttemptRunner attempts;
  private final StopEscalation stops;
  private final AttemptEnd ends;
  private volatile boolean paused;
  private volatile boolean stopping;
  private volatile boolean lastIdleHadNothingDue;
  private volatile boolean terminated;
  private volatile boolean exitWhenIdle;

  /**
   * @param config the current configuration (read on every iteration; a reload swaps it)
   * @param sources the job sources, in load order
   * @param runners the runner of each job type
   * @param isolated runs jobs of types with {@code isolation = "process"}, or {@code null}
   * @param groups the children's process groups
   * @param observer told of each job's start and end
   * @param clock the time
   * @param waiter the loop's sleep
   * @param workers runs each job on its own thread
   * @param random numbers in [0, 1) for retry jitter
   */
  public Dispatcher(
      Supplier<Config> config,
      List<Contribution<JobSource>> sources,
      Map<String, Contribution<JobRunner>> runners,
      IsolatedRunner isolated,
      ProcessGroups groups,
      JobObserver observer,
      Clock clock,
      Waiter waiter,
      Executor workers,
      DoubleSupplier random) {
    this.config = config;
    this.poller = new SourcePoller(sources);
    this.runners = Map.copyOf(runners);
    this.groups = groups;
    this.clock = clock;
    this.waiter = waiter;
    this.workers = workers;
    this.slots = new Slots(config.get().maxWorkers());
    this.attempts = new AttemptRunner(config, this::runners, isolated, observer, this::finish);
    this.stops = new StopEscalation(groups, this::finish);
    this.ends =
        new AttemptEnd(
            config, this::runners, () -> stopping, groups, observer, stats, clock, random);
  }

  /** One iteration of the loop, including its sleep. Called by the dispatcher thread only. */
  public Step runOnce() throws InterruptedException {
    Instant now = clock.instant();
    Instant wakeBy = stops.enforce(running, now, config.get().timeouts().kill());
    if (stopping) {
      cancelBacklog();
      waiter.await(until(now, wakeBy, MAX_WAIT));
      return Step.STOPPING;
    }
    if (paused) {
      waiter.await(until(now, wakeBy, MAX_WAIT));
      return Step.PAUSED;
    }
    int free = slots.free(config.get().dispatch());
    if (free <= 0) {
      waiter.await(until(now, wakeBy, MAX_WAIT));
      return Step.FULL;
    }
    pollSection.incrementAndGet();
    try {
      return pollAndStart(now, wakeBy, free);
    } finally {
      pollSection.incrementAndGet();
    }
  }

  /** Polls and starts; between two increments of {@code pollSection}, see {@link #hold}. */
  private Step pollAndStart(Instant now, Instant wakeBy, int free) throws InterruptedException {
    List<Polled> jobs = poller.poll(free, slots.max());
    if (jobs.isEmpty()) {
      Optional<Instant> due = poller.nextDue();
      lastIdleHadNothingDue = due.isEmpty();
      if (exitWhenIdle && lastIdleHadNothingDue && running.isEmpty()) {
        return Step.IDLE;
      }
      Instant by = due.isPresent() && due.get().isBefore(wakeBy) ? due.get() : wakeBy;
      waiter.await(until(now, by, config.get().timeouts().idle()));
      return Step.IDLE;
    }
    for (Polled p : jobs) {
      if (slots.take()) {
        start(p);
      } else {
        poller.putBack(p);
      }
    }
    return Step.STARTED;
  }

  /**
   * Runs the loop until {@link #terminate()}, or, with {@code exitWhenIdle}, until no source has
   * work or anything due and no job runs.
   *
   * @param tick called after every iteration (a liveness signal for a watchdog); must be cheap
   */
  public void run(boolean exitWhenIdle, Runnable tick) {
    this.exitWhenIdle = exitWhenIdle;
    while (!terminated) {
      try {
        Step step = runOnce();
        tick.run();
        if (exitWhenIdle && step == Step.IDLE && lastIdleHadNothingDue && running.isEmpty()) {
          log.info("no source has work and no job runs; exiting as --exit-when-idle asks");
          return;
        }
      } catch (InterruptedException e) {
        if (terminated) {
          return;
        }
      } catch (RuntimeException e) {
        log.error("dispatcher iteration failed: {}; carrying on", e.toString(), e);
      }
    }
  }

  /** Ends {@link #run}. */
  public void terminate() {
    terminated = true;
    waiter.wake();
  }

  /** Ends the current sleep: a source has work. */
  public void wake() {
    waiter.wake();
  }

  /** Stops starting jobs; running ones continue. */
  public void pause() {
    paused = true;
    waiter.wake();
  }

  /** Starts jobs again. */
  public void resume() {
    paused = false;
    waiter.wake();
  }

  /** Sets the number of worker slots (at least 1). */
  public void resize(int workers) {
    slots.resize(workers);
    waiter.wake();
  }

  /** The number of worker slots now. */
  public int maxWorkers() {
    return slots.max();
  }

  /** Jobs running now. */
  public int running() {
    return running.size();
  }

  /** The jobs running now, oldest first. */
  public List<RunningJob> runningJobs() {
    return running.jobs();
  }

  /**
   * Asks each running job with this id to stop, as a timeout would (TERM to its groups, KILL after
   * the kill timeout); it ends CANCELLED. Returns how many were asked.
   */
  public int stopJob(String jobId) {
    int asked =
        stops.stopForOperator(running, jobId, clock.instant(), config.get().timeouts().kill());
    if (asked > 0) {
      waiter.wake();
    }
    return asked;
  }

  /**
   * Begins a plugin change: from now on only {@code sources} are polled, and no job of the {@code
   * held} types starts (one already polled waits in the backlog). Returns once no poll that began
   * before the call is still starting jobs, so every job of a held type is then either running (and
   * counted by {@link #awaitNone}) or waiting. Called by the thread that changes plugins.
   */
  public void hold(Set<String> held, List<Contribution<JobSource>> sources)
      throws InterruptedException {
    poller.hold(held);
    poller.sources(sources);
    long section = pollSection.get();
    waiter.wake();
    while (section % 2 == 1 && pollSection.get() == section) {
      Thread.sleep(5);
      waiter.wake();
    }
  }

  /**
   * Ends a plugin change: these sources are polled and these runners run their types from now on,
   * and the held jobs start.
   */
  public void swap(
      List<Contribution<JobSource>> sources, Map<String, Contribution<JobRunner>> runners) {
    poller.sources(sources);
    this.runners = Map.copyOf(runners);
    poller.hold(Set.of());
    waiter.wake();
  }

  /**
   * Waits until no running job matches {@code which} (its job, the id of the plugin whose source
   * gave it); returns whether that happened within {@code max}.
   */
  public boolean awaitNone(BiPredicate<Job, String> which, Duration max)
      throws InterruptedException {
    return running.awaitNone(which, max);
  }

  /**
   * Stops the running jobs that match {@code which} as a graceful stop does after its grace time
   * (interrupt, TERM to their groups, KILL after the kill timeout); they end CANCELLED because
   * their plugin is unloaded, and their sources are told. Returns how many were asked.
   */
  public int stopWhere(BiPredicate<Job, String> which) {
    int asked =
        stops.stopForUnload(running, which, clock.instant(), config.get().timeouts().kill());
    waiter.wake();
    return asked;
  }

  /**
   * Hands the jobs polled from a plugin's sources but not started back to those sources, which are
   * about to close: each is told CANCELLED. Returns how many.
   */
  public int returnBacklogOf(String pluginId) {
    List<Polled> mine = poller.takeBacklogOf(pluginId);
    ends.cancelUnstarted(mine, "its plugin was unloaded before the job started");
    return mine.size();
  }

  /** The runner of each job type now. */
  public Map<String, Contribution<JobRunner>> runners() {
    return runners;
  }

  /** The job types some runner executes. */
  public Set<String> types() {
    return new TreeSet<>(runners.keySet());
  }

  /** The counters. */
  public Stats stats(Duration uptime, Lifecycle lifecycle) {
    return stats.snapshot(running.size(), slots.max(), uptime, lifecycle);
  }

  /**
   * Begins a graceful stop: no job starts any more, and every running job is asked to stop ({@code
   * stopRequested()} turns true) and may finish within the grace timeout.
   */
  public void beginStop() {
    stopping = true;
    for (Execution e : running) {
      e.requestStop(Execution.StopReason.SHUTDOWN);
    }
    waiter.wake();
  }

  /**
   * Ends the grace period: interrupts every running job and sends TERM to its process groups;
   * groups still alive after the kill timeout get KILL, and jobs that still have not ended are
   * recorded CANCELLED. Returns at once; {@link #awaitDrained} waits for the result.
   */
  public void forceStop() {
    stops.stopForShutdown(running, clock.instant(), config.get().timeouts().kill());
    waiter.wake();
  }

  /** Waits until no job runs; returns whether that happened within {@code max}. */
  public boolean awaitDrained(Duration max) throws InterruptedException {
    return running.awaitDrained(max);
  }

  /** Records every job still running as CANCELLED and tells its source; for the last moment. */
  public void abandonAll(String reason) {
    for (Execution e : running.snapshot()) {
      stops.abandon(e, Outcome.cancelled(reason));
    }
    cancelBacklog();
  }

  /** Starts a polled job on a worker thread; the caller holds a slot for it. */
  private void start(Polled p) {
    Job job = p.job();
    Config cfg = config.get();
    Duration timeout = job.timeout() != null ? job.timeout() : cfg.type(job.type()).timeout();
    Execution e = new Execution(p, timeout, clock.instant(), groups, cfg.timeouts().kill());
    running.add(e);
    stats.started();
    try {
      workers.execute(() -> attempts.run(e));
    } catch (RejectedExecutionException ex) {
      finish(e, Outcome.failed("the host could not start a worker thread: " + ex.getMessage()));
    }
  }

  private void cancelBacklog() {
    ends.cancelUnstarted(poller.takeBacklog(), "the host stopped before the job started");
  }

  /** The single end of an attempt: its outcome is handled once, then its slot is freed. */
  private void finish(Execution e, Outcome outcome) {
    if (!e.claimEnd()) {
      log.info(
          "job={} ended ({}) after it had been abandoned; ignored", e.job.id(), outcome.kind());
      return;
    }
    try {
      ends.end(e, outcome);
    } finally {
      running.remove(e);
      slots.release();
      running.wakeWaiters();
      waiter.wake();
    }
  }

  private static Duration until(Instant now, Instant by, Duration cap) {
    if (by.equals(Instant.MAX)) {
      return cap;
    }
    Duration d = Duration.between(now, by);
    if (d.isNegative()) {
      return Duration.ZERO;
    }
    return d.compareTo(cap) < 0 ? d : cap;
  }
}
