package org.jobhost.command;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jobhost.api.Job;
import org.jobhost.api.JobContext;
import org.jobhost.api.JobRunner;
import org.jobhost.api.Outcome;
import org.jobhost.api.PluginContext;
import org.jobhost.api.PluginSettings;
import org.jobhost.api.Signal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs jobs of type {@code command}: one program with its arguments ({@code argv}, no shell) or one
 * {@code /bin/sh -c} command line ({@code shell}), started through {@link JobContext#startProcess}
 * so that the host owns its process group.
 *
 * <p>Params: {@code argv} (words split with POSIX-shell quoting and no expansion) or {@code
 * argv.0}, {@code argv.1}, ... (exact), or {@code shell}; optional {@code cwd} (relative to the
 * host's home directory), {@code env.NAME}, {@code stdin}. Standard error is merged into standard
 * output; every line goes to the {@code job.output} logger at INFO with MDC {@code job} set to the
 * job id, up to {@code output_limit} bytes, and the last {@code tail_lines} lines become the
 * outcome's output.
 *
 * <p>Exit 0 is success; any other exit is FAILED with the code, and an exit status from 129 to 159
 * is reported as death by signal (status − 128), which is how Java reports a signalled child.
 *
 * <p>A stop request alone ({@link JobContext#stopRequested()} during a graceful stop) lets the
 * process finish within the grace time. When the job times out or the grace time ends, the host
 * interrupts the runner and signals the process group at the same moment; the runner then waits (up
 * to the kill timeout and two seconds more) for the process to end, so that the outcome keeps the
 * tail of its output, and the host records it TIMED_OUT or CANCELLED.
 *
 * <p>Thread-safe: jobs run concurrently; settings are one immutable value swapped atomically, and a
 * job keeps the settings it started with.
 */
public final class CommandRunner implements JobRunner {

  /** The job type this runner executes. */
  public static final String TYPE = "command";

  /**
   * How long to keep reading output after the process exited: a background child that inherited the
   * output keeps it open, and the host kills it only after {@link #run} returns.
   */
  static final Duration OUTPUT_DRAIN_TIMEOUT = Duration.ofSeconds(2);

  private static final Logger log = LoggerFactory.getLogger(CommandRunner.class);

  private final Duration drainTimeout;
  private volatile CommandSettings settings = CommandSettings.DEFAULTS;
  private volatile Path home;

  /** The runner the host creates. */
  public CommandRunner() {
    this(OUTPUT_DRAIN_TIMEOUT);
  }

  CommandRunner(Duration drainTimeout) {
    this.drainTimeout = drainTimeout;
  }

  @Override
  public void init(PluginContext context) {
    home = context.homeDirectory();
    apply(CommandSettings.from(context.settings()));
  }

  @Override
  public void settingsChanged(PluginSettings newSettings) {
    apply(CommandSettings.from(newSettings));
  }

  private void apply(CommandSettings next) {
    settings = next;
    log.info("plugin=command settings: {}", next);
  }

  @Override
  public Set<String> types() {
    return Set.of(TYPE);
  }

  @Override
  public Outcome run(Job job, JobContext context) throws Exception {
    CommandSettings limits = settings;
    CommandSpec spec;
    ProcessBuilder builder;
    try {
      spec = CommandSpec.parse(job);
      builder = spec.processBuilder(home);
    } catch (InvalidParamsException e) {
      return Outcome.failed(e.getMessage());
    }
    Process process;
    try {
      process = context.startProcess(builder);
    } catch (IOException e) {
      return Outcome.failed(
          "job " + job.id() + ": cannot start program " + spec.program() + ": " + e.getMessage());
    }
    log.debug("job={} type=command started pid={} {}", job.id(), process.pid(), spec.command());
    OutputPump pump =
        new OutputPump(
            process.getInputStream(), job.id(), limits.outputLimit(), limits.tailLines());
    start(pump, "command-output-" + job.id());
    if (spec.stdin() != null) {
      byte[] stdin = spec.stdin().getBytes(UTF_8);
      start(() -> write(process.getOutputStream(), stdin, job.id()), "command-stdin-" + job.id());
    }
    int status = awaitExit(process, job, context);
    // The process has exited: its outcome is known. A stop that arrives now (an interrupt that
    // lost the race with the TERM that ended the process) must not throw that outcome and the
    // output read so far away, so the drain is waited for whatever interrupts, and the interrupt is
    // kept for the caller.
    boolean interrupted = false;
    boolean drained;
    try {
      drained = pump.awaitEnd(drainTimeout);
    } catch (InterruptedException e) {
      interrupted = true;
      drained = pump.awaitEndUninterruptibly(drainTimeout);
    }
    if (!drained) {
      log.info(
          "job={} type=command the process exited but its output is still open after {} ms"
              + " (a background child holds it); ending the job without the rest",
          job.id(),
          drainTimeout.toMillis());
    }
    Outcome outcome = outcome(status, pump.tail());
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return outcome;
  }

  /**
   * Waits for the exit. On interruption (the host has signalled the process group), waits a while
   * longer for the process to end so its output tail is kept; the host turns the outcome into
   * TIMED_OUT or CANCELLED.
   */
  private static int awaitExit(Process process, Job job, JobContext context)
      throws InterruptedException {
    try {
      return process.waitFor();
    } catch (InterruptedException e) {
      long millis = context.killTimeout().plusSeconds(2).toMillis();
      if (process.waitFor(millis, TimeUnit.MILLISECONDS)) {
        return process.exitValue();
      }
      throw stopped(job);
    }
  }

  private static InterruptedException stopped(Job job) {
    return new InterruptedException("job " + job.id() + ": stop requested");
  }

  static Outcome outcome(int status, String tail) {
    if (status == 0) {
      return Outcome.succeeded(tail);
    }
    Signal s = Signal.ofExitStatus(status);
    if (s != null) {
      return Outcome.failed("killed by signal " + s.name() + " (" + s.number() + ")", status, tail);
    }
    return Outcome.failed("exited with code " + status, status, tail);
  }

  private static void start(Runnable task, String name) {
    Thread thread = new Thread(task, name);
    thread.setDaemon(true);
    thread.start();
  }

  private static void write(OutputStream stdin, byte[] text, String jobId) {
    try (OutputStream out = stdin) {
      out.write(text);
    } catch (IOException e) {
      log.debug("job={} type=command the process closed stdin before reading it all: {}", jobId, e);
    }
  }
}
