package org.jobhost.host.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.jobhost.api.Signal;
import org.jobhost.api.SignalHook;
import org.jobhost.host.ExitCodes;
import org.jobhost.host.config.Config;
import org.jobhost.host.config.ConfigLoader;
import org.jobhost.host.plugins.Contribution;
import org.jobhost.host.plugins.FaultBoundary;
import org.jobhost.host.plugins.Plugins;
import org.jobhost.host.signal.BuiltInSignal;
import picocli.CommandLine.Command;

/**
 * {@code jobhost signals}: every signal, whether a hook can have it, its built-in action ({@link
 * BuiltInSignal}) and the hooks the installed plugins bind to it. Not thread-safe.
 */
@Command(
    name = "signals",
    mixinStandardHelpOptions = true,
    description =
        "List every signal: whether it can be hooked, its built-in action and the hooks bound to it.")
final class SignalsCommand extends Cli.WithConfig implements Callable<Integer> {
  private final ConfigLoader loader;
  private final PrintWriter out;

  SignalsCommand(ConfigLoader loader, PrintWriter out) {
    this.loader = loader;
    this.out = out;
  }

  @Override
  public Integer call() {
    Config cfg = loader.load(config, overrides);
    Plugins plugins = Plugins.load(cfg.pluginsDir(), cfg::pluginEnabled, cfg::pluginFile);
    Map<Signal, List<String>> bound = new TreeMap<>();
    for (Contribution<SignalHook> h : plugins.of(SignalHook.class)) {
      Set<Signal> s =
          FaultBoundary.call(
              h.pluginId(), "SignalHook.signals", () -> h.extension().signals(), Set.of());
      for (Signal sig : s == null ? Set.<Signal>of() : s) {
        bound.computeIfAbsent(sig, k -> new ArrayList<>()).add(h.label());
      }
    }
    out.printf("%-8s %-3s %-9s %-48s %s%n", "SIGNAL", "NO", "HOOKABLE", "BUILT-IN ACTION", "HOOKS");
    for (Signal s : Signal.values()) {
      String hookable = s.reservedByJvm() ? "no (JVM)" : "yes";
      String action =
          BuiltInSignal.actionOf(s).orElse(s.reservedByJvm() ? "reserved by the JVM" : "none");
      List<String> hooks = bound.getOrDefault(s, List.of());
      out.printf(
          "%-8s %-3d %-9s %-48s %s%n",
          s.name(), s.number(), hookable, action, hooks.isEmpty() ? "-" : String.join(", ", hooks));
    }
    out.flush();
    return ExitCodes.OK;
  }
}
