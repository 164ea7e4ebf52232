package org.jobhost.host.worker;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import org.jobhost.api.Job;
import org.jobhost.api.JobContext;
import org.jobhost.host.process.ProcTable;
import org.jobhost.host.process.ProcessGroups;

/**
 * The job a worker JVM runs now, and its context. {@link #stop} comes from the signal thread (TERM
 * or INT) while the job runs on the main thread: the flag and the thread are volatile, and binding
 * and stopping are synchronized so that a stop is never lost between them. Thread-safe.
 */
final class WorkerJob implements JobContext {
  final Job job;
  private final Instant deadline;
  private final Duration killTimeout;
  private final ProcessGroups groups;
  private final Consumer<Protocol.Message> send;
  private volatile boolean stop;
  private volatile Thread thread;

  /**
   * @param groups starts the job's processes, each in its own group
   * @param send tells the host of each group started
   */
  WorkerJob(Protocol.Run r, ProcessGroups groups, Consumer<Protocol.Message> send) {
    this.job = r.job();
    this.deadline =
        r.deadlineEpochMillis() == Long.MAX_VALUE
            ? Instant.MAX
            : Instant.ofEpochMilli(r.deadlineEpochMillis());
    this.killTimeout = Duration.ofMillis(r.killTimeoutMillis());
    this.groups = groups;
    this.send = send;
  }

  /** The thread that runs the job now ({@code null}: none); interrupted at once after a stop. */
  synchronized void bind(Thread t) {
    thread = t;
    if (t != null && stop) {
      t.interrupt();
    }
  }

  /** Asks the job to stop: interrupts its thread. */
  synchronized void stop() {
    stop = true;
    Thread t = thread;
    if (t != null) {
      t.interrupt();
    }
  }

  @Override
  public Job job() {
    return job;
  }

  @Override
  public boolean stopRequested() {
    return stop;
  }

  @Override
  public Instant deadline() {
    return deadline;
  }

  @Override
  public Process startProcess(ProcessBuilder builder) throws IOException {
    if (stop) {
      throw new IOException("job " + job.id() + " was asked to stop; no new process is started");
    }
    Process p = groups.start(builder, job.id());
    long ticks = new ProcTable().read(p.pid()).map(ProcTable.Entry::startTicks).orElse(0L);
    send.accept(new Protocol.Group(job.id(), p.pid(), ticks));
    return p;
  }

  @Override
  public Duration killTimeout() {
    return killTimeout;
  }
}
