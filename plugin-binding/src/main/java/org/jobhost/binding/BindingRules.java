package org.jobhost.binding;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jobhost.api.Signal;

/**
 * The rules that bind loaded extensions: job types to runners, signals to hooks, command names to
 * plugin commands. A later runner for a type already taken, a hook on a signal the JVM reserves,
 * and a command whose name is malformed, built in or already taken are refused; each refusal names
 * the extension, what it wanted and the fix, and goes to a {@link Refusals} on behalf of the plugin
 * whose extension was refused. Everything else is bound, in the order given (load order).
 *
 * <p>The rules work on the caller's own record of an extension ({@code C}): the caller says which
 * plugin it came from and how to name it ({@link Contributions}), and asks the extension its types,
 * signals or command name itself (inside its own fault boundary; a {@code null} answer counts as
 * none). They call no plugin code and log nothing. Stateless; thread-safe.
 */
public final class BindingRules {

  private static final Pattern COMMAND_NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");

  /**
   * The names of the host's own commands ({@code jobhost <name>}); no plugin command may take one.
   */
  public static final Set<String> BUILT_IN_COMMANDS;

  /**
   * The host's own commands that only reach the running daemon (over its socket, or with a signal)
   * or print the version: they load no plugin and open no database, so the launcher starts them on
   * a short class path. Every one is also in {@link #BUILT_IN_COMMANDS}.
   */
  public static final Set<String> CONTROL_COMMANDS =
      Set.of(
          "status",
          "stop",
          "start",
          "reload",
          "pause",
          "resume",
          "resize",
          "reopen-logs",
          "kill",
          "top",
          "version");

  static {
    Set<String> all = new HashSet<>(CONTROL_COMMANDS);
    all.addAll(List.of("run", "plugins", "signals", "check", "help"));
    BUILT_IN_COMMANDS = Set.copyOf(all);
  }

  /** Why an extension was refused a binding. */
  public enum Refusal {
    /** A runner for a job type an earlier runner already runs. */
    TYPE_TAKEN,
    /** A hook on a signal the JVM reserves for itself (or that cannot be caught at all). */
    RESERVED_SIGNAL,
    /** A command whose name is not lowercase letters, digits and dashes. */
    BAD_COMMAND_NAME,
    /** A command with the name of one of the host's own commands. */
    BUILT_IN_COMMAND,
    /** A command with a name an earlier plugin command already has. */
    COMMAND_TAKEN
  }

  /** Where the refusals go. */
  @FunctionalInterface
  public interface Refusals {
    /**
     * Records that an extension of plugin {@code pluginId} was refused.
     *
     * @param why the operator's message: the extension, what it wanted, the fix
     */
    void refuse(String pluginId, Refusal refusal, String why);
  }

  /**
   * How the caller's record of an extension is read.
   *
   * @param <C> the caller's record of one extension and its plugin
   */
  public interface Contributions<C> {
    /** The id of the plugin that contributed {@code c}. */
    String pluginId(C c);

    /**
     * How messages name {@code c}: {@code <plugin id>/<class simple name>} (see {@link #label}).
     */
    String label(C c);
  }

  private BindingRules() {}

  /** The label the host gives an extension in messages: {@code plugin/ClassSimpleName}. */
  public static String label(String pluginId, Object extension) {
    return pluginId + "/" + extension.getClass().getSimpleName();
  }

  /**
   * Binds each job type to the first runner, in order, that runs it.
   *
   * @param types asks a runner its types (null: none)
   * @return each type and its runner, in the order bound; unmodifiable
   */
  public static <C> Map<String, C> runners(
      List<C> runners, Contributions<C> view, Function<C, Set<String>> types, Refusals refusals) {
    Map<String, C> out = new LinkedHashMap<>();
    for (C r : runners) {
      Set<String> ts = types.apply(r);
      for (String t : ts == null ? Set.<String>of() : ts) {
        C prior = out.putIfAbsent(t, r);
        if (prior != null) {
          refusals.refuse(
              view.pluginId(r),
              Refusal.TYPE_TAKEN,
              "job type \""
                  + t
                  + "\" is already run by "
                  + view.label(prior)
                  + "; "
                  + view.label(r)
                  + " is not used for it (remove one of the plugins, or disable one with"
                  + " [plugins.<id>] enabled = false)");
        }
      }
    }
    return Collections.unmodifiableMap(out);
  }

  /**
   * Binds each hook to the signals it wants, except those the JVM reserves.
   *
   * @param signals asks a hook its signals (null: none)
   * @return each signal and its hooks in order; unmodifiable
   */
  public static <C> Map<Signal, List<C>> hooks(
      List<C> hooks, Contributions<C> view, Function<C, Set<Signal>> signals, Refusals refusals) {
    Map<Signal, List<C>> out = new LinkedHashMap<>();
    for (C h : hooks) {
      Set<Signal> ss = signals.apply(h);
      for (Signal s : ss == null ? Set.<Signal>of() : ss) {
        if (s.reservedByJvm()) {
          refusals.refuse(
              view.pluginId(h),
              Refusal.RESERVED_SIGNAL,
              view.label(h)
                  + " wants "
                  + s.fullName()
                  + ", which the JVM reserves"
                  + (s == Signal.KILL || s == Signal.STOP
                      ? " (it cannot be caught at all)"
                      : " for itself")
                  + "; the hook is refused for it. Bind it to USR2 instead");
          continue;
        }
        out.computeIfAbsent(s, k -> new ArrayList<>()).add(h);
      }
    }
    out.replaceAll((s, list) -> List.copyOf(list));
    return Collections.unmodifiableMap(out);
  }

  /**
   * Binds each plugin command to its name, unless the name is malformed, one of {@code builtIns},
   * or an earlier command's.
   *
   * @param names asks a command its name (null: refused as malformed)
   * @param builtIns the names of the host's own commands, which no plugin may take
   * @return each name and its command, in order; unmodifiable
   */
  public static <C> Map<String, C> commands(
      List<C> commands,
      Contributions<C> view,
      Function<C, String> names,
      Set<String> builtIns,
      Refusals refusals) {
    Map<String, C> out = new LinkedHashMap<>();
    for (C c : commands) {
      String name = names.apply(c);
      if (name == null || !COMMAND_NAME.matcher(name).matches()) {
        refusals.refuse(
            view.pluginId(c),
            Refusal.BAD_COMMAND_NAME,
            view.label(c)
                + " names its command \""
                + name
                + "\"; a command name is lowercase letters, digits and dashes; the command is"
                + " refused");
      } else if (builtIns.contains(name)) {
        refusals.refuse(
            view.pluginId(c),
            Refusal.BUILT_IN_COMMAND,
            view.label(c)
                + " contributes the command \""
                + name
                + "\", which is a built-in command of jobhost; the plugin's command is refused."
                + " Rename it in the plugin");
      } else if (out.containsKey(name)) {
        refusals.refuse(
            view.pluginId(c),
            Refusal.COMMAND_TAKEN,
            view.label(c)
                + " contributes the command \""
                + name
                + "\", which "
                + view.label(out.get(name))
                + " already contributes; the second is refused. Rename one, or disable a plugin"
                + " with [plugins.<id>] enabled = false");
      } else {
        out.put(name, c);
      }
    }
    return Collections.unmodifiableMap(out);
  }
}
