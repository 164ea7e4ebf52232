package org.jobhost.host.worker;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jobhost.api.Job;
import org.jobhost.api.JobRunner;
import org.jobhost.api.Outcome;
import org.jobhost.api.Signal;
import org.jobhost.host.DefaultPluginContext;
import org.jobhost.host.config.Config;
import org.jobhost.host.config.ConfigLoader;
import org.jobhost.host.plugins.Contribution;
import org.jobhost.host.plugins.FaultBoundary;
import org.jobhost.host.plugins.Plugins;
import org.jobhost.host.process.Posix;
import org.jobhost.host.process.ProcTable;
import org.jobhost.host.process.ProcessGroups;
import org.jobhost.host.signal.BuiltInSignal;
import org.jobhost.host.signal.SignalBridge;
import org.slf4j.MDC;

/**
 * The {@code main} of a worker JVM: loads the same plugins as the host (same configuration), then
 * runs one job at a time, on its main thread, as the host asks over stdin, answering on stdout
 * ({@link Protocol}). Everything the worker logs or prints goes to the host as LOG frames, never
 * raw to stdout. The worker exits when its stdin ends or its parent is gone (within 250 ms), first
 * ending the process groups its job started. TERM or INT asks the running job to stop (interrupts
 * it): the host sends TERM when the job's stop is requested, and its timeout and stop logic signal
 * the worker's group. Not for use as a library; thread-safe.
 */
public final class WorkerMain {

  private static final Duration PARENT_CHECK = Duration.ofMillis(100);
  private static final Duration EXIT_BOUND = Duration.ofSeconds(2);

  private final OutputStream out;
  private final Object writeLock = new Object();
  private final Map<String, Contribution<JobRunner>> runners = new HashMap<>();
  // Read from the signal thread and the parent watch: volatile (groups and posix are set once,
  // before either can need them).
  private volatile ProcessGroups groups;
  private volatile Posix posix;

