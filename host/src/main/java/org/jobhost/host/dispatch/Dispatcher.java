package org.jobhost.host.dispatch;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import org.jobhost.api.Durations;
import org.jobhost.api.Job;
import org.jobhost.api.JobRunner;
import org.jobhost.api.JobSource;
import org.jobhost.api.Lifecycle;
import org.jobhost.api.Outcome;
import org.jobhost.api.RunningJob;
import org.jobhost.api.Signal;
import org.jobhost.api.Stats;
import org.jobhost.host.config.Config;
import org.jobhost.host.config.Defaults;
import org.jobhost.host.config.DispatchMode;
import org.jobhost.host.config.Isolation;
import org.jobhost.host.config.TypeConfig;
import org.jobhost.host.plugins.Contribution;
import org.jobhost.host.plugins.FaultBoundary;
import org.jobhost.host.plugins.LoadHints;
import org.jobhost.host.process.ProcessGroups;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The dispatch loop. {@link #runOnce()} is one iteration: enforce timeouts; unless paused or
 * stopping, fill the free slots from the sources (round robin) and start each job on a worker
 * thread; otherwise sleep until the idle time, a source's next due time, a deadline or a {@link
 * #wake()}. Every job polled ends exactly once: its source is told through {@code completed} or
 * {@code retry}, also when the host stops before or while it runs.
 *
 * <p>Thread-safe: {@link #runOnce()} is called by the dispatcher thread only; the control methods
 * may be called from any thread. No host lock is held while plugin code runs.
 */
public final class Dispatcher {

  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

  /**
   * The MDC key that carries the job id on a job's threads, and on the lines a worker JVM or a
   * job's output writes (documented in the README as {@code mdc.job} of the JSON log format). The
   * host's one spelling of it; {@code WorkerMain} and the command plugin's {@code OutputPump} still
   * spell it out (a plugin sees only plugin-api).
   */
  public static final String MDC_JOB = "job";

  /** The MDC key that carries the job's type on a job's threads. */
  public static final String MDC_TYPE = "type";

  /**
   * The MDC key that carries, on a job's threads, the id of the plugin whose runner runs it (the
   * source's plugin when no runner is bound, as in a worker JVM).
   */
  public static final String MDC_PLUGIN = "plugin";

  private static final Duration MAX_WAIT = Duration.ofSeconds(1);
  private static final Duration ABANDON_MARGIN = Duration.ofSeconds(1);

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

  /** A polled job and its source. */
  private record Polled(Job job, Contribution<JobSource> source) {}

  private final Supplier<Config> config;
  private volatile List<Contribution<JobSource>> sources;
  private volatile Map<String, Contribution<JobRunner>> runners;
  private volatile Set<String> heldTypes = Set.of();
  private final java.util.concurrent.atomic.AtomicLong pollSection =
      new java.util.concurrent.atomic.AtomicLong();
  private final IsolatedRunner isolated;
  private final ProcessGroups groups;
  private final JobObserver observer;
  private final Clock clock;
  private final Waiter waiter;
  private final Executor workers;
  private final DoubleSupplier random;
  private final JobStats stats = new JobStats();
  private final Set<Execution> running = ConcurrentHashMap.newKeySet();
  private final Deque<Polled> backlog = new ArrayDeque<>();
  private final java.util.concurrent.atomic.AtomicInteger used =
      new java.util.concurrent.atomic.AtomicInteger();
  private final Object drained = new Object();
  private volatile int maxWorkers;
  private volatile boolean paused;
  private volatile boolean stopping;
  private volatile boolean lastIdleHadNothingDue;
  private int nextSource;

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
    this.sources = List.copyOf(sources);
    this.runners = Map.copyOf(runners);
    this.isolated = isolated;
    this.groups = groups;
    this.observer = observer;
    this.clock = clock;
    this.waiter = waiter;
    this.workers = workers;
    this.random = random;
    this.maxWorkers = config.get().maxWorkers();
  }

  /** One iteration of the loop, including its sleep. Called by the dispatcher thread only. */
  public Step runOnce() throws InterruptedException {
    Instant now = clock.instant();
    Instant wakeBy = enforceDeadlines(now);
    if (stopping) {
      cancelBacklog();
      waiter.await(until(now, wakeBy, MAX_WAIT));
      return Step.STOPPING;
    }
    if (paused) {
      waiter.await(until(now, wakeBy, MAX_WAIT));
      return Step.PAUSED;
    }
    int free = freeSlots();
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
    List<Polled> jobs = poll(free);
    if (jobs.isEmpty()) {
      Optional<Instant> due = nextDue();
      lastIdleHadNothingDue = due.isEmpty();
      if (exitWhenIdle && lastIdleHadNothingDue && running.isEmpty()) {
        return Step.IDLE;
      }
      Instant by = due.isPresent() && due.get().isBefore(wakeBy) ? due.get() : wakeBy;
      waiter.await(until(now, by, config.get().idleTime()));
      return Step.IDLE;
    }
    for (Polled p : jobs) {
      if (takeSlot()) {
        start(p);
      } else {
        synchronized (backlog) {
          backlog.addFirst(p);
        }
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

  private volatile boolean terminated;
  private volatile boolean exitWhenIdle;

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
    if (workers < 1 || workers > Defaults.MAX_WORKERS_LIMIT) {
      throw new IllegalArgumentException(
          "max_workers must be between 1 and "
              + Defaults.MAX_WORKERS_LIMIT
              + " (was "
              + workers
              + ")");
    }
    this.maxWorkers = workers;
    waiter.wake();
  }

  /** The number of worker slots now. */
  public int maxWorkers() {
    return maxWorkers;
  }

  /** Jobs running now. */
  public int running() {
    return running.size();
  }

  /** The jobs running now, oldest first. */
  public List<RunningJob> runningJobs() {
    List<RunningJob> out = new ArrayList<>();
    for (Execution e : running) {
      if (!e.ended()) {
        out.add(new RunningJob(e.job, e.source.pluginId(), e.startedAt));
      }
    }
    out.sort(java.util.Comparator.comparing(RunningJob::started));
    return out;
  }

  /**
   * Asks each running job with this id to stop, as a timeout would (TERM to its groups, KILL after
   * the kill timeout); it ends CANCELLED. Returns how many were asked.
   */
  public int stopJob(String jobId) {
    Instant now = clock.instant();
    Duration kill = config.get().killTimeout();
    int asked = 0;
    for (Execution e : running) {
      if (e.job.id().equals(jobId) && !e.ended() && e.requestStop(Execution.StopReason.OPERATOR)) {
        List<Long> own = groups.groupsOf(e.job.id());
        log.info(
            "job={} stop requested by the operator{}",
            jobId,
            own.isEmpty() ? "" : " (TERM to process groups " + own + ")");
        stopNow(e, own, now, kill);
        asked++;
      }
    }
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
    this.heldTypes = Set.copyOf(held);
    this.sources = List.copyOf(sources);
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
    this.sources = List.copyOf(sources);
    this.runners = Map.copyOf(runners);
    this.heldTypes = Set.of();
    waiter.wake();
  }

  /**
   * Waits until no running job matches {@code which} (its job, the id of the plugin whose source
   * gave it); returns whether that happened within {@code max}.
   */
  public boolean awaitNone(java.util.function.BiPredicate<Job, String> which, Duration max)
      throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    synchronized (drained) {
      while (running.stream().anyMatch(e -> which.test(e.job, e.source.pluginId()))) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        drained.wait(Math.max(1, Math.min(left / 1_000_000, 100)));
      }
    }
    return true;
  }

  /**
   * Stops the running jobs that match {@code which} as a graceful stop does after its grace time
   * (interrupt, TERM to their groups, KILL after the kill timeout); they end CANCELLED because
   * their plugin is unloaded, and their sources are told. Returns how many were asked.
   */
  public int stopWhere(java.util.function.BiPredicate<Job, String> which) {
    Instant now = clock.instant();
    Duration kill = config.get().killTimeout();
    int asked = 0;
    for (Execution e : running) {
      if (which.test(e.job, e.source.pluginId()) && !e.ended()) {
        e.requestStop(Execution.StopReason.UNLOAD);
        stopNow(e, groups.groupsOf(e.job.id()), now, kill);
        asked++;
      }
    }
    waiter.wake();
    return asked;
  }

  /**
   * Hands the jobs polled from a plugin's sources but not started back to those sources, which are
   * about to close: each is told CANCELLED. Returns how many.
   */
  public int returnBacklogOf(String pluginId) {
    List<Polled> mine = new ArrayList<>();
    synchronized (backlog) {
      backlog.removeIf(p -> p.source.pluginId().equals(pluginId) && mine.add(p));
    }
    cancelUnstarted(mine, "its plugin was unloaded before the job started");
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
    return stats.snapshot(running.size(), maxWorkers, uptime, lifecycle);
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
    Instant now = clock.instant();
    Duration kill = config.get().killTimeout();
    for (Execution e : running) {
      e.requestStop(Execution.StopReason.SHUTDOWN);
      stopNow(e, groups.groupsOf(e.job.id()), now, kill);
    }
    waiter.wake();
  }

  /**
   * Interrupts a job that was asked to stop and sends TERM (and CONT, so a stopped group can act on
   * it) to its process groups; KILL follows after the kill timeout, and a job that still has not
   * ended is abandoned a margin later.
   */
  private void stopNow(Execution e, List<Long> own, Instant now, Duration kill) {
    // KILL is due kill_timeout after this TERM, also for a group that registers only later (a
    // child still being spawned when a short timeout ran out): that group must not be killed
    // at once when it appears.
    e.killAt(now.plus(kill));
    e.abandonAt(now.plus(own.isEmpty() ? ABANDON_MARGIN : kill.plus(ABANDON_MARGIN)));
    e.interrupt();
    groups.signal(own, Signal.TERM);
    groups.signal(own, Signal.CONT);
  }

  /** Waits until no job runs; returns whether that happened within {@code max}. */
  public boolean awaitDrained(Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    synchronized (drained) {
      while (!running.isEmpty()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        drained.wait(Math.max(1, left / 1_000_000));
      }
    }
    return true;
  }

  /** Records every job still running as CANCELLED and tells its source; for the last moment. */
  public void abandonAll(String reason) {
    for (Execution e : List.copyOf(running)) {
      abandon(e, Outcome.cancelled(reason));
    }
    cancelBacklog();
  }

  private int freeSlots() {
    int size = used.get();
    if (config.get().dispatch() == DispatchMode.BATCH && size > 0) {
      return 0;
    }
    return maxWorkers - size;
  }

  /** Takes a worker slot if one is free. */
  private boolean takeSlot() {
    while (true) {
      int n = used.get();
      if (n >= maxWorkers) {
        return false;
      }
      if (used.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  private List<Polled> poll(int free) {
    List<Polled> out = new ArrayList<>();
    Set<String> held = heldTypes;
    List<Contribution<JobSource>> sources = this.sources;
    synchronized (backlog) {
      for (java.util.Iterator<Polled> it = backlog.iterator();
          it.hasNext() && out.size() < free; ) {
        Polled p = it.next();
        if (!held.contains(p.job.type())) {
          it.remove();
          out.add(p);
        }
      }
      if (!held.isEmpty() && backlog.size() >= maxWorkers) {
        // Jobs wait for a plugin being replaced: leave the rest in their sources.
        return out;
      }
    }
    int n = sources.size();
    for (int i = 0; i < n && out.size() < free; i++) {
      Contribution<JobSource> src = sources.get((nextSource + i) % n);
      int want = free - out.size();
      List<Job> jobs =
          FaultBoundary.call(
              src.pluginId(),
              "JobSource.poll in " + src.label(),
              () -> src.extension().poll(want),
              List.of());
      if (jobs == null) {
        continue;
      }
      for (Job j : jobs) {
        if (j == null) {
          log.warn("plugin={} source {} returned a null job; ignored", src.pluginId(), src.label());
        } else if (out.size() < free && !held.contains(j.type())) {
          out.add(new Polled(j, src));
        } else {
          synchronized (backlog) {
            backlog.add(new Polled(j, src));
          }
        }
      }
    }
    nextSource = n == 0 ? 0 : (nextSource + 1) % n;
    return out;
  }

  private Optional<Instant> nextDue() {
    Instant best = null;
    for (Contribution<JobSource> src : sources) {
      Optional<Instant> due =
          FaultBoundary.call(
              src.pluginId(),
              "JobSource.nextDue in " + src.label(),
              () -> src.extension().nextDue(),
              Optional.empty());
      if (due != null && due.isPresent() && (best == null || due.get().isBefore(best))) {
        best = due.get();
      }
    }
    return Optional.ofNullable(best);
  }

  /** Starts a polled job on a worker thread; the caller holds a slot for it. */
  private void start(Polled p) {
    Execution e = execution(p);
    try {
      workers.execute(() -> runJob(e));
    } catch (RejectedExecutionException ex) {
      finish(e, Outcome.failed("the host could not start a worker thread: " + ex.getMessage()));
    }
  }

  private Execution execution(Polled p) {
    Job job = p.job;
    Config cfg = config.get();
    Duration timeout = job.timeout() != null ? job.timeout() : cfg.type(job.type()).timeout();
    Execution e = new Execution(job, p.source, timeout, clock.instant(), groups, cfg.killTimeout());
    running.add(e);
    stats.started();
    return e;
  }

  private void runJob(Execution e) {
    Thread self = Thread.currentThread();
    e.bindThread(self);
    MDC.put(MDC_JOB, e.job.id());
    MDC.put(MDC_TYPE, e.job.type());
    Contribution<JobRunner> bound = runners.get(e.job.type());
    MDC.put(MDC_PLUGIN, bound != null ? bound.pluginId() : e.source.pluginId());
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
      finish(e, outcome);
    } finally {
      e.bindThread(null);
      Thread.interrupted();
      MDC.remove(MDC_JOB);
      MDC.remove(MDC_TYPE);
      MDC.remove(MDC_PLUGIN);
    }
  }

  private Outcome execute(Execution e) {
    Job job = e.job;
    Isolation isolation = config.get().type(job.type()).isolation();
    Contribution<JobRunner> runner = runners.get(job.type());
    if (runner == null && !(isolation == Isolation.PROCESS && isolated != null)) {
      return Outcome.failed(
          "no runner for job type \""
              + job.type()
              + "\"; installed types: "
              + types()
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

  /** The outcome of a job that was asked to stop and did not succeed. */
  private Outcome afterStop(Execution e, Outcome returned) {
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

  /** Enforces timeouts and stop deadlines; returns when the loop must look again. */
  private Instant enforceDeadlines(Instant now) {
    Instant next = Instant.MAX;
    Duration kill = config.get().killTimeout();
    for (Execution e : running) {
      if (e.ended()) {
        continue;
      }
      if (!e.stopRequested() && !e.deadline().isAfter(now)) {
        if (e.requestStop(Execution.StopReason.TIMEOUT)) {
          List<Long> own = groups.groupsOf(e.job.id());
          log.warn(
              "job={} timed out after {}; asking it to stop{}",
              e.job.id(),
              Durations.format(e.timeout),
              own.isEmpty() ? "" : " (TERM to process groups " + own + ")");
          stopNow(e, own, now, kill);
        }
      }
      Instant abandonAt = e.abandonAt();
      if (abandonAt != null) {
        Instant killAt = e.killAt();
        List<Long> own = groups.groupsOf(e.job.id());
        if (!own.isEmpty() && abandonAt.isBefore(killAt.plus(ABANDON_MARGIN))) {
          // A group appeared after the stop request: give it its kill_timeout.
          abandonAt = killAt.plus(ABANDON_MARGIN);
          e.abandonAt(abandonAt);
        }
        if (!killAt.isAfter(now)) {
          if (!own.isEmpty()) {
            if (e.markKilled()) {
              log.warn(
                  "job={} process groups {} ignored TERM for {} ms; sending KILL",
                  e.job.id(),
                  own,
                  Duration.between(killAt.minus(kill), now).toMillis());
            }
            groups.signal(own, Signal.KILL);
          }
        } else if (killAt.isBefore(next)) {
          next = killAt;
        }
        if (!abandonAt.isAfter(now)) {
          abandon(
              e,
              e.stopReason() == Execution.StopReason.TIMEOUT
                  ? Outcome.timedOut(e.timeout)
                  : Outcome.cancelled(
                      e.stopReason() == Execution.StopReason.OPERATOR
                          ? "stopped by the operator and the job did not end in time"
                          : e.stopReason() == Execution.StopReason.UNLOAD
                              ? "its plugin was unloaded and the job did not end in time"
                              : "the host stopped and the job did not end in time"));
        } else if (abandonAt.isBefore(next)) {
          next = abandonAt;
        }
      } else if (e.deadline().isBefore(next)) {
        next = e.deadline();
      }
    }
    return next;
  }

  private void abandon(Execution e, Outcome outcome) {
    log.warn(
        "job={} did not end after it was asked to stop; its thread is abandoned and the job is"
            + " recorded {}",
        e.job.id(),
        outcome.kind());
    List<Long> own = groups.groupsOf(e.job.id());
    groups.signal(own, Signal.KILL);
    for (long pgid : own) {
      groups.release(pgid);
    }
    finish(e, outcome);
  }

  private void cancelBacklog() {
    List<Polled> left;
    synchronized (backlog) {
      left = new ArrayList<>(backlog);
      backlog.clear();
    }
    cancelUnstarted(left, "the host stopped before the job started");
  }

  /** Ends jobs polled but never started as CANCELLED: their sources and the observers are told. */
  private void cancelUnstarted(List<Polled> jobs, String why) {
    for (Polled p : jobs) {
      Outcome o = Outcome.cancelled(why);
      FaultBoundary.run(
          p.source.pluginId(),
          "JobSource.completed",
          () -> p.source.extension().completed(p.job, o));
      stats.ended(o);
      observer.jobEnded(p.job, o);
    }
  }

  /**
   * The single end of an attempt: clean up, count, tell the source and observers, free the slot.
   */
  private void finish(Execution e, Outcome outcome) {
    if (!e.claimEnd()) {
      log.info(
          "job={} ended ({}) after it had been abandoned; ignored", e.job.id(), outcome.kind());
      return;
    }
    try {
      endAttempt(e, outcome);
    } finally {
      running.remove(e);
      used.decrementAndGet();
      synchronized (drained) {
        drained.notifyAll();
      }
      waiter.wake();
    }
  }

  /**
   * Cleans up, counts and tells the source and observers. Each step is guarded, so a failing one (a
   * process-group record that cannot be written, an Error) keeps none of the others from running:
   * the source is told exactly once.
   */
  private void endAttempt(Execution e, Outcome outcome) {
    Job job = e.job;
    guarded(
        job,
        "ending its process groups",
        () -> {
          List<Long> own = groups.groupsOf(job.id());
          if (!own.isEmpty()) {
            groups.terminate(own, config.get().killTimeout());
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

  private static void guarded(Job job, String what, Runnable step) {
    try {
      step.run();
    } catch (Throwable t) {
      log.error("job={} failed {}: {}; carrying on", job.id(), what, t.toString(), t);
    }
  }

  private boolean retryIfAllowed(Execution e, Outcome outcome) {
    Outcome.Kind kind = outcome.kind();
    if ((kind != Outcome.Kind.FAILED && kind != Outcome.Kind.TIMED_OUT) || stopping) {
      return false;
    }
    Job job = e.job;
    if (!runners.containsKey(job.type())
        && config.get().type(job.type()).isolation() == Isolation.THREAD) {
      return false;
    }
    TypeConfig type = config.get().type(job.type());
    int max = job.maxAttempts() > 0 ? job.maxAttempts() : type.retry().maxAttempts();
    if (job.attempt() >= max) {
      return false;
    }
    Instant notBefore =
        clock.instant().plus(type.retry().delayBefore(job.attempt() + 1, random.getAsDouble()));
    boolean taken =
        FaultBoundary.call(
            e.source.pluginId(),
            "JobSource.retry for job " + job.id(),
            () -> e.source.extension().retry(job, outcome, notBefore),
            false);
    if (taken) {
      stats.retried();
    }
    return taken;
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
