package org.jobhost.host.dispatch;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jobhost.api.Job;
import org.jobhost.api.JobContext;
import org.jobhost.api.JobSource;
import org.jobhost.host.plugins.Contribution;
import org.jobhost.host.process.ProcessGroups;

/** One attempt of one job, from start to its single end. Thread-safe. */
final class Execution implements JobContext {

  /** Why a job was asked to stop. */
  enum StopReason {
    NONE,
    TIMEOUT,
    SHUTDOWN,
    OPERATOR,
    /** Its plugin is being unloaded or replaced and the grace time ran out. */
    UNLOAD
  }

  final Job job;
  final Contribution<JobSource> source;
  final Duration timeout;
  final Instant startedAt;
  private final Instant deadline;
  private final ProcessGroups groups;
  private final Duration killTimeout;
  private final AtomicBoolean finished = new AtomicBoolean();
  private volatile Thread thread;
  private volatile StopReason stopReason = StopReason.NONE;
  private volatile Instant abandonAt;
  private volatile Instant killAt;
  private final AtomicBoolean killed = new AtomicBoolean();

  /**
   * @param polled the job and the source it came from
   * @param timeout the job's timeout, or {@code null} for none
   * @param startedAt when the attempt started
   * @param groups where the job's child processes are started
   * @param killTimeout how long a stopped job's process groups get before KILL
   */
  Execution(
      Polled polled,
      Duration timeout,
      Instant startedAt,
      ProcessGroups groups,
      Duration killTimeout) {
    this.job = polled.job();
    this.source = polled.source();
    this.timeout = timeout;
    this.startedAt = startedAt;
    this.deadline = timeout == null ? Instant.MAX : startedAt.plus(timeout);
    this.groups = groups;
    this.killTimeout = killTimeout;
  }

  @Override
  public Job job() {
    return job;
  }

  @Override
  public boolean stopRequested() {
    return stopReason != StopReason.NONE;
  }

  @Override
  public Instant deadline() {
    return deadline;
  }

  @Override
  public Process startProcess(ProcessBuilder builder) throws IOException {
    if (stopRequested()) {
      throw new IOException("job " + job.id() + " was asked to stop; no new process is started");
    }
    return groups.start(builder, job.id());
  }

  @Override
  public Duration killTimeout() {
    return killTimeout;
  }

  StopReason stopReason() {
    return stopReason;
  }

  /** Asks the job to stop (first reason wins); returns whether this call asked. */
  synchronized boolean requestStop(StopReason reason) {
    if (stopReason != StopReason.NONE) {
      return false;
    }
    stopReason = reason;
    return true;
  }

  /** Interrupts the runner's thread, if it runs. */
  void interrupt() {
    Thread t = thread;
    if (t != null) {
      t.interrupt();
    }
  }

  void bindThread(Thread t) {
    thread = t;
  }

  /** When the job's process groups get KILL if they are still alive (set with the stop). */
  Instant killAt() {
    return killAt;
  }

  void killAt(Instant at) {
    killAt = at;
  }

  /** Claims the one KILL of this attempt's groups; returns whether this call claimed it. */
  boolean markKilled() {
    return killed.compareAndSet(false, true);
  }

  Instant abandonAt() {
    return abandonAt;
  }

  void abandonAt(Instant at) {
    abandonAt = at;
  }

  /** Claims the single end of this attempt. */
  boolean claimEnd() {
    return finished.compareAndSet(false, true);
  }

  boolean ended() {
    return finished.get();
  }
}
