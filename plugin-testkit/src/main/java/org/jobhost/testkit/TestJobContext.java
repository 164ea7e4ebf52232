package org.jobhost.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jobhost.api.Job;
import org.jobhost.api.JobContext;
import org.jobhost.binding.GroupLeader;

/**
 * A {@link JobContext} whose stop request the test controls: {@link #requestStop()}, {@link
 * #stopNow()}, or a deadline that a {@link ManualClock} reaches. Child processes are started as
 * given, or each in a process group of its own as the host starts them ({@link
 * #withProcessGroups()}), and remembered, so a test can wait for them ({@link
 * #awaitProcessStarted}), check them and end them ({@link #destroyProcesses()}). Thread-safe.
 */
public final class TestJobContext implements JobContext {

  private final Job job;
  private final Clock clock;
  private final Instant deadline;
  private final Duration killTimeout;
  private final boolean processGroups;
  private final AtomicBoolean stop = new AtomicBoolean();
  private final List<Process> processes = new ArrayList<>();
  private final CountDownLatch started = new CountDownLatch(1);
  private volatile Thread runnerThread;

  private TestJobContext(
      Job job, Clock clock, Instant deadline, Duration killTimeout, boolean processGroups) {
    this.job = Objects.requireNonNull(job, "job");
    this.clock = clock;
    this.deadline = deadline;
    this.killTimeout = killTimeout;
    this.processGroups = processGroups;
  }

  /** A context with no deadline, no clock and a kill timeout of 5 s. */
  public static TestJobContext of(Job job) {
    return new TestJobContext(job, null, Instant.MAX, Duration.ofSeconds(5), false);
  }

  /**
   * A context whose deadline is the job's timeout from the clock's now ({@link Instant#MAX} when
   * the job has none); {@link #stopRequested()} turns true once the clock reaches it.
   */
  public static TestJobContext of(Job job, Clock clock) {
    Instant now = clock.instant();
    Instant deadline = job.timeout() == null ? Instant.MAX : now.plus(job.timeout());
    return new TestJobContext(job, clock, deadline, Duration.ofSeconds(5), false);
  }

  /** The same job and clock with another deadline. */
  public TestJobContext withDeadline(Instant newDeadline) {
    return new TestJobContext(
        job, clock, Objects.requireNonNull(newDeadline), killTimeout, processGroups);
  }

  /** The same job, clock and deadline with another kill timeout. */
  public TestJobContext withKillTimeout(Duration timeout) {
    return new TestJobContext(job, clock, deadline, Objects.requireNonNull(timeout), processGroups);
  }

  /**
   * The same job, clock and deadline, with every child started as the host starts it: under {@code
   * setsid}, so that it leads a process group of its own (its pid is the group id) and {@link
   * #stopNow()} and {@link #destroyProcesses()} reach its descendants too. Needs the {@code setsid}
   * and {@code kill} programs (util-linux, procps), as the host does.
   */
  public TestJobContext withProcessGroups() {
    return new TestJobContext(job, clock, deadline, killTimeout, true);
  }

  /**
   * Asks the job to stop, as a graceful stop of the host does: only {@link #stopRequested()} turns
   * true; a runner that does not look at it is left to finish.
   */
  public void requestStop() {
    stop.set(true);
  }

  /**
   * Stops the job as the host does when its deadline passes or the host stops at once: raises the
   * stop flag, interrupts the thread that runs the job (the one that started its first process),
   * and sends TERM, then CONT, to its process groups (with {@link #withProcessGroups()}; else TERM
   * to each process). KILL, which the host sends {@link #killTimeout()} later, is left to {@link
   * #destroyProcesses()}.
   */
  public void stopNow() {
    stop.set(true);
    Thread t = runnerThread;
    if (t != null) {
      t.interrupt();
    }
    if (processGroups) {
      signalGroups("TERM");
      signalGroups("CONT");
    } else {
      processes().forEach(Process::destroy);
    }
  }

  /**
   * Waits until the job started its first process.
   *
   * @throws AssertionError when it did not within {@code max}
   * @throws InterruptedException when the test's thread is interrupted meanwhile
   */
  public Process awaitProcessStarted(Duration max) throws InterruptedException {
    if (!started.await(max.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("job " + job.id() + " started no process within " + max);
    }
    return processes().get(0);
  }

  @Override
  public Job job() {
    return job;
  }

  @Override
  public Instant deadline() {
    return deadline;
  }

  /** True after {@link #requestStop()}, or once the clock (if any) reached the deadline. */
  @Override
  public boolean stopRequested() {
    return stop.get() || deadlinePassed();
  }

  /** Whether the clock (if any) reached the deadline: a stop then means TIMED_OUT. */
  boolean deadlinePassed() {
    return clock != null && !clock.instant().isBefore(deadline);
  }

  /**
   * Starts the process (under {@code setsid} with {@link #withProcessGroups()}) and remembers it
   * and the calling thread, which {@link #stopNow()} interrupts. Once a stop was requested it
   * starts none and throws, as the host does.
   */
  @Override
  public Process startProcess(ProcessBuilder builder) throws IOException {
    if (stopRequested()) {
      throw new IOException("job " + job.id() + " was asked to stop; no new process is started");
    }
    if (processGroups) {
      List<String> command = new ArrayList<>();
      command.add("setsid");
      command.addAll(builder.command());
      builder.command(command);
    }
    runnerThread = Thread.currentThread();
    Process p = builder.start();
    if (processGroups) {
      awaitLeader(p);
    }
    synchronized (processes) {
      processes.add(p);
    }
    started.countDown();
    return p;
  }

  /**
   * Waits (at most 5 s) until {@code setsid} has made the child the leader of its group, as the
   * host does: a stop sent before then would find no group and miss the child.
   */
  private static void awaitLeader(Process p) {
    GroupLeader.await(p, Duration.ofSeconds(5), TestJobContext::groupOf);
  }

  /** The process group of {@code pid} from {@code /proc}, or {@code pid} when it cannot be read. */
  private static long groupOf(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // after "pid (command) ": state ppid pgrp ...
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(f[2]);
    } catch (IOException | RuntimeException e) {
      return pid;
    }
  }

  @Override
  public Duration killTimeout() {
    return killTimeout;
  }

  /** The processes started through this context, in order. */
  public List<Process> processes() {
    synchronized (processes) {
      return List.copyOf(processes);
    }
  }

  /**
   * Kills every process started through this context that still runs, with its descendants (with
   * {@link #withProcessGroups()}: its whole process group, also what left the tree), and waits up
   * to 5 s for each to end.
   */
  public void destroyProcesses() {
    if (processGroups) {
      signalGroups("KILL");
    }
    for (Process p : processes()) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      try {
        p.waitFor(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Sends {@code signal} to the group each process leads, with the {@code kill} program. */
  private void signalGroups(String signal) {
    for (Process p : processes()) {
      try {
        new ProcessBuilder("kill", "-" + signal, "--", "-" + p.pid())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start()
            .waitFor(5, TimeUnit.SECONDS);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot run kill -" + signal + " for job " + job.id(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
