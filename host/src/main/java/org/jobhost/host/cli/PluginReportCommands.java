package org.jobhost.host.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jobhost.api.PluginContext;
import org.jobhost.api.Signal;
import org.jobhost.api.SignalHook;
import org.jobhost.host.DefaultPluginContext;
import org.jobhost.host.ExitCodes;
import org.jobhost.host.config.Config;
import org.jobhost.host.config.ConfigLoader;
import org.jobhost.host.control.ControlClient;
import org.jobhost.host.control.ControlProtocol;
import org.jobhost.host.control.PluginReports;
import org.jobhost.host.plugins.Bindings;
import org.jobhost.host.plugins.Contribution;
import org.jobhost.host.plugins.FaultBoundary;
import org.jobhost.host.plugins.HotPlugins;
import org.jobhost.host.plugins.PluginReport;
import org.jobhost.host.plugins.Plugins;
import org.jobhost.host.service.PidFile;
import org.jobhost.host.signal.BuiltInSignal;
import picocli.CommandLine.Command;

/**
 * {@code jobhost plugins}, {@code jobhost check} and {@code jobhost signals}: the plugin reports,
 * from the running daemon or by loading the plugins as a daemon would, and the signals table with
 * the hooks the plugins bind ({@link BuiltInSignal}); and {@code jobhost plugins reload}, which has
 * the running daemon rescan its plugins. Not thread-safe; one instance per invocation.
 */
record PluginReportCommands(ConfigLoader loader, PrintWriter out, PrintWriter err) {

  @Command(
      name = "plugins",
      description =
          "List plugins: id, version, state, extensions, problems. Shows the running daemon's"
              + " plugins when one runs, else loads them as a daemon would (each extension is"
              + " started and stopped again); the first line says which.")
  final class PluginsCommand extends WithConfig {
    @Override
    public Integer call() {
      Config cfg = loader.load(config, overrides);
      List<PluginReport> live = fromDaemon(cfg);
      if (live != null) {
        printReports(live);
        return ExitCodes.OK;
      }
      if (!ServiceUser.become(cfg, err)) {
        return ExitCodes.FAILURE;
      }
      out.println(
          "plugins in "
              + cfg.dirs().plugins()
              + " as a daemon would load them (no daemon runs; each extension was started and"
              + " stopped again):");
      printReports(loadChecked(cfg, cfg.strict()).reports());
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "check",
      description =
          "Validate the configuration and plugins (each extension is started and stopped again); exit non-zero on any problem.")
  final class Check extends WithConfig {
    @Override
    public Integer call() {
      Config cfg = loader.load(config, overrides);
      out.println("configuration " + cfg.describeFile() + ": ok");
      if (!ServiceUser.become(cfg, err)) {
        return ExitCodes.FAILURE;
      }
      List<PluginReport> reports = loadChecked(cfg, true).reports();
      printReports(reports);
      long bad = reports.stream().filter(PluginReport::failed).count();
      if (bad > 0) {
        err.println("jobhost check: " + bad + " plugins have problems");
        return ExitCodes.FAILURE;
      }
      out.println("all " + reports.size() + " plugins ok");
      return ExitCodes.OK;
    }
  }

  /**
   * The running daemon's plugin reports over the control socket, after a line saying so; {@code
   * null} when no daemon runs or it does not answer (then the disk is read).
   */
  private List<PluginReport> fromDaemon(Config cfg) {
    PidFile.Status s = PidFile.inspect(cfg.service().pidFile());
    ControlClient client = DaemonLink.client(cfg);
    if (s.state() != PidFile.State.RUNNING || !client.present()) {
      return null;
    }
    try {
      ControlProtocol a = client.request("plugins", Duration.ofSeconds(10));
      if (a.ok()) {
        out.println("plugins as loaded by the running daemon (pid " + s.pid() + "):");
        return PluginReports.reports(a.fields());
      }
      err.println("jobhost plugins: the daemon answers: " + a.error() + "; reading the disk");
    } catch (IOException e) {
      err.println(
          "jobhost plugins: the daemon's control socket "
              + client.socket()
              + " does not answer ("
              + e.getMessage()
              + "); reading the disk");
    }
    return null;
  }

