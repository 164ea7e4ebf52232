package org.jobhost.api;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;

/**
 * What a runner knows about the job it runs, and how it asks the host for child processes. One
 * context per job attempt; thread-safe.
 */
public interface JobContext {

  /** The job being run. */
  Job job();

  /** Which attempt this is, from 1. */
  default int attempt() {
    return job().attempt();
  }

  /**
   * Whether the job should stop now: its timeout passed or the host is stopping. The runner's
   * thread is interrupted at the same moment; a runner that polls this flag instead also works.
   */
  boolean stopRequested();

  /** When the job's timeout runs out; {@link Instant#MAX} when it has none. */
  Instant deadline();

  /**
   * Starts a child process for this job, as the leader of a new process group (its pid is its group
   * id). The host owns that group: it signals the whole group with TERM, then KILL after the kill
   * timeout, when the job times out or the host stops, forwards the configured signals to it,
   * records it so that a later start can clean it up if the host was killed, and makes sure no
   * member outlives the job: when {@link JobRunner#run} returns, what is left of the group gets
   * TERM and then KILL. No file descriptor of the host leaks into the child.
   *
   * <p>The runner reads the process's output and waits for it with the usual {@link Process}
   * methods.
   *
   * @throws IOException when the program cannot be started (the message names it), or when the job
   *     was already asked to stop ({@link #stopRequested()}): no new process is started then
   */
  Process startProcess(ProcessBuilder builder) throws IOException;

  /**
   * How long a process group may ignore TERM before it gets KILL (the {@code kill_timeout}
   * setting).
   */
  Duration killTimeout();
}
