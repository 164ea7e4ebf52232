package org.jobhost.host.cli;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jobhost.host.config.Config;
import org.jobhost.host.service.ControlProtocol;
import org.jobhost.host.service.PidFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jobhost status}: what the PID file says, and the running daemon's own answer, as LSB
 * status codes. Not thread-safe.
 */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description =
        "Show state, pid, uptime, workers, job counters, plugins and the last reload."
            + " Exit (LSB) 0 running, 1 dead but PID file exists, 3 not running, 4 unknown.")
final class StatusCommand extends Cli.WithConfig implements Callable<Integer> {
  private final ControlConfig controlConfig;
  private final DaemonLink link;
  private final PrintWriter out;
  private final PrintWriter err;

  StatusCommand(ControlConfig controlConfig, DaemonLink link, PrintWriter out, PrintWriter err) {
    this.controlConfig = controlConfig;
    this.link = link;
    this.out = out;
    this.err = err;
  }

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