  /**
   * Loads the plugins, starts every extension, binds them as the daemon does (the same {@link
   * Bindings}), and stops them again: what {@code check} and {@code plugins} report is what a
   * daemon would.
   *
   * @param strict what {@link PluginContext#strict()} tells the plugins
   */
  private Plugins loadChecked(Config cfg, boolean strict) {
    Plugins plugins = Plugins.load(cfg.dirs().plugins(), cfg::pluginEnabled, cfg::pluginFile);
    CheckHost host = new CheckHost(cfg.maxWorkers());
    plugins.initAll(id -> DefaultPluginContext.checking(id, cfg, strict, host));
    Bindings.bind(plugins, Cli.BUILT_IN_COMMANDS);
    plugins.closeAll();
    return plugins;
  }

  private void printReports(List<PluginReport> reports) {
    out.printf("%-16s %-16s %-9s %s%n", "ID", "VERSION", "STATE", "FILE");
    for (PluginReport r : reports) {
      out.printf(
          "%-16s %-16s %-9s %s%n",
          r.id(), r.version(), r.shownState(), r.file() == null ? "(class path)" : r.file());
      for (String e : r.extensions()) {
        out.println("    extension " + e);
      }
      for (String p : r.problems()) {
        out.println("    problem   " + p);
      }
    }
    if (reports.isEmpty()) {
      out.println("(no plugins)");
    }
    out.flush();
  }

  @Command(
      name = "signals",
      description =
          "List every signal: whether it can be hooked, its built-in action and the hooks bound to it.")
  final class Signals extends WithConfig {
    @Override
    public Integer call() {
      Config cfg = loader.load(config, overrides);
      Plugins plugins = Plugins.load(cfg.dirs().plugins(), cfg::pluginEnabled, cfg::pluginFile);
      Map<Signal, List<String>> bound = new TreeMap<>();
      for (Contribution<SignalHook> h : plugins.of(SignalHook.class)) {
        Set<Signal> s =
            FaultBoundary.call(
                h.pluginId(), "SignalHook.signals", () -> h.extension().signals(), Set.of());
        for (Signal sig : s == null ? Set.<Signal>of() : s) {
          bound.computeIfAbsent(sig, k -> new ArrayList<>()).add(h.label());
        }
      }
      Map<Signal, String> actions = new TreeMap<>();
      for (Signal s : Signal.values()) {
        actions.put(
            s,
            BuiltInSignal.actionOf(s).orElse(s.reservedByJvm() ? "reserved by the JVM" : "none"));
      }
      int width = actions.values().stream().mapToInt(String::length).max().orElse(0);
      String row = "%-8s %-3s %-9s %-" + width + "s  %s%n";
      out.printf(row, "SIGNAL", "NO", "HOOKABLE", "BUILT-IN ACTION", "HOOKS");
      for (Signal s : Signal.values()) {
        List<String> hooks = bound.getOrDefault(s, List.of());
        out.printf(
            row,
            s.name(),
            s.number(),
            s.reservedByJvm() ? "no (JVM)" : "yes",
            actions.get(s),
            hooks.isEmpty() ? "-" : String.join(", ", hooks));
      }
      out.flush();
      return ExitCodes.OK;
    }
  }

  /**
   * {@code jobhost plugins reload}: asks the running daemon over the control socket to rescan
   * {@code plugins_dir} and prints each change and each file that did not load.
   */
  @Command(
      name = "reload",
      description =
          "Rescan plugins_dir in the running daemon: load new jars, replace changed ones, unload"
              + " removed ones (their running jobs finish first, up to grace_timeout). Exit 0 when"
              + " every file loaded, 1 when one did not (the old version keeps running), 7 when no"
              + " daemon runs.")
  final class PluginsReload extends WithConfig {
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
}
