package org.jobhost.host.worker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import org.jobhost.api.Job;
import org.jobhost.api.JobContext;
import org.jobhost.api.Outcome;
import org.jobhost.api.Sizes;
import org.jobhost.host.config.Backoff;
import org.jobhost.host.config.Config;
import org.jobhost.host.config.JavaRuntime;
import org.jobhost.host.config.WorkerConfig;
import org.jobhost.host.dispatch.IsolatedRunner;
import org.jobhost.host.process.ProcessGroups;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pool of worker JVMs that run jobs of types with {@code isolation = "process"}. A job takes an
 * idle worker or starts one (started on demand, kept warm); while it runs, the worker's process
 * group counts as the job's, so the dispatcher's timeout and stop logic (TERM, KILL after
 * kill_timeout) reach it. A worker is recycled after about {@code workers.max_jobs} jobs (with
 * jitter) or when its resident memory passes {@code workers.max_memory}, and replaced when it dies;
 * a job whose worker dies ends FAILED with the exit status or signal. Workers that die at start
 * make the pool back off (exponentially, capped, with jitter) instead of spinning.
 *
 * <p>A recycled worker's replacement starts in the background before it retires: when a worker has
 * run all but {@link #PRESTART_SHARE} of its jobs, a short-lived {@code worker-spare} thread starts
 * a spare JVM, which takes the next job once the old worker has retired. A slot that finds no idle
 * worker while a spare is starting waits for that spare instead of starting another JVM.
 *
 * <p>The command line of a worker is built by {@link WorkerCommand}. The rest runs past 350 lines
 * because taking, returning, recycling and pre-starting a worker all change the same idle, spare
 * and starting sets under one lock, and the start back-off gates them all.
 *
 * <p>Thread-safe: {@link #run} is called from the dispatcher's worker slots concurrently.
 */
public final class WorkerPool implements IsolatedRunner, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(WorkerPool.class);

  /** The main class of a worker JVM. */
  public static final String MAIN = WorkerMain.class.getName();

  static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
  static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
  private static final Backoff START_BACKOFF = new Backoff(FIRST_BACKOFF, MAX_BACKOFF, 0.2);
  private static final double RECYCLE_JITTER = 0.2;

  /** The share of a worker's jobs left when its replacement starts. */
  static final double PRESTART_SHARE = 0.2;

  private static final Duration BACKOFF_POLL = Duration.ofMillis(100);
  // Reading /proc after every job would cost more than a no-op job; memory grows slower than this.
  private static final Duration MEMORY_CHECK = Duration.ofMillis(500);

  private final WorkerCounts counts = new WorkerCounts();
  private final Supplier<Config> config;
  private final ProcessGroups groups;
  private final JavaRuntime runtime;
  private final WorkerCommand command;
  private final DoubleSupplier random;
  private final Deque<Worker> idle = new ArrayDeque<>();

  /** Replacements started ahead, ready; guarded by {@code idle}. */
  private final Deque<Worker> spares = new ArrayDeque<>();

  /** Replacements still starting; guarded by {@code idle}. */
  private int sparesStarting;

  /** Workers whose replacement was started already. */
  private final Set<Worker> replaced = ConcurrentHashMap.newKeySet();

  private final Set<Worker> all = ConcurrentHashMap.newKeySet();
  private final Set<Worker> stale = ConcurrentHashMap.newKeySet();
  private volatile String staleWhy = "";
  private final AtomicInteger seq = new AtomicInteger();
  private final AtomicInteger failuresInRow = new AtomicInteger();
  private volatile long nextStartNanos;
  private volatile boolean backingOff;
  private volatile boolean closed;

  /**
   * @param config the current configuration
   * @param groups the host's process groups (each worker leads one)
   * @param runtime the java binary and class path to start workers with
   * @param configFile the configuration file the host read, or {@code null}
   * @param overrides the host's {@code --set key=value} overrides
   * @param random numbers in [0, 1) for jitter
   */
  public WorkerPool(
      Supplier<Config> config,
      ProcessGroups groups,
      JavaRuntime runtime,
      Path configFile,
      List<String> overrides,
      DoubleSupplier random) {
    this.config = config;
    this.groups = groups;
    this.runtime = runtime;
    this.command = new WorkerCommand(runtime, new HostArgs(configFile, overrides).toArgs());
    this.random = random;
  }

  @Override
  public Outcome run(Job job, JobContext ctx) throws InterruptedException {
    Worker w;
    try {
      w = acquire(ctx);
    } catch (WorkerStartException e) {
      return Outcome.failed(
          "job " + job.id() + ": no worker JVM could be started: " + e.getMessage());
    }
    if (w == null) {
      return Outcome.cancelled("the job was asked to stop before a worker JVM was ready");
    }
    groups.assign(w.pid, job.id());
    Outcome outcome;
    try {
      outcome = w.run(job, ctx);
    } finally {
      groups.assign(w.pid, w.name);
    }
    if (!closed && !w.alive()) {
      counts.died(ctx.stopRequested());
    }
    release(w);
    return outcome;
  }

  /** What happened to worker JVMs so far (for metrics). */
  public WorkerCounts counts() {
    return counts;
  }

  /**
   * Retires every worker JVM: idle ones now, busy ones after their current job; the next job starts
   * a new one, which loads the plugins as they are now.
   */
  public void recycleAll(String why) {
    staleWhy = why;
    stale.addAll(all);
    List<Worker> idleNow;
    synchronized (idle) {
      idleNow = new ArrayList<>(idle);
      idle.clear();
      // Replacements started ahead loaded the old plugin set too: none may take a job.
      idleNow.addAll(spares);
      spares.clear();
    }
    for (Worker w : idleNow) {
      release(w);
    }
  }

  /** Workers alive now (idle and busy). */
  public int size() {
    return all.size();
  }

  /** Ends every worker: closes their input, waits up to 2 s, then KILLs what is left. */
  @Override
  public void close() {
    closed = true;
    List<Worker> ws = new ArrayList<>(all);
    synchronized (idle) {
      idle.clear();
      spares.clear();
      idle.notifyAll();
    }
    for (Worker w : ws) {
      w.retire();
    }
    long end = System.nanoTime() + Duration.ofSeconds(2).toNanos();
    // A replacement still starting ends at once: its input is closed above, or it sees closed.
    awaitSpareStarts(end);
    for (Worker w : all) {
      if (!ws.contains(w)) {
        w.retire();
        ws.add(w);
      }
    }
    for (Worker w : ws) {
      try {
        long left = Math.max(1, (end - System.nanoTime()) / 1_000_000);
        if (!w.awaitExit(Duration.ofMillis(left))) {
          log.warn("worker={} pid={} did not exit at stop; sending KILL", w.name, w.pid);
          w.kill();
        }
        w.discardStderr();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        w.kill();
      }
    }
    if (!ws.isEmpty()) {
      log.info("stopped {} worker JVMs", ws.size());
    }
  }

  /** Waits until no replacement is starting, or until {@code endNanos}. */
  private void awaitSpareStarts(long endNanos) {
    synchronized (idle) {
      while (sparesStarting > 0) {
        long left = (endNanos - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
          return;
        }
        try {
          idle.wait(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private Worker acquire(JobContext ctx) throws InterruptedException {
    synchronized (idle) {
      while (true) {
        Worker w = idle.isEmpty() ? spares.pollFirst() : idle.pop();
        if (w != null) {
          if (w.alive()) {
            return w;
          }
          counts.crashed();
          continue;
        }
        if (sparesStarting == 0 || closed) {
          break;
        }
        if (ctx.stopRequested()) {
          return null;
        }
        idle.wait(BACKOFF_POLL.toMillis());
      }
    }
    if (closed) {
      throw new WorkerStartException("the host is stopping");
    }
    while (backingOff && System.nanoTime() - nextStartNanos < 0) {
      if (ctx.stopRequested()) {
        return null;
      }
      long left = (nextStartNanos - System.nanoTime()) / 1_000_000;
      Thread.sleep(Math.max(1, Math.min(left, BACKOFF_POLL.toMillis())));
    }
    return start();
  }

  private void release(Worker w) {
    WorkerConfig wc = config.get().workers();
    String why = null;
    if (!w.alive()) {
      all.remove(w);
      stale.remove(w);
      return;
    }
    if (closed) {
      why = "";
    } else if (stale.remove(w)) {
      why = "because " + staleWhy;
    } else if (w.jobs() >= w.recycleAfter) {
      why = "after " + w.jobs() + " jobs (workers.max_jobs = " + wc.maxJobs() + ", with jitter)";
    } else if (w.memoryCheckDue(System.nanoTime(), MEMORY_CHECK.toNanos())) {
      long rss = rss(w.pid);
      if (rss > wc.maxMemory()) {
        why =
            "its resident memory "
                + Sizes.format(rss)
                + " passes workers.max_memory = "
                + Sizes.format(wc.maxMemory());
      }
    }
    if (why != null) {
      if (!why.isEmpty()) {
        counts.recycled();
        log.info("worker={} pid={} recycled {}", w.name, w.pid, why);
        startReplacement(w);
      }
      all.remove(w);
      stale.remove(w);
      replaced.remove(w);
      w.retire();
      return;
    }
    if (w.jobs() >= w.recycleAfter - Math.max(1, (int) (w.recycleAfter * PRESTART_SHARE))) {
      startReplacement(w);
    }
    synchronized (idle) {
      idle.push(w);
    }
  }

  /** Starts, once per worker, its replacement on a short-lived thread. */
  private void startReplacement(Worker old) {
    if (closed || backingOff || !replaced.add(old)) {
      return;
    }
    synchronized (idle) {
      sparesStarting++;
    }
    Thread t =
        new Thread(
            () -> {
              Worker spare = null;
              boolean outdated = false;
              try {
                spare = start();
              } catch (WorkerStartException e) {
                log.debug("worker={} replacement did not start: {}", old.name, e.getMessage());
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } finally {
                synchronized (idle) {
                  sparesStarting--;
                  outdated = spare != null && stale.contains(spare);
                  if (spare != null && !closed && !outdated) {
                    spares.addLast(spare);
                  }
                  idle.notifyAll();
                }
              }
              if (spare != null && closed) {
                spare.retire(); // close() waits for it to exit
              } else if (outdated) {
                release(spare); // started before recycleAll: retired, replaced with a current one
              }
            },
            "worker-spare");
    t.setDaemon(true);
    t.start();
  }

  /** Replacements started ahead and not taken yet (for tests). */
  int spares() {
    synchronized (idle) {
      return spares.size();
    }
  }

  private Worker start() throws InterruptedException {
    Config cfg = config.get();
    WorkerConfig wc = cfg.workers();
    String name = "worker-" + seq.incrementAndGet();
    Path dir = cfg.dirs().state().resolve("workers");
    Path stderr = dir.resolve(name + ".stderr");
    if (closed) {
      throw new WorkerStartException("the host is stopping");
    }
    ProcessBuilder b = new ProcessBuilder(command(cfg, dir));
    b.redirectError(stderr.toFile());
    Process p;
    try {
      Files.createDirectories(dir);
      p = groups.start(b, name);
    } catch (IOException e) {
      throw startFailed(
          "cannot start " + runtime.javaCommand() + ": " + e.getMessage() + "; check the JDK");
    }
    int max = wc.maxJobs();
    int recycleAfter =
        Math.max(1, (int) Math.round(max * (1 - RECYCLE_JITTER * random.getAsDouble())));
    Worker w = new Worker(name, p, groups, stderr, recycleAfter);
    all.add(w);
    long t0 = System.nanoTime();
    try {
      Protocol.Ready r = w.awaitReady(wc.startTimeout());
      counts.started();
      int failed = failuresInRow.getAndSet(0);
      backingOff = false;
      if (failed > 0) {
        log.info("worker JVMs start again after {} failed starts", failed);
      }
      log.info(
          "worker={} pid={} ready in {} ms (types {}, recycled after {} jobs)",
          name,
          w.pid,
          (System.nanoTime() - t0) / 1_000_000,
          r.types(),
          recycleAfter);
      return w;
    } catch (WorkerStartException e) {
      all.remove(w);
      if (closed) {
        // Retired by close() while starting: no failure, but gone before close() returns.
        w.kill();
        w.awaitExit(Duration.ofSeconds(2));
        throw new WorkerStartException("the host is stopping");
      }
      counts.failedStart();
      throw startFailed(e.getMessage());
    } catch (InterruptedException e) {
      all.remove(w);
      w.kill();
      throw e;
    }
  }

  private WorkerStartException startFailed(String reason) {
    int n = failuresInRow.incrementAndGet();
    long delay = START_BACKOFF.after(n, random.getAsDouble()).toMillis();
    nextStartNanos = System.nanoTime() + delay * 1_000_000;
    backingOff = true;
    log.warn(
        "worker JVM failed to start ({} in a row): {}; backing off {} ms before the next start"
            + " (check workers.java_opts and the plugins)",
        n,
        reason,
        delay);
    return new WorkerStartException(reason);
  }

  /** The command line of a worker JVM. */
  List<String> command(Config cfg, Path dir) {
    return command.build(cfg, dir);
  }

  /** Resident memory of {@code pid} in bytes, from /proc; 0 when unknown. */
  static long rss(long pid) {
    try {
      for (String line :
          Files.readAllLines(
              Path.of("/proc", Long.toString(pid), "status"), StandardCharsets.UTF_8)) {
        if (line.startsWith("VmRSS:")) {
          String[] f = line.substring(6).trim().split("\\s+");
          return Long.parseLong(f[0]) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return 0;
    }
    return 0;
  }
}
