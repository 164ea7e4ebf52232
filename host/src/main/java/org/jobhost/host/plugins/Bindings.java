package org.jobhost.host.plugins;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jobhost.api.CliCommand;
import org.jobhost.api.JobRunner;
import org.jobhost.api.Signal;
import org.jobhost.api.SignalHook;
import org.jobhost.binding.BindingRules;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the loaded extensions are bound to: job types to runners, signals to hooks, command names to
 * plugin commands. The rules are {@link BindingRules} (module plugin-binding), the one copy that
 * the daemon, {@code jobhost check}, {@code jobhost plugins}, the command line and the plugin test
 * kit's {@code PluginHarness} all apply, so that each of them refuses the same things with the same
 * message: a second runner for a type, a hook on a signal the JVM reserves, a command name a
 * built-in command or an earlier plugin has. Each refusal is recorded as a problem of the plugin
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
    BindingRules.Refusals refusals =
        (pluginId, refusal, why) -> {
          if (refusal != BindingRules.Refusal.TYPE_TAKEN) {
            log.error("plugin={} {}", pluginId, why);
          }
          plugins.problem(pluginId, why);
        };
    return new Bindings(
        BindingRules.runners(
            plugins.of(JobRunner.class),
            view(),
            r ->
                FaultBoundary.call(
                    r.pluginId(),
                    "JobRunner.types in " + r.label(),
                    () -> r.extension().types(),
                    Set.of()),
            refusals),
        BindingRules.hooks(
            plugins.of(SignalHook.class),
            view(),
            h ->
                FaultBoundary.call(
                    h.pluginId(),
                    "SignalHook.signals in " + h.label(),
                    () -> h.extension().signals(),
                    Set.of()),
            refusals),
        BindingRules.commands(
            plugins.of(CliCommand.class),
            view(),
            c ->
                FaultBoundary.call(
                    c.pluginId(), "CliCommand.name in " + c.label(), c.extension()::name, null),
            builtInCommands,
            refusals));
  }

  private static <T> BindingRules.Contributions<Contribution<T>> view() {
    return new BindingRules.Contributions<>() {
      @Override
      public String pluginId(Contribution<T> c) {
        return c.pluginId();
      }

      @Override
      public String label(Contribution<T> c) {
        return c.label();
      }
    };
  }
}
