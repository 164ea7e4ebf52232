package org.jobhost.host.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import jnr.posix.POSIX;
import jnr.posix.Passwd;
import org.jobhost.api.Durations;
import org.jobhost.api.Signal;
import org.jobhost.host.ExitCodes;
import org.jobhost.host.config.Config;
import org.jobhost.host.config.ConfigException;
import org.jobhost.host.config.ConfigLoader;
import org.jobhost.host.config.Defaults;
import org.jobhost.host.process.Posix;
import org.jobhost.host.service.ControlClient;
import org.jobhost.host.service.ControlProtocol;
import org.jobhost.host.service.DaemonProcess;
import org.jobhost.host.service.Detacher;
import org.jobhost.host.service.PidFile;
import org.jobhost.host.service.ServiceException;
import org.jobhost.host.worker.HostArgs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The service commands: {@code start}, {@code stop}, {@code status}, {@code reload}, {@code pause},
 * {@code resume}, {@code resize}, {@code reopen-logs} and {@code kill}. They find the daemon
 * through its PID file (whose lock says whether it runs) and talk to it over the control socket,
 * falling back to plain signals where the socket is missing, so a half-broken daemon can still be
 * stopped. Not thread-safe; one instance per invocation.
 */
final class ServiceCommands {

  /** LSB: the program is running (status), or the action succeeded. */
  static final int LSB_OK = 0;

  /** LSB status: the program is dead and the PID file exists. */
  static final int LSB_DEAD_PID_FILE = 1;

  /** LSB status: the program is not running. */
  static final int LSB_NOT_RUNNING = 3;

  /** LSB status: the state is unknown (the PID file cannot be read). */
  static final int LSB_UNKNOWN = 4;

  /** LSB actions: the program is not running. */
  static final int LSB_ACTION_NOT_RUNNING = 7;

  /** How long a control request may take (reload waits longer). */
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  /** Default of {@code jobhost start --timeout}. */
  static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final ConfigLoader loader;
  private final ControlConfig controlConfig;
  private final PrintWriter out;
  private final PrintWriter err;

  ServiceCommands(ConfigLoader loader, PrintWriter out, PrintWriter err) {
    this.loader = loader;
    this.controlConfig = new ControlConfig(loader, err);
    this.out = out;
    this.err = err;
  }

  /** Every command, for {@link Cli} to register. */
  Map<String, Object> commands() {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("start", new Start());
    m.put("stop", new Stop());
    m.put("status", new Status());
    m.put("reload", new Reload());
    m.put("pause", new Pause());
    m.put("resume", new Resume());
    m.put("resize", new Resize());
    m.put("reopen-logs", new ReopenLogs());
    m.put("kill", new Kill());
    return m;
  }

  private ControlClient client(Config cfg) {
    return new ControlClient(
        cfg.runDir().resolve(ControlProtocol.SOCKET_NAME), cfg.service().user());
  }

  /**
   * Whether a daemon holds the PID file: its pid as the file says (for messages only; 0 when the
   * file holds none), or -1 after printing why there is none.
   */
  private long runningPid(Config cfg) {
    PidFile.Status s = PidFile.inspect(cfg.service().pidFile());
    if (s.state() != PidFile.State.RUNNING) {
      err.println(
          "jobhost is not running"
              + (s.state() == PidFile.State.STALE
                  ? " (the PID file " + s.file() + " is stale; it named pid " + s.pid() + ")"
                  : " (no PID file " + s.file() + ")"));
      return -1;
    }
    return Math.max(0, s.pid());
  }

  /** Sends a request; prints a refusal. Returns {@code null} when there was no answer. */
  private ControlProtocol ask(Config cfg, String request, Duration timeout) {
    ControlClient c = client(cfg);
    if (!c.present()) {
      return null;
    }
    try {
      ControlProtocol a = c.request(request, timeout);
      if (!a.ok()) {
        err.println("jobhost " + request + ": " + a.error());
      }
      return a;
    } catch (IOException e) {
      err.println(
          "jobhost: the control socket " + c.socket() + " does not answer: " + e.getMessage());
      return null;
    }
  }

