package org.jobhost.host.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import org.jobhost.api.Signal;
import org.jobhost.host.ExitCodes;
import org.jobhost.host.config.Config;
import org.jobhost.host.config.ConfigException;
import org.jobhost.host.config.ConfigLoader;
import org.jobhost.host.config.Defaults;
import org.jobhost.host.control.ControlProtocol;
import org.jobhost.host.service.DaemonProcess;
import org.jobhost.host.service.PidFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code status}, and the commands that steer the running daemon: {@code reload}, {@code pause},
 * {@code resume}, {@code reopen-logs}, {@code resize} and {@code kill}. Each asks over the control
 * socket and, where a signal does the same, falls back on it when the socket is missing. Not
 * thread-safe; one instance per invocation.
 */
record ControlCommands(
    ConfigLoader loader,
    ControlConfig controlConfig,
    DaemonLink link,
    PrintWriter out,
    PrintWriter err) {

  @Command(
      name = "reload",
      description =
          "Reload the configuration (like HUP) and report whether it was applied. Exit 0 applied,"
              + " 1 rejected, 7 not running.")
  final class Reload extends WithConfig {
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
      if (link.runningPid(cfg) < 0) {
        return ServiceCommands.LSB_ACTION_NOT_RUNNING;
      }
      ControlProtocol a = link.ask(cfg, "reload", Duration.ofSeconds(90));
      if (a == null) {
        DaemonProcess d = link.signalVerified(cfg, Signal.HUP);
        if (d == null) {
          return ExitCodes.FAILURE;
        }
        out.println(
            "sent HUP to pid " + d.pid() + " (no control socket: the result is in the log)");
        return ServiceCommands.LSB_OK;
      }
      if (!a.ok()) {
        return ExitCodes.FAILURE;
      }
      String result = a.fields().getOrDefault("reload", "unknown");
      if (result.equals("applied")) {
        out.println("reload applied");
        return ServiceCommands.LSB_OK;
      }
      err.println("jobhost: reload " + result + " (the running configuration is kept)");
      return ExitCodes.FAILURE;
    }
  }

  /**
   * {@code pause}, {@code resume} or {@code reopen-logs}: a request that a signal does as well. The
   * three differ only in these values, so one command class ({@link Signalled}) serves them all.
   *
   * @param name the command, which is also the request sent over the control socket
   * @param fallback the signal sent instead when the daemon has no control socket
   * @param does what it does, the first sentence of its help
   */
  record SignalRequest(String name, Signal fallback, String does) {
    static final SignalRequest PAUSE =
        new SignalRequest("pause", Signal.TSTP, "Start no new job (like TSTP).");
    static final SignalRequest RESUME =
        new SignalRequest("resume", Signal.CONT, "Resume after a pause (like CONT).");
    static final SignalRequest REOPEN_LOGS =
        new SignalRequest(
            "reopen-logs",
            Signal.USR1,
            "Close and reopen the log files, for logrotate (like USR1).");
  }

  /** The command of a {@link SignalRequest}; its name is given where it is added. */
  final class Signalled extends WithConfig {
    private final SignalRequest request;

    Signalled(SignalRequest request) {
      this.request = request;
    }

    /** Sets its help when picocli builds its model: what it does, then the exit codes. */
    @Spec
    void describeIn(CommandSpec spec) {
      spec.usageMessage().description(request.does() + " Exit 0 done, 1 failed, 7 not running.");
    }

    @Override
    public Integer call() {
      Config cfg = controlConfig.load(config, overrides);
      if (link.runningPid(cfg) < 0) {
        return ServiceCommands.LSB_ACTION_NOT_RUNNING;
      }
      Signal fallback = request.fallback();
      ControlProtocol a = link.ask(cfg, request.name(), ServiceCommands.REQUEST_TIMEOUT);
      if (a == null) {
        DaemonProcess d = link.signalVerified(cfg, fallback);
        if (d == null) {
          return ExitCodes.FAILURE;
        }
        out.println("sent " + fallback.fullName() + " to pid " + d.pid() + " (no control socket)");
        return ServiceCommands.LSB_OK;
      }
      if (!a.ok()) {
        return ExitCodes.FAILURE;
      }
      out.println(request.name() + ": " + describe(a.fields()));
      return ServiceCommands.LSB_OK;
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
      description = "Set the number of worker slots. Exit 0 done, 1 refused, 7 not running.")
  final class Resize extends WithConfig {
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
      if (link.runningPid(cfg) < 0) {
        return ServiceCommands.LSB_ACTION_NOT_RUNNING;
      }
      ControlProtocol a = link.ask(cfg, "resize " + workers, ServiceCommands.REQUEST_TIMEOUT);
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
      return ServiceCommands.LSB_OK;
    }
  }

  @Command(
      name = "kill",
      description =
          "Send any signal (by name or number) to the daemon. Exit 0 sent, 2 unknown signal, 7 not running.")
  final class Kill extends WithConfig {
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
      if (link.runningPid(cfg) < 0) {
        return ServiceCommands.LSB_ACTION_NOT_RUNNING;
      }
      DaemonProcess d = link.signalVerified(cfg, s);
      if (d == null) {
        return ExitCodes.FAILURE;
      }
      out.println("sent " + s.fullName() + " to pid " + d.pid());
      return ServiceCommands.LSB_OK;
    }
  }

  @Command(
      name = "status",
      description =
          "Show state, pid, uptime, workers, job counters, plugins and the last reload."
              + " Exit (LSB) 0 running, 1 dead but PID file exists, 3 not running, 4 unknown.")
  final class Status extends WithConfig {
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
        return ServiceCommands.LSB_UNKNOWN;
      }
      Map<String, String> f = new java.util.LinkedHashMap<>();
      int code;
      switch (s.state()) {
        case RUNNING:
          code = ServiceCommands.LSB_OK;
          ControlProtocol a = link.ask(cfg, "status", ServiceCommands.REQUEST_TIMEOUT);
          if (a != null && a.ok()) {
            f.putAll(a.fields());
          } else {
            f.put("state", "unknown (the control socket does not answer)");
            f.put("pid", Long.toString(s.pid()));
          }
          break;
        case STALE:
          code = ServiceCommands.LSB_DEAD_PID_FILE;
          f.put("state", "dead");
          f.put("pid", Long.toString(s.pid()));
          f.put("pid_file", s.file().toString());
          break;
        default:
          code = ServiceCommands.LSB_NOT_RUNNING;
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
}
