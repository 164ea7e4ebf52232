package org.jobhost.host.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.jobhost.api.Durations;
import org.jobhost.api.Signal;
import org.jobhost.host.ExitCodes;
import org.jobhost.host.config.Config;
import org.jobhost.host.config.ConfigLoader;
import org.jobhost.host.process.Posix;
import org.jobhost.host.service.DaemonProcess;
import org.jobhost.host.service.Detacher;
import org.jobhost.host.service.PidFile;
import org.jobhost.host.service.ServiceException;
import org.jobhost.host.worker.HostArgs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The service commands: starts and stops the daemon process ({@code start}, {@code stop}, and
 * {@code run --detach}), holds the LSB exit codes they all share, and hands {@link Cli} every
 * service command, with {@code status} and those that steer the running daemon in {@link
 * ControlCommands}. The daemon is found through its PID file (whose lock says whether it runs) and
 * reached over the control socket, falling back to plain signals where the socket is missing
 * ({@link DaemonLink}), so a half-broken daemon can still be stopped. Not thread-safe; one instance
 * per invocation.
 */
record ServiceCommands(
    ConfigLoader loader,
    ControlConfig controlConfig,
    DaemonLink link,
    PrintWriter out,
    PrintWriter err) {

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

  ServiceCommands(ConfigLoader loader, PrintWriter out, PrintWriter err) {
    this(loader, new ControlConfig(loader, err), new DaemonLink(err), out, err);
  }

  /**
   * The most frequent calls that steer or ask a running daemon ({@code status}, {@code status
   * --json}, {@code pause}, {@code resume}, {@code reload}, {@code reopen-logs}, with no other
   * argument), ready to run without building picocli's model: picocli's classes cannot be in the
   * class-data archive (they are Java 5 class files), so building it is a large part of such a
   * call. The command object and its behaviour are those picocli would run; any other form (help,
   * an option, a typo) gets {@code null} and goes through picocli.
   *
   * @param rest the command line without the host's own options
   */
  Callable<Integer> withoutPicocli(List<String> rest, Path config, List<String> overrides) {
    boolean json = rest.size() == 2 && rest.get(0).equals("status") && rest.get(1).equals("--json");
    if ((rest.size() != 1 && !json) || !WITHOUT_PICOCLI.contains(rest.get(0))) {
      return null;
    }
    WithConfig command = commands().get(rest.get(0));
    command.config = config;
    command.overrides = new ArrayList<>(overrides);
    if (json) {
      ((ControlCommands.Status) command).json = true;
    }
    return command;
  }

  private static final Set<String> WITHOUT_PICOCLI =
      Set.of("status", "pause", "resume", "reload", "reopen-logs");

  /** Every command, for {@link Cli} to register. */
  Map<String, WithConfig> commands() {
    ControlCommands control = new ControlCommands(loader, controlConfig, link, out, err);
    Map<String, WithConfig> m = new java.util.LinkedHashMap<>();
    m.put("start", new Start());
    m.put("stop", new Stop());
    m.put("status", control.new Status());
    m.put("reload", control.new Reload());
    m.put("pause", control.new Signalled(ControlCommands.SignalRequest.PAUSE));
    m.put("resume", control.new Signalled(ControlCommands.SignalRequest.RESUME));
    m.put("resize", control.new Resize());
    m.put("reopen-logs", control.new Signalled(ControlCommands.SignalRequest.REOPEN_LOGS));
    m.put("kill", control.new Kill());
    return m;
  }

  @Command(
      name = "start",
      description =
          "Start the daemon in the background and wait until it is ready. Exit 0 when it runs,"
              + " 1 when it failed (its error is printed) or already runs.")
  final class Start extends WithConfig {
    @Mixin UserOption user = new UserOption();

    @Option(
        names = "--timeout",
        paramLabel = "DURATION",
        description = "How long to wait for the daemon to become ready (default 60s).")
    String timeout;

    @Override
    public Integer call() throws IOException {
      return startDaemon(
          config,
          user.addTo(overrides),
          timeout == null ? START_TIMEOUT : Durations.parse(timeout));
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
      description =
          "Send TERM and wait until the daemon is gone. Exit 0 when it stopped or was not"
              + " running, 1 when it still runs after the timeout.")
  final class Stop extends WithConfig {
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
      DaemonProcess d = link.signalVerified(cfg, Signal.TERM);
      if (d == null) {
        return ExitCodes.FAILURE;
      }
      long pid = d.pid();
      Duration max =
          timeout != null
              ? Durations.parse(timeout)
              : cfg.timeouts().grace().plus(cfg.timeouts().kill()).plusSeconds(5);
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
}
