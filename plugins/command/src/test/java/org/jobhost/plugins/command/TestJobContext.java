package org.jobhost.plugins.command;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jobhost.api.Job;
import org.jobhost.api.JobContext;

/**
 * Does what the host does for a job: starts children under {@code setsid} (so pid = pgid), and on a
 * timeout raises the stop flag, interrupts the runner's thread and sends TERM to the group. {@link
 * #cleanUp} kills what is left, as the host does after {@code run} returns. Thread-safe.
 */
final class TestJobContext implements JobContext {

  private final Job job;
  private final List<Process> processes = new CopyOnWriteArrayList<>();
  private final CountDownLatch started = new CountDownLatch(1);
  private volatile boolean stopRequested;
  private volatile Thread runnerThread;

  TestJobContext(Job job) {
    this.job = job;
  }

  @Override
  public Job job() {
    return job;
  }

  @Override
  public boolean stopRequested() {
    return stopRequested;
  }

  @Override
  public Instant deadline() {
    return Instant.MAX;
  }

  @Override
  public Process startProcess(ProcessBuilder builder) throws IOException {
    List<String> command = new ArrayList<>();
    command.add("setsid");
    command.addAll(builder.command());
    builder.command(command);
    runnerThread = Thread.currentThread();
    Process process = builder.start();
    processes.add(process);
    started.countDown();
    return process;
  }

  @Override
  public Duration killTimeout() {
    return Duration.ofSeconds(1);
  }

  /** Waits, bounded, until the runner started its process. */
  void awaitStarted() throws InterruptedException {
    if (!started.await(10, TimeUnit.SECONDS)) {
      throw new AssertionError("job " + job.id() + " started no process within 10s");
    }
  }

  /** The process the runner started, once it did. */
  Process process() {
    return processes.get(0);
  }

  /** As on a timeout: stop flag, interrupt, TERM to every group. */
  void timeOut() throws IOException, InterruptedException {
    stopRequested = true;
    runnerThread.interrupt();
    signalGroups("TERM");
  }

  /** Only the flag, for a runner that polls instead of reacting to interruption. */
  void requestStop() {
    stopRequested = true;
  }

  /** Kills every group this context started and waits, bounded, for the leaders. */
  void cleanUp() throws IOException, InterruptedException {
    signalGroups("KILL");
    for (Process p : processes) {
      p.waitFor(5, TimeUnit.SECONDS);
    }
  }

  private void signalGroups(String signal) throws IOException, InterruptedException {
    for (Process p : processes) {
      new ProcessBuilder("kill", "-" + signal, "--", "-" + p.pid())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start()
          .waitFor(5, TimeUnit.SECONDS);
    }
  }
}