  /**
   * The daemon that holds the PID file's lock, verified through the kernel and /proc (the file's
   * content is never trusted), or {@code null} after printing why nothing may be signalled.
   */
  private DaemonProcess verified(Config cfg) {
    try {
      OptionalLong uid = OptionalLong.empty();
      String user = cfg.service().user();
      if (user != null) {
        POSIX p = Posix.load().nativePosix();
        Passwd pw = p == null ? null : p.getpwnam(user);
        if (pw == null) {
          err.println(
              "jobhost: cannot look up user \""
                  + user
                  + "\" ("
                  + cfg.describeFile()
                  + "), so the daemon cannot be verified; nothing was signalled");
          return null;
        }
        uid = OptionalLong.of(pw.getUID());
      }
      Path pidFile = cfg.service().pidFile();
      return DaemonProcess.verify(pidFile, DaemonProcess.expectedUids(pidFile, uid));
    } catch (ServiceException e) {
      err.println("jobhost: " + e.getMessage());
      return null;
    }
  }

  /** Signals the verified daemon (one process, never a group). */
  private boolean signal(DaemonProcess d, Signal s) {
    if (d.pid() < 2 || !Posix.load().kill(d.pid(), s)) {
      err.println("jobhost: cannot send " + s.fullName() + " to pid " + d.pid());
      return false;
    }
    return true;
  }

  @Command(
      name = "start",
      mixinStandardHelpOptions = true,
      description =
          "Start the daemon in the background and wait until it is ready. Exit 0 when it runs,"
              + " 1 when it failed (its error is printed) or already runs.")
  final class Start extends Cli.WithConfig implements Callable<Integer> {
    @Option(names = "--user", paramLabel = "NAME", description = "Run as this user (from root).")
    String user;

    @Option(
        names = "--timeout",
        paramLabel = "DURATION",
        description = "How long to wait for the daemon to become ready (default 60s).")
    String timeout;

    @Override
    public Integer call() throws IOException {
      List<String> sets = new ArrayList<>(overrides);
      if (user != null) {
        sets.add("user=" + user);
      }
      return startDaemon(config, sets, timeout == null ? START_TIMEOUT : Durations.parse(timeout));
    }
  }

  /** {@code start}, and {@code run -d}. */
  int startDaemon(Path configFile, List<String> sets, Duration timeout) throws IOException {
    Config cfg = loader.load(configFile, sets);
    PidFile.Status s = PidFile.inspect(cfg.service().pidFile());
    if (s.state() == PidFile.State.RUNNING) {
      err.println(s.alreadyRunning());
      return ExitCodes.FAILURE;
    }
    Detacher d = new Detacher(cfg, out, err, () -> Posix.load().nativePosix());
    // Native access is checked by the daemon itself (its error comes back through the start);
    // loading jnr here as well would only slow every start down.
    List<String> problems = d.requirements(true);
    if (!problems.isEmpty()) {
      err.println("jobhost: cannot start:");
      for (String p : problems) {
        err.println("  - " + p);
      }
      return ExitCodes.FAILURE;
    }
    try {
      return d.start(new HostArgs(configFile, sets).toArgs(), timeout);
    } catch (ServiceException e) {
      err.println("jobhost: cannot start: " + e.getMessage());
      return ExitCodes.FAILURE;
    }
  }

  @Command(
      name = "stop",
      mixinStandardHelpOptions = true,
      description =
          "Send TERM and wait until the daemon is gone. Exit 0 when it stopped or was not"
              + " running, 1 when it still runs after the timeout.")
  final class Stop extends Cli.WithConfig implements Callable<Integer> {
    @Option(
        names = "--timeout",
        paramLabel = "DURATION",
        description = "How long to wait (default grace_timeout + kill_timeout + 5s).")
    String timeout;

    @Override
    public Integer call() {
      Config cfg = controlConfig.load(config, overrides);
      PidFile.Status s = PidFile.inspect(cfg.service().pidFile());
      if (s.state() != PidFile.State.RUNNING) {
        out.println(
            "jobhost is not running"
                + (s.state() == PidFile.State.STALE
                    ? " (the PID file " + s.file() + " is stale; pid " + s.pid() + " is gone)"
                    : ""));
        return LSB_OK;
      }
      DaemonProcess d = verified(cfg);
      if (d == null || !signal(d, Signal.TERM)) {
        return ExitCodes.FAILURE;
      }
      long pid = d.pid();
      Duration max =
          timeout != null
              ? Durations.parse(timeout)
              : cfg.graceTimeout().plus(cfg.killTimeout()).plusSeconds(5);
      long deadline = System.nanoTime() + max.toNanos();
      // The process, not the lock: the JVM may still write its class-data archive after the
      // PID file is released, and an init script's restart must not overlap it.
      while (System.nanoTime() < deadline) {
        if (d.gone()) {
          out.println("jobhost stopped (pid " + pid + ")");
          return LSB_OK;
        }
        pause10ms();
      }
      err.println(
          "jobhost: pid "
              + pid
              + " still runs "
              + Durations.format(max)
              + " after TERM; run 'jobhost stop' again for an immediate stop, or 'jobhost kill KILL'");
      return ExitCodes.FAILURE;
    }
  }

