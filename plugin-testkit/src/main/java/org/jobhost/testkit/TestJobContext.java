package org.jobhost.testkit;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jobhost.api.Job;
import org.jobhost.api.JobContext;

/**
 * A {@link JobContext} whose stop request the test controls: {@link #requestStop()}, or a deadline
 * that a {@link ManualClock} reaches. Child processes are started as given (without the host's
 * process-group handling) and remembered, so a test can check and end them ({@link
 * #destroyProcesses()}). Thread-safe.
 */
public final class TestJobContext implements JobContext {

  private final Job job;
  private final Clock clock;
  private final Instant deadline;
  private final Duration killTimeout;
  private final AtomicBoolean stop = new AtomicBoolean();
  private final List<Process> processes = new ArrayList<>();

  private TestJobContext(Job job, Clock clock, Instant deadline, Duration killTimeout) {
    this.job = Objects.requireNonNull(job, "job");
    this.clock = clock;
    this.deadline = deadline;
    this.killTimeout = killTimeout;
  }

  /** A context with no deadline, no clock and a kill timeout of 5 s. */
  public static TestJobContext of(Job job) {
    return new TestJobContext(job, null, Instant.MAX, Duration.ofSeconds(5));
  }

  /**
   * A context whose deadline is the job's timeout from the clock's now ({@link Instant#MAX} when
   * the job has none); {@link #stopRequested()} turns true once the clock reaches it.
   */
  public static TestJobContext of(Job job, Clock clock) {
    Instant now = clock.instant();
    Instant deadline = job.timeout() == null ? Instant.MAX : now.plus(job.timeout());
    return new TestJobContext(job, clock, deadline, Duration.ofSeconds(5));
  }

  /** The same job and clock with another deadline. */
  public TestJobContext withDeadline(Instant newDeadline) {
    return new TestJobContext(job, clock, Objects.requireNonNull(newDeadline), killTimeout);
  }

  /** The same job, clock and deadline with another kill timeout. */
  public TestJobContext withKillTimeout(Duration timeout) {
    return new TestJobContext(job, clock, deadline, Objects.requireNonNull(timeout));
  }

  /** Asks the job to stop, as a timeout or a graceful stop of the host would. */
  public void requestStop() {
    stop.set(true);
  }

  @Override
  public Job job() {
    return job;
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

  @Override
  public Instant deadline() {
    return deadline;
  }

  /** Starts the process as given and remembers it. */
  @Override
  public Process startProcess(ProcessBuilder builder) throws IOException {
    Process p = builder.start();
    synchronized (processes) {
      processes.add(p);
    }
    return p;
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

  /** Kills every process started through this context (and its descendants) that still runs. */
  public void destroyProcesses() {
    for (Process p : processes()) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
  }
}
