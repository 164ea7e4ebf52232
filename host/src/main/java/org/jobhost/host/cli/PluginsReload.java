package org.jobhost.host.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import org.jobhost.host.ExitCodes;
import org.jobhost.host.config.Config;
import org.jobhost.host.config.ConfigLoader;
import org.jobhost.host.control.ControlClient;
import org.jobhost.host.control.ControlProtocol;
import org.jobhost.host.control.PluginReports;
import org.jobhost.host.plugins.HotPlugins;
import org.jobhost.host.service.PidFile;
import picocli.CommandLine.Command;

/**
 * {@code jobhost plugins reload}: asks the running daemon over the control socket to rescan {@code
 * plugins_dir} and prints each change and each file that did not load. Not thread-safe; one
 * instance per invocation.
 */
@Command(
    name = "reload",
    description =
        "Rescan plugins_dir in the running daemon: load new jars, replace changed ones, unload"
            + " removed ones (their running jobs finish first, up to grace_timeout). Exit 0 when"
            + " every file loaded, 1 when one did not (the old version keeps running), 7 when no"
            + " daemon runs.")
final class PluginsReload extends WithConfig {

  private final ConfigLoader loader;
  private final PrintWriter out;
  private final PrintWriter err;

  PluginsReload(ConfigLoader loader, PrintWriter out, PrintWriter err) {
    this.loader = loader;
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() {
    Config cfg = loader.load(config, overrides);
    PidFile.Status s = PidFile.inspect(cfg.service().pidFile());
    ControlClient client = DaemonLink.client(cfg);
    if (s.state() != PidFile.State.RUNNING || !client.present()) {
      err.println(
          "jobhost plugins reload: no daemon runs (or it has no control socket "
              + client.socket()
              + "); start it with jobhost start, or send it HUP");
      return ServiceCommands.LSB_ACTION_NOT_RUNNING;
    }
    Duration wait = cfg.timeouts().grace().plus(cfg.timeouts().kill()).plusSeconds(90);
    ControlProtocol a;
    try {
      a = client.request("plugins reload", wait);
    } catch (IOException e) {
      err.println(
          "jobhost plugins reload: the control socket "
              + client.socket()
              + " does not answer: "
              + e.getMessage());
      return ExitCodes.FAILURE;
    }
    if (!a.ok()) {
      err.println("jobhost plugins reload: " + a.error());
      return ExitCodes.FAILURE;
    }
    HotPlugins.Outcome o = PluginReports.outcome(a.fields());
    if (o.changes().isEmpty() && o.failures().isEmpty()) {
      out.println("plugins unchanged (pid " + s.pid() + ")");
    }
    for (String c : o.changes()) {
      out.println(c);
    }
    for (String f : o.failures()) {
      err.println("jobhost plugins reload: " + f);
    }
    out.flush();
    err.flush();
    return o.ok() ? ExitCodes.OK : ExitCodes.FAILURE;
  }
}