  private static void pause10ms() {
    try {
      Thread.sleep(10);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description =
          "Show state, pid, uptime, workers, job counters, plugins and the last reload."
              + " Exit (LSB) 0 running, 1 dead but PID file exists, 3 not running, 4 unknown.")
  final class Status extends Cli.WithConfig implements Callable<Integer> {
    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public Integer call() {
      Config cfg = controlConfig.load(config, overrides);
      PidFile.Status s;
      try {
        s = PidFile.inspect(cfg.service().pidFile());
      } catch (RuntimeException e) {
        err.println("jobhost: " + e.getMessage());
        return LSB_UNKNOWN;
      }
      Map<String, String> f = new java.util.LinkedHashMap<>();
      int code;
      switch (s.state()) {
        case RUNNING:
          code = LSB_OK;
          ControlProtocol a = ask(cfg, "status", REQUEST_TIMEOUT);
          if (a != null && a.ok()) {
            f.putAll(a.fields());
          } else {
            f.put("state", "unknown (the control socket does not answer)");
            f.put("pid", Long.toString(s.pid()));
          }
          break;
        case STALE:
          code = LSB_DEAD_PID_FILE;
          f.put("state", "dead");
          f.put("pid", Long.toString(s.pid()));
          f.put("pid_file", s.file().toString());
          break;
        default:
          code = LSB_NOT_RUNNING;
          f.put("state", "stopped");
          break;
      }
      if (json) {
        out.println(Json.object(f));
      } else {
        switch (s.state()) {
          case RUNNING:
            out.println("jobhost is running (pid " + f.get("pid") + ")");
            break;
          case STALE:
            out.println(
                "jobhost is dead but its PID file "
                    + s.file()
                    + " exists (pid "
                    + s.pid()
                    + "); 'jobhost start' takes it over");
            break;
          default:
            out.println("jobhost is not running");
            break;
        }
        if (s.state() == PidFile.State.RUNNING) {
          for (Map.Entry<String, String> e : f.entrySet()) {
            out.printf("  %-16s %s%n", e.getKey(), e.getValue());
          }
        }
      }
      out.flush();
      return code;
    }
  }

  @Command(
      name = "reload",
      mixinStandardHelpOptions = true,
      description =
          "Reload the configuration (like HUP) and report whether it was applied. Exit 0 applied,"
              + " 1 rejected, 7 not running.")
  final class Reload extends Cli.WithConfig implements Callable<Integer> {
    @Override
    public Integer call() {
      Config cfg;
      try {
        cfg = loader.load(config, overrides);
      } catch (ConfigException e) {
        err.println("jobhost: reload rejected: " + e.getMessage());
        err.println("(the running configuration is kept; the daemon was not asked)");
        return ExitCodes.FAILURE;
      }
      if (runningPid(cfg) < 0) {
        return LSB_ACTION_NOT_RUNNING;
      }
      ControlProtocol a = ask(cfg, "reload", Duration.ofSeconds(90));
      if (a == null) {
        DaemonProcess d = verified(cfg);
        if (d == null || !signal(d, Signal.HUP)) {
          return ExitCodes.FAILURE;
        }
        out.println(
            "sent HUP to pid " + d.pid() + " (no control socket: the result is in the log)");
        return LSB_OK;
      }
      if (!a.ok()) {
        return ExitCodes.FAILURE;
      }
      String result = a.fields().getOrDefault("reload", "unknown");
      if (result.equals("applied")) {
        out.println("reload applied");
        return LSB_OK;
      }
      err.println("jobhost: reload " + result + " (the running configuration is kept)");
      return ExitCodes.FAILURE;
    }
  }

  @Command(
      name = "pause",
      mixinStandardHelpOptions = true,
      description = "Start no new job (like TSTP). Exit 0 done, 1 failed, 7 not running.")
  final class Pause extends Simple {
    Pause() {
      super("pause", Signal.TSTP);
    }
  }

  @Command(
      name = "resume",
      mixinStandardHelpOptions = true,
      description = "Resume after a pause (like CONT). Exit 0 done, 1 failed, 7 not running.")
  final class Resume extends Simple {
    Resume() {
      super("resume", Signal.CONT);
    }
  }

  @Command(
      name = "reopen-logs",
      mixinStandardHelpOptions = true,
      description =
          "Close and reopen the log files, for logrotate (like USR1). Exit 0 done, 1 failed,"
              + " 7 not running.")
  final class ReopenLogs extends Simple {
    ReopenLogs() {
      super("reopen-logs", Signal.USR1);
    }
  }

  /** A request with a signal to fall back on. */
  abstract class Simple extends Cli.WithConfig implements Callable<Integer> {
    private final String request;
    private final Signal fallback;

    Simple(String request, Signal fallback) {
      this.request = request;
      this.fallback = fallback;
    }

    @Override
    public Integer call() {
      Config cfg = controlConfig.load(config, overrides);
      if (runningPid(cfg) < 0) {
        return LSB_ACTION_NOT_RUNNING;
      }
      ControlProtocol a = ask(cfg, request, REQUEST_TIMEOUT);
      if (a == null) {
        DaemonProcess d = verified(cfg);
        if (d == null || !signal(d, fallback)) {
          return ExitCodes.FAILURE;
        }
        out.println("sent " + fallback.fullName() + " to pid " + d.pid() + " (no control socket)");
        return LSB_OK;
      }
      if (!a.ok()) {
        return ExitCodes.FAILURE;
      }
      out.println(request + ": " + describe(a.fields()));
      return LSB_OK;
    }
  }

  private static String describe(Map<String, String> fields) {
    StringBuilder sb = new StringBuilder();
    fields.forEach(
        (k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append(' ').append(v));
    return sb.length() == 0 ? "ok" : sb.toString();
  }

  @Command(
      name = "resize",
      mixinStandardHelpOptions = true,
      description = "Set the number of worker slots. Exit 0 done, 1 refused, 7 not running.")
  final class Resize extends Cli.WithConfig implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "N", description = "Worker slots, 1 or more.")
    int workers;

    @Override
    public Integer call() {
      if (workers < 1) {
        err.println("jobhost resize: N must be at least 1 (was " + workers + ")");
        return ExitCodes.USAGE;
      }
      if (workers > Defaults.MAX_WORKERS_LIMIT) {
        err.println(
            "jobhost resize: N must be at most "
                + Defaults.MAX_WORKERS_LIMIT
                + ", the limit of max_workers (was "
                + workers
                + ")");
        return ExitCodes.USAGE;
      }
      Config cfg = controlConfig.load(config, overrides);
      if (runningPid(cfg) < 0) {
        return LSB_ACTION_NOT_RUNNING;
      }
      ControlProtocol a = ask(cfg, "resize " + workers, REQUEST_TIMEOUT);
      if (a == null) {
        err.println(
            "jobhost resize needs the control socket; use 'jobhost kill TTIN' or TTOU for one slot more or fewer");
        return ExitCodes.FAILURE;
      }
      if (!a.ok()) {
        return ExitCodes.FAILURE;
      }
      out.println(
          "max_workers "
              + a.fields().get("workers_max_before")
              + " -> "
              + a.fields().get("workers_max"));
      return LSB_OK;
    }
  }

  @Command(
      name = "kill",
      mixinStandardHelpOptions = true,
      description =
          "Send any signal (by name or number) to the daemon. Exit 0 sent, 2 unknown signal, 7 not running.")
  final class Kill extends Cli.WithConfig implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SIGNAL", description = "Such as HUP, SIGUSR2 or 12.")
    String signal;

    @Override
    public Integer call() {
      Signal s;
      try {
        s = Signal.parse(signal);
      } catch (IllegalArgumentException e) {
        err.println("jobhost kill: " + e.getMessage());
        return ExitCodes.USAGE;
      }
      Config cfg = controlConfig.load(config, overrides);
      if (runningPid(cfg) < 0) {
        return LSB_ACTION_NOT_RUNNING;
      }
      DaemonProcess d = verified(cfg);
      if (d == null || !signal(d, s)) {
        return ExitCodes.FAILURE;
      }
      out.println("sent " + s.fullName() + " to pid " + d.pid());
      return LSB_OK;
    }
  }
}