  /** The host's pid, read when the JVM started (the first thing {@code main} does). */
  private final long parent = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);

  private volatile WorkerJob current;

  private WorkerMain(OutputStream out) {
    this.out = out;
  }

  /**
   * Starts a worker. Arguments: {@code [--config <file>] [--set key=value]...}, as the host was
   * started.
   */
  public static void main(String[] args) {
    OutputStream raw = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16);
    WorkerMain w = new WorkerMain(raw);
    System.setOut(WorkerOutput.printStream("stdout", w::log, w::currentJobId));
    System.setErr(WorkerOutput.printStream("stderr", w::log, w::currentJobId));
    SignalBridge bridge = new SignalBridge(w::onSignal);
    for (Signal s : BuiltInSignal.takenByWorker()) {
      bridge.install(s);
    }
    WorkerOutput.routeLogging(w::log);
    int exit;
    try {
      exit = w.run(args);
    } catch (RuntimeException | LinkageError e) {
      w.log("ERROR", "worker", "", "worker JVM failed: " + e);
      exit = 1;
    }
    int code = exit;
    w.endChildren();
    Thread halt =
        new Thread(
            () -> {
              try {
                Thread.sleep(EXIT_BOUND.toMillis());
              } catch (InterruptedException e) {
                return;
              }
              Runtime.getRuntime().halt(code);
            },
            "jobhost-worker-exit-bound");
    halt.setDaemon(true);
    halt.start();
    System.exit(code);
  }

  private int run(String[] args) {
    // First: a worker whose host dies while it starts (loading the configuration, jnr, the
    // plugins can take seconds on a loaded machine) must not outlive it by that long.
    watchParent();
    HostArgs host = HostArgs.parse(args);
    Config cfg = ConfigLoader.forThisProcess().load(host.config(), host.overrides());
    posix = Posix.load();
    groups = new ProcessGroups(posix, new ProcTable(), null);
    Plugins plugins = Plugins.load(cfg.dirs().plugins(), cfg::pluginEnabled, cfg::pluginFile);
    for (Contribution<JobRunner> r : plugins.of(JobRunner.class)) {
      boolean ok =
          FaultBoundary.run(
              r.pluginId(),
              "init " + r.label() + " in a worker JVM",
              () ->
                  r.extension()
                      .init(DefaultPluginContext.worker(r.pluginId(), cfg, WorkerHost.INSTANCE)));
      if (!ok) {
        continue;
      }
      Set<String> types =
          FaultBoundary.call(
              r.pluginId(), "JobRunner.types in " + r.label(), () -> r.extension().types(), null);
      for (String t : types == null ? Set.<String>of() : types) {
        runners.putIfAbsent(t, r);
      }
    }
    long pid = ProcessHandle.current().pid();
    send(new Protocol.Ready(pid, new ArrayList<>(runners.keySet())));
    DataInputStream in = new DataInputStream(new BufferedInputStream(System.in, 1 << 16));
    try {
      while (true) {
        Protocol.Message m = Protocol.read(in);
        if (m.kind() == Protocol.Kind.RUN) {
          Protocol.Run r = (Protocol.Run) m;
          WorkerJob job = new WorkerJob(r, groups, this::send);
          current = job;
          // Inline: one thread hand-off fewer per job. A stop reaches the job as TERM (onSignal).
          runJob(job);
        }
      }
    } catch (EOFException e) {
      if (hostGone()) {
        // Not a retirement: the host died. An orderly exit could first write a class-data
        // archive at a safepoint (seconds, with every thread stopped, this one's watcher too).
        die();
      }
      return 0;
    } catch (IOException e) {
      log("ERROR", "worker", "", "worker pid " + pid + " cannot read from the host: " + e);
      return 1;
    } finally {
      WorkerJob j = current;
      if (j != null) {
        j.stop();
      }
      for (Contribution<JobRunner> r : plugins.of(JobRunner.class)) {
        FaultBoundary.run(r.pluginId(), "close " + r.label(), r.extension()::close);
      }
    }
  }

  private void runJob(WorkerJob w) {
    Job job = w.job;
    MDC.put(Job.MDC_KEY, job.id());
    Thread.interrupted();
    w.bind(Thread.currentThread());
    Outcome outcome;
    Contribution<JobRunner> runner = runners.get(job.type());
    try {
      if (runner == null) {
        outcome =
            Outcome.failed(
                "no runner for job type \""
                    + job.type()
                    + "\" in the worker JVM; installed types: "
                    + runners.keySet());
      } else {
        outcome = runner.extension().run(job, w);
        if (outcome == null) {
          outcome = Outcome.failed("the runner " + runner.label() + " returned no outcome");
        }
      }
    } catch (InterruptedException e) {
      outcome = Outcome.cancelled("the job was asked to stop");
    } catch (Exception | LinkageError e) {
      log(
          "WARN",
          "worker",
          job.id(),
          "job=" + job.id() + " plugin=" + runner.pluginId() + " runner threw " + stackOf(e));
      outcome = Outcome.failed(e.toString());
    } finally {
      w.bind(null);
      Thread.interrupted();
      MDC.remove(Job.MDC_KEY);
    }
    List<Long> left = groups.groupsOf(job.id());
    if (!left.isEmpty()) {
      groups.terminate(left, w.killTimeout());
    }
    current = null;
    send(new Protocol.Done(job.id(), outcome));
  }

  private void onSignal(Signal s) {
    if (s == Signal.TERM || s == Signal.INT) {
      WorkerJob j = current;
      if (j != null) {
        j.stop();
      }
    }
  }

  /**
   * Halts the worker when its parent is gone. The parent's pid is compared, not its liveness: a
   * killed host stays a zombie until its own parent reaps it (PID 1 here only every ~2 s), but the
   * worker is re-parented at the moment the host dies. The main thread may be busy in a job, so end
   * of input alone would not be seen in time.
   */
  private void watchParent() {
    Thread t =
        new Thread(
            () -> {
              while (true) {
                try {
                  Thread.sleep(PARENT_CHECK.toMillis());
                } catch (InterruptedException e) {
                  return;
                }
                if (hostGone()) {
                  die();
                }
              }
            },
            "jobhost-worker-parent-watch");
    t.setDaemon(true);
    t.start();
  }

  /** Whether the host that started this worker is gone (this worker was re-parented). */
  private boolean hostGone() {
    long now = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
    return parent <= 1 || now != parent;
  }

  /** Ends the running job's children and this JVM at once, without the JVM's exit work. */
  private void die() {
    endChildren();
    // KILL, not halt: halt still runs the JVM's exit work (a CDS archive dump can take seconds),
    // and an orphaned worker must be gone at once. Before jnr is loaded, halt is all there is.
    Posix p = posix;
    if (p != null) {
      p.kill(ProcessHandle.current().pid(), Signal.KILL);
    }
    Runtime.getRuntime().halt(2);
  }

  /** Ends what the running job started (the host may be gone and cannot). */
  private void endChildren() {
    ProcessGroups g = groups;
    if (g != null) {
      for (ProcessGroups.Group grp : g.all()) {
        g.signal(List.of(grp.pgid()), Signal.KILL);
      }
    }
  }

  /** The running job's id, {@code ""} between jobs. */
  private String currentJobId() {
    WorkerJob j = current;
    return j == null ? "" : j.job.id();
  }

  void log(String level, String logger, String jobId, String message) {
    send(new Protocol.Log(jobId == null ? "" : jobId, level, logger, message));
  }

  void send(Protocol.Message m) {
    synchronized (writeLock) {
      try {
        Protocol.write(out, m);
      } catch (IOException e) {
        // The host is gone; the read loop or the parent watch ends this JVM.
      }
    }
  }

  private static String stackOf(Throwable e) {
    java.io.StringWriter sw = new java.io.StringWriter();
    e.printStackTrace(new java.io.PrintWriter(sw));
    return sw.toString();
  }
}
