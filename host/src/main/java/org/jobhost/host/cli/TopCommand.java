package org.jobhost.host.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.jobhost.api.Durations;
import org.jobhost.host.ExitCodes;
import org.jobhost.host.cli.top.TopView;
import org.jobhost.host.config.Config;
import org.jobhost.host.config.ConfigLoader;
import org.jobhost.host.control.ControlClient;
import org.jobhost.host.control.ControlProtocol;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code jobhost top}: the live view of the running daemon. Not thread-safe; one use. */
@Command(
    name = "top",
    description =
        "Live view of the running daemon: worker slots, running jobs with their elapsed time,"
            + " rates per type and the last failures, refreshed until q. Prints one snapshot when"
            + " stdout is not a terminal. Exit 0 done, 1 failed, 7 not running.")
final class TopCommand extends WithConfig {

  /** The shortest refresh interval. */
  static final Duration MIN_INTERVAL = Duration.ofMillis(100);

  @Option(
      names = "--interval",
      paramLabel = "DURATION",
      description = "Time between refreshes, such as 500ms or 2s (default: ${DEFAULT-VALUE}).")
  String interval = "1s";

  @Option(names = "--once", description = "Print one snapshot and exit, even on a terminal.")
  boolean once;

  private final ControlConfig controlConfig;
  private final PrintWriter out;
  private final PrintWriter err;

  TopCommand(ConfigLoader loader, PrintWriter out, PrintWriter err) {
    this.controlConfig = new ControlConfig(loader, err);
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() throws InterruptedException {
    Duration every;
    try {
      every = Durations.parse(interval);
    } catch (IllegalArgumentException e) {
      err.println("jobhost top: --interval " + interval + " is invalid: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    if (every.compareTo(MIN_INTERVAL) < 0) {
      err.println("jobhost top: --interval must be at least 100ms (was " + interval + ")");
      return ExitCodes.USAGE;
    }
    Config cfg = controlConfig.load(config, overrides);
    DaemonLink link = new DaemonLink(err);
    long pid = link.runningPid(cfg);
    if (pid < 0) {
      return ServiceCommands.LSB_ACTION_NOT_RUNNING;
    }
    ControlClient client = DaemonLink.client(cfg);
    if (!client.present()) {
      err.println(
          "jobhost top: the daemon (pid "
              + pid
              + ") has no control socket "
              + client.socket()
              + "; top reads the daemon through it: restart the daemon to create it again");
      return ExitCodes.FAILURE;
    }
    TopView view = new TopView(() -> fetch(client), Clock.systemUTC());
    try {
      if (once || !TopView.stdoutIsTerminal()) {
        view.once(out);
      } else {
        out.flush();
        view.live(System.out, every);
      }
      return ExitCodes.OK;
    } catch (IOException e) {
      err.println("jobhost top: " + e.getMessage());
      return ExitCodes.FAILURE;
    }
  }

  private static Map<String, String> fetch(ControlClient client) throws IOException {
    ControlProtocol a;
    try {
      a = client.request("top", ServiceCommands.REQUEST_TIMEOUT);
    } catch (IOException e) {
      throw new IOException(
          "the control socket " + client.socket() + " does not answer: " + e.getMessage(), e);
    }
    if (!a.ok()) {
      throw new IOException("the daemon answers: " + a.error());
    }
    return a.fields();
  }
}
