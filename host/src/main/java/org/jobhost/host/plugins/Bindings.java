package org.jobhost.host.plugins;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jobhost.api.CliCommand;
import org.jobhost.api.JobRunner;
import org.jobhost.api.Signal;
import org.jobhost.api.SignalHook;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the loaded extensions are bound to: job types to runners, signals to hooks, command names to
 * plugin commands. The one place these rules live, used alike by the daemon, {@code jobhost check},
 * {@code jobhost plugins} and the command line, so that each of them refuses the same things with
 * the same message: a second runner for a type, a hook on a signal the JVM reserves, a command name
 * a built-in command or an earlier plugin has. Each refusal is recorded as a problem of the plugin
 * whose extension was refused. Immutable once built.
 *
 * @param runners the runner of each job type, the first one loaded
 * @param hooks the hooks of each signal, in load order; reserved signals are left out
 * @param commands the plugin command of each name
 */
public record Bindings(
    Map<String, Contribution<JobRunner>> runners,
    Map<Signal, List<Contribution<SignalHook>>> hooks,
    Map<String, Contribution<CliCommand>> commands) {

  private static final Logger log = LoggerFactory.getLogger(Bindings.class);

  private static final Pattern COMMAND_NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");

  /** Copies. */
  public Bindings {
    runners = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(runners));
    hooks = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(hooks));
    commands = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(commands));
  }

  /**
   * Binds every working extension of {@code plugins} and records each refusal on its plugin.
   *
   * @param builtInCommands the names of the host's own commands, which no plugin may take
   */
  public static Bindings bind(Plugins plugins, Set<String> builtInCommands) {
    return new Bindings(runners(plugins), hooks(plugins), commands(plugins, builtInCommands));
  }

  private static Map<String, Contribution<JobRunner>> runners(Plugins plugins) {
    Map<String, Contribution<JobRunner>> out = new LinkedHashMap<>();
    for (Contribution<JobRunner> r : plugins.of(JobRunner.class)) {
      Set<String> types =
          FaultBoundary.call(
              r.pluginId(),
              "JobRunner.types in " + r.label(),
              () -> r.extension().types(),
              Set.of());
      for (String t : types == null ? Set.<String>of() : types) {
        Contribution<JobRunner> prior = out.putIfAbsent(t, r);
        if (prior != null) {
          plugins.problem(
              r.pluginId(),
              "job type \""
                  + t
                  + "\" is already run by "
                  + prior.label()
                  + "; "
                  + r.label()
                  + " is not used for it (remove one of the plugins, or disable one with"
                  + " [plugins.<id>] enabled = false)");
        }
      }
    }
    return out;
  }

  private static Map<Signal, List<Contribution<SignalHook>>> hooks(Plugins plugins) {
    Map<Signal, List<Contribution<SignalHook>>> out = new LinkedHashMap<>();
    for (Contribution<SignalHook> h : plugins.of(SignalHook.class)) {
      Set<Signal> signals =
          FaultBoundary.call(
              h.pluginId(),
              "SignalHook.signals in " + h.label(),
              () -> h.extension().signals(),
              Set.of());
      for (Signal s : signals == null ? Set.<Signal>of() : signals) {
        if (s.reservedByJvm()) {
          String why =
              h.label()
                  + " wants "
                  + s.fullName()
                  + ", which the JVM reserves"
                  + (s == Signal.KILL || s == Signal.STOP
                      ? " (it cannot be caught at all)"
                      : " for itself")
                  + "; the hook is refused for it. Bind it to USR2 instead";
          log.error("plugin={} {}", h.pluginId(), why);
          plugins.problem(h.pluginId(), why);
          continue;
        }
        out.computeIfAbsent(s, k -> new ArrayList<>()).add(h);
      }
    }
    return out;
  }

  private static Map<String, Contribution<CliCommand>> commands(
      Plugins plugins, Set<String> builtIns) {
    Map<String, Contribution<CliCommand>> out = new LinkedHashMap<>();
    for (Contribution<CliCommand> c : plugins.of(CliCommand.class)) {
      String name =
          FaultBoundary.call(
              c.pluginId(), "CliCommand.name in " + c.label(), c.extension()::name, null);
      String why = null;
      if (name == null || !COMMAND_NAME.matcher(name).matches()) {
        why =
            c.label()
                + " names its command \""
                + name
                + "\"; a command name is lowercase letters, digits and dashes; the command is"
                + " refused";
      } else if (builtIns.contains(name)) {
        why =
            c.label()
                + " contributes the command \""
                + name
                + "\", which is a built-in command of jobhost; the plugin's command is refused."
                + " Rename it in the plugin";
      } else if (out.containsKey(name)) {
        why =
            c.label()
                + " contributes the command \""
                + name
                + "\", which "
                + out.get(name).label()
                + " already contributes; the second is refused. Rename one, or disable a plugin"
                + " with [plugins.<id>] enabled = false";
      }
      if (why != null) {
        log.error("plugin={} {}", c.pluginId(), why);
        plugins.problem(c.pluginId(), why);
        continue;
      }
      out.put(name, c);
    }
    return out;
  }
}
