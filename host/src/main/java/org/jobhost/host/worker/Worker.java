package org.jobhost.host.worker;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jobhost.api.Job;
import org.jobhost.api.JobContext;
import org.jobhost.api.Outcome;
import org.jobhost.api.Signal;
import org.jobhost.host.process.ProcessGroups;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.event.Level;

/**
 * The host's handle on one worker JVM: its process (leader of its own group), the pipe to its
 * stdin, and its one watcher thread, which reads the worker's frames and notices its death. Runs
 * one job at a time. Thread-safe.
 *
 * <p>It runs a little past 350 lines because a job's run, the watcher's reading of frames and the
 * worker's death meet in one place: whichever comes first decides the job's outcome exactly once.
 */
final class Worker {

  private static final Logger log = LoggerFactory.getLogger(Worker.class);
  private static final Logger output = LoggerFactory.getLogger("job.output");
  private static final Duration STOP_POLL = Duration.ofMillis(50);
  private static final Duration REAP = Duration.ofSeconds(2);

  /** A job in flight. */
  private record Pending(String jobId, CompletableFuture<Outcome> outcome) {}

  final String name;
  final long pid;
  final int recycleAfter;
  private final Process process;
  private final ProcessGroups groups;
  private final Path stderrFile;
  private final OutputStream toWorker;
  private final Object writeLock = new Object();
  private final CompletableFuture<Protocol.Ready> ready = new CompletableFuture<>();
  private final CompletableFuture<String> death = new CompletableFuture<>();
  private volatile Pending pending;
  private volatile boolean retiring;
  private int jobs;
  private long lastMemoryCheck = System.nanoTime();

  Worker(String name, Process process, ProcessGroups groups, Path stderrFile, int recycleAfter) {
    this.name = name;
    this.process = process;
    this.pid = process.pid();
    this.groups = groups;
    this.stderrFile = stderrFile;
    this.recycleAfter = recycleAfter;
    this.toWorker = new BufferedOutputStream(process.getOutputStream(), 1 << 16);
    Thread t = new Thread(this::readLoop, "jobhost-" + name + "-watch");
    t.setDaemon(true);
    t.start();
  }

  /**
   * Waits until the worker said READY.
   *
   * @throws WorkerStartException when it died first or took longer than {@code timeout}
   */
  Protocol.Ready awaitReady(Duration timeout) throws InterruptedException {
    try {
      return ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new WorkerStartException(e.getCause().getMessage());
    } catch (TimeoutException e) {
      kill();
      throw new WorkerStartException(
          "worker JVM pid "
              + pid
              + " did not become ready within workers.start_timeout "
              + timeout.toMillis()
              + " ms; it was killed. Raise workers.start_timeout or check the plugins' init");
    }
  }

  /** Runs one job to its end; asks the worker to stop it when the job's stop is requested. */
  Outcome run(Job job, JobContext ctx) throws InterruptedException {
    CompletableFuture<Outcome> f = new CompletableFuture<>();
    pending = new Pending(job.id(), f);
    jobs++;
    if (death.isDone()) {
      f.complete(diedWhile(job.id(), death.getNow("")));
    }
    Instant deadline = ctx.deadline();
    long deadlineMs = deadline.equals(Instant.MAX) ? Long.MAX_VALUE : deadline.toEpochMilli();
    if (!send(new Protocol.Run(job, deadlineMs, ctx.killTimeout().toMillis()))) {
      return awaitDeath(job.id(), f);
    }
    boolean interrupted = false;
    try {
      while (true) {
        if (ctx.stopRequested() || interrupted) {
          // Repeated while the job runs: a TERM that reaches the worker before it read the RUN
          // frame finds no job to stop and is ignored.
          askToStop();
        }
        try {
          return f.get(STOP_POLL.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
          // look at stopRequested again
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          return Outcome.failed("worker " + name + ": " + e.getCause());
        }
      }
    } finally {
      pending = null;
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private Outcome awaitDeath(String jobId, CompletableFuture<Outcome> f) {
    try {
      return f.get(REAP.toMillis() * 2, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // fall through
    }
    kill();
    return Outcome.failed(
        "worker JVM pid " + pid + " stopped reading its input before job " + jobId + " started");
  }

  /** Whether the worker's memory should be looked at now (at most once per {@code every}). */
  boolean memoryCheckDue(long now, long every) {
    if (now - lastMemoryCheck < every) {
      return false;
    }
    lastMemoryCheck = now;
    return true;
  }

  /** Jobs run so far. */
  int jobs() {
    return jobs;
  }

  boolean alive() {
    return !death.isDone() && process.isAlive();
  }

  /** Lets the worker end after its current job: closes its input (it exits at end of input). */
  void retire() {
    retiring = true;
    synchronized (writeLock) {
      try {
        toWorker.close();
      } catch (IOException e) {
        // already gone
      }
    }
  }

  /** The worker runs the job on the thread that reads its input: TERM interrupts the job. */
  private void askToStop() {
    groups.signal(java.util.List.of(pid), Signal.TERM);
  }

  /** KILL to the worker's group. */
  void kill() {
    groups.signal(java.util.List.of(pid), Signal.KILL);
  }

  /** Waits up to {@code max} for the worker to be gone. */
  boolean awaitExit(Duration max) throws InterruptedException {
    return process.waitFor(max.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Deletes the file that holds the worker's stderr (at stop; its watcher may not get to it). */
  void discardStderr() {
    try {
      if (stderrFile != null) {
        Files.deleteIfExists(stderrFile);
      }
    } catch (IOException e) {
      log.debug("cannot delete {}: {}", stderrFile, e.toString());
    }
  }

  /** The reason the worker died, once it did. */
  CompletableFuture<String> death() {
    return death;
  }

  private boolean send(Protocol.Message m) {
    synchronized (writeLock) {
      try {
        Protocol.write(toWorker, m);
        return true;
      } catch (IOException e) {
        return false;
      }
    }
  }

  private void readLoop() {
    String problem = null;
    try (DataInputStream in =
        new DataInputStream(new java.io.BufferedInputStream(process.getInputStream(), 1 << 16))) {
      while (true) {
        handle(Protocol.read(in));
      }
    } catch (EOFException e) {
      // the worker closed its output: it is exiting
    } catch (IOException | RuntimeException e) {
      problem = e.toString();
      log.error("worker={} pid={} sent something unreadable ({}); killing it", name, pid, problem);
      kill();
    }
    String reason = reap(problem);
    death.complete(reason);
    ready.completeExceptionally(new WorkerStartException("worker JVM pid " + pid + " " + reason));
    Pending p = pending;
    if (p != null) {
      p.outcome.complete(diedWhile(p.jobId, reason));
    }
  }

  private Outcome diedWhile(String jobId, String reason) {
    log.warn("worker={} pid={} died while running job={}: {}", name, pid, jobId, reason);
    return Outcome.failed(
        "the worker JVM (pid "
            + pid
            + ") running job "
            + jobId
            + " "
            + reason
            + "; the worker is replaced");
  }

  /** Waits for the process to end and describes how it ended. */
  private String reap(String problem) {
    boolean ended;
    try {
      ended = process.waitFor(REAP.toMillis(), TimeUnit.MILLISECONDS);
      if (!ended) {
        kill();
        ended = process.waitFor(REAP.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ended = false;
    }
    groups.release(pid);
    String tail = stderrTail();
    String how;
    if (!ended) {
      how = "did not exit after KILL";
    } else {
      how = describeExit(process.exitValue());
    }
    if (problem != null) {
      how = how + " after a protocol error (" + problem + ")";
    }
    if (!tail.isEmpty()) {
      how = how + "; its stderr: " + tail;
    }
    if (retiring && ended && process.exitValue() == 0) {
      log.debug("worker={} pid={} exited after it was retired", name, pid);
    } else if (!retiring) {
      log.debug("worker={} pid={} {}", name, pid, how);
    }
    return how;
  }

  /** "exited with status 3" or "was killed by SIGKILL (exit status 137)". */
  static String describeExit(int status) {
    Signal s = Signal.ofExitStatus(status);
    return s != null
        ? "was killed by " + s.fullName() + " (exit status " + status + ")"
        : "exited with status " + status;
  }

  private String stderrTail() {
    if (stderrFile == null) {
      return "";
    }
    try {
      if (!Files.isRegularFile(stderrFile)) {
        return "";
      }
      byte[] all = Files.readAllBytes(stderrFile);
      Files.deleteIfExists(stderrFile);
      int from = Math.max(0, all.length - 2000);
      String s = new String(all, from, all.length - from, StandardCharsets.UTF_8).strip();
      return s.replace('\n', ' ').replaceAll("\\s+", " ");
    } catch (IOException e) {
      return "";
    }
  }

  private void handle(Protocol.Message m) {
    switch (m.kind()) {
      case READY:
        ready.complete((Protocol.Ready) m);
        break;
      case DONE:
        {
          Protocol.Done d = (Protocol.Done) m;
          Pending p = pending;
          if (p != null && p.jobId.equals(d.jobId())) {
            p.outcome.complete(d.outcome());
          } else {
            log.warn(
                "worker={} pid={} reported job={} that it was not running", name, pid, d.jobId());
          }
          break;
        }
      case GROUP:
        {
          Protocol.Group g = (Protocol.Group) m;
          groups.adopt(g.pgid(), g.jobId(), g.ticks());
          break;
        }
      case LOG:
        logLine((Protocol.Log) m);
        break;
      default:
        log.warn("worker={} pid={} sent an unexpected {} frame; ignored", name, pid, m.kind());
    }
  }

  /**
   * Logger names seen from workers, bounded: logback keeps every logger it creates for the life of
   * the host, so names past {@link #MAX_WORKER_LOGGERS} share one logger.
   */
  private static final java.util.Set<String> WORKER_LOGGERS =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  static final int MAX_WORKER_LOGGERS = 1000;

  static String loggerName(String wanted) {
    if (WORKER_LOGGERS.contains(wanted)) {
      return wanted;
    }
    if (WORKER_LOGGERS.size() < MAX_WORKER_LOGGERS) {
      WORKER_LOGGERS.add(wanted);
      return wanted;
    }
    return "worker.other";
  }

  private void logLine(Protocol.Log l) {
    boolean printed = l.logger().equals("stdout") || l.logger().equals("stderr");
    Logger target = printed ? output : LoggerFactory.getLogger(loggerName(l.logger()));
    Level level;
    try {
      level = Level.valueOf(l.level());
    } catch (IllegalArgumentException e) {
      level = Level.INFO;
    }
    if (!l.jobId().isEmpty()) {
      MDC.put(Job.MDC_KEY, l.jobId());
    }
    try {
      target.atLevel(level).log("worker={} pid={} {}", name, pid, l.message());
    } finally {
      MDC.remove(Job.MDC_KEY);
    }
  }
}
