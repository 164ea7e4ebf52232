package org.jobhost.host.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import org.jobhost.binding.BindingRules;
import org.jobhost.host.DefaultPluginContext;
import org.jobhost.host.ExitCodes;
import org.jobhost.host.config.Config;
import org.jobhost.host.config.ConfigException;
import org.jobhost.host.config.ConfigLoader;
import org.jobhost.host.plugins.Bindings;
import org.jobhost.host.plugins.Plugins;
import org.jobhost.host.service.ServiceException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Parses the command line with picocli and runs the command. Plugin subcommands are found by
 * loading the plugins. Not thread-safe; one instance per invocation.
 */
public final class Cli {

  /**
   * What {@code jobhost run} was asked for.
   *
   * @param daemonized started by {@code jobhost start} in its own session (a service run)
   */
  public record RunOptions(
      ConfigLoader loader,
      Path config,
      List<String> overrides,
      boolean exitWhenIdle,
      boolean daemonized) {}

  /**
   * The names of the host's own commands; a plugin command may take none of them. Kept with the
   * binding rules ({@link BindingRules#BUILT_IN_COMMANDS}), which the plugin test kit applies too:
   * a new built-in command is added there.
   */
  public static final Set<String> BUILT_IN_COMMANDS = BindingRules.BUILT_IN_COMMANDS;

  /**
   * The built-in commands that only reach the running daemon (over its socket, or with a signal) or
   * print the version: they load no plugin and open no database. The launcher ({@code bin/jobhost},
   * which lists the same names) gives them the few libraries they use and a class-data archive of
   * their own.
   */
  public static final Set<String> CONTROL_COMMANDS = BindingRules.CONTROL_COMMANDS;

  private static final Set<String> HELP_FLAGS = Set.of("-h", "--help");

  private final ConfigLoader loader;
  private final ToIntFunction<RunOptions> daemon;
  private final PrintWriter out;
  private final PrintWriter err;

  /**
   * @param loader finds and reads the configuration
   * @param daemon runs the daemon for {@code jobhost run}
   */
  public Cli(ConfigLoader loader, ToIntFunction<RunOptions> daemon) {
    this(
        loader,
        daemon,
        new PrintWriter(System.out, true, StandardCharsets.UTF_8),
        new PrintWriter(System.err, true, StandardCharsets.UTF_8));
  }

  Cli(ConfigLoader loader, ToIntFunction<RunOptions> daemon, PrintWriter out, PrintWriter err) {
    this.loader = loader;
    this.daemon = daemon;
    this.out = out;
    this.err = err;
  }

  private GlobalOptions global = new GlobalOptions(null, List.of(), List.of());

  /**
   * Whether the process that runs {@code args} takes over the stray signals ({@link
   * org.jobhost.host.signal.SignalBridge#TAKEN_AT_START}) from its first line: the daemon and every
   * command but the short control commands, which end on a stray signal as any command-line program
   * does and spare the set-up (about a tenth of a {@code status}). {@code top} keeps them: Ctrl-Z
   * must not suspend it with the terminal in its raw mode. True for a command line that does not
   * parse.
   */
  public static boolean takesStraySignals(List<String> args) {
    String command;
    try {
      command = GlobalOptions.scan(args).commandName();
    } catch (GlobalOptions.UsageError e) {
      return true;
    }
    return command == null || command.equals("top") || !CONTROL_COMMANDS.contains(command);
  }

  /** Runs the command line; returns the exit code. */
  public int execute(List<String> args) {
    try {
      global = GlobalOptions.scan(args);
    } catch (GlobalOptions.UsageError e) {
      err.println("jobhost: " + e.getMessage());
      err.println("Run 'jobhost --help' for usage.");
      return ExitCodes.USAGE;
    }
    Callable<Integer> quick = controlCommand(global.rest());
    if (quick == null) {
      quick = plainRun(global.rest());
    }
    if (quick != null) {
      return withoutPicocli(quick);
    }
    String first = global.commandName();
    boolean builtIn = first != null && BUILT_IN_COMMANDS.contains(first);
    boolean help =
        first == null
            ? global.rest().isEmpty() || global.rest().stream().anyMatch(HELP_FLAGS::contains)
            : first.equals("help");
    // A call that names a command gets picocli's model of that command alone.
    String only = help ? null : first;
    CommandLine cl = builtIns(only);
    PluginCommands commands = null;
    if (help || (first != null && !builtIn)) {
      Config cfg;
      try {
        cfg = loader.load(global.config(), global.overrides());
      } catch (ConfigException e) {
        if (!help) {
          err.println("jobhost: " + e.getMessage());
          return ExitCodes.CONFIG;
        }
        cfg = null;
        PluginCommands.helpWithout(cl, e.getMessage());
      }
      if (cfg != null) {
        if (!help && !ServiceUser.become(cfg, err)) {
          return ExitCodes.FAILURE;
        }
        Plugins plugins = Plugins.load(cfg.dirs().plugins(), cfg::pluginEnabled, cfg::pluginFile);
        Bindings bindings = Bindings.bind(plugins, BUILT_IN_COMMANDS);
        Config loaded = cfg;
        commands =
            new PluginCommands(
                bindings.commands(),
                id -> DefaultPluginContext.commandLine(id, loaded, loaded.strict()),
                out,
                err);
        commands.addTo(cl, only != null && commands.bound(only) ? only : null);
      }
      if (first != null && !builtIn && (commands == null || !commands.has(first))) {
        err.println(
            "jobhost: unknown command '"
                + first
                + "'; built-in commands are "
                + new java.util.TreeSet<>(BUILT_IN_COMMANDS)
                + (commands == null || commands.names().isEmpty()
                    ? ""
                    : ", plugin commands are " + commands.names())
                + ". Run 'jobhost --help' for usage.");
        return ExitCodes.USAGE;
      }
    }
    wire(cl, commands);
    int code = cl.execute(global.rest().toArray(new String[0]));
    out.flush();
    err.flush();
    return code;
  }

  /**
   * Sets how {@code cl} runs: the host's options go into every built-in command that reads the
   * configuration, a plugin command runs between its plugin's init and close, and errors print as
   * the README says (usage 2, configuration 78, failure 1).
   *
   * @param plugin the plugin commands added to {@code cl}, or {@code null}
   */
  private void wire(CommandLine cl, PluginCommands plugin) {
    cl.setExecutionStrategy(
        parsed -> {
          Integer helped = CommandLine.executeHelpRequest(parsed);
          if (helped != null) {
            return helped;
          }
          for (CommandLine c : parsed.asCommandLineList()) {
            if (c.getCommand() instanceof WithConfig w) {
              w.config = global.config();
              w.overrides = new ArrayList<>(global.overrides());
            }
          }
          if (plugin != null && plugin.owns(parsed)) {
            return plugin.execute(parsed);
          }
          return new CommandLine.RunLast().execute(parsed);
        });
    cl.setParameterExceptionHandler(
        (ex, a) -> {
          if (plugin != null && plugin.owns(ex.getCommandLine())) {
            return plugin.usageError(ex);
          }
          err.println("jobhost: " + ex.getMessage());
          err.println("Run 'jobhost --help' for usage.");
          return ExitCodes.USAGE;
        });
    cl.setExecutionExceptionHandler(
        (ex, c, p) -> plugin != null && plugin.owns(c) ? plugin.failed(c, ex) : failed(ex));
  }

  /** Prints what a built-in command threw as the README says; returns the exit code. */
  private int failed(Exception ex) {
    if (ex instanceof ConfigException) {
      err.println("jobhost: " + ex.getMessage());
      return ExitCodes.CONFIG;
    }
    if (ex instanceof ServiceException) {
      err.println("jobhost: " + ex.getMessage());
      return ExitCodes.FAILURE;
    }
    err.println("jobhost: " + ex);
    return ExitCodes.FAILURE;
  }

  /** The options of {@code run} that {@link #plainRun} takes. */
  private static final Set<String> PLAIN_RUN_FLAGS = Set.of("--exit-when-idle", "--daemonized");

  /**
   * {@code run} with no option but {@code --exit-when-idle} and {@code --daemonized} (the call of
   * systemd, the init script and {@code jobhost start}), for {@link #withoutPicocli}: picocli's
   * model, whose Java 5 classes no class-data archive holds, is about a tenth of the daemon's
   * start; {@code null} for any other call.
   */
  private Callable<Integer> plainRun(List<String> rest) {
    if (rest.isEmpty()
        || !rest.get(0).equals("run")
        || !PLAIN_RUN_FLAGS.containsAll(rest.subList(1, rest.size()))) {
      return null;
    }
    Run run = new Run();
    run.config = global.config();
    run.overrides = new ArrayList<>(global.overrides());
    run.exitWhenIdle = rest.contains("--exit-when-idle");
    run.daemonized = rest.contains("--daemonized");
    return run;
  }

  /**
   * A call that {@link ServiceCommands#withoutPicocli} takes, for {@link #withoutPicocli}; {@code
   * null} for any other call.
   */
  private Callable<Integer> controlCommand(List<String> rest) {
    return new ServiceCommands(loader, out, err)
        .withoutPicocli(rest, global.config(), global.overrides());
  }

  /** Runs a command picocli did not parse as picocli would have run it; returns the exit code. */
  private int withoutPicocli(Callable<Integer> command) {
    int code;
    try {
      code = command.call();
    } catch (Exception ex) {
      code = failed(ex);
    }
    out.flush();
    err.flush();
    return code;
  }

  /**
   * The built-in commands; with {@code only}, that one alone (none when it names a plugin's
   * command): building picocli's model of every command is a good part of a short call such as
   * {@code jobhost status}, and a call names one.
   */
  private CommandLine builtIns(String only) {
    CommandLine cl = new CommandLine(new RootCommand());
    PluginReportCommands reports = new PluginReportCommands(loader, out, err);
    Map<String, Supplier<Object>> all = new LinkedHashMap<>();
    all.put("help", CommandLine.HelpCommand::new);
    all.put("run", Run::new);
    all.put(
        "plugins",
        () ->
            new CommandLine(reports.new PluginsCommand())
                .addSubcommand("reload", reports.new PluginsReload()));
    all.put("signals", () -> reports.new Signals());
    all.put("check", () -> reports.new Check());
    all.put("version", VersionCommand::new);
    new ServiceCommands(loader, out, err).commands().forEach((name, c) -> all.put(name, () -> c));
    all.put("top", () -> new TopCommand(loader, out, err));
    all.forEach(
        (name, make) -> {
          if (only == null || only.equals(name)) {
            cl.addSubcommand(name, make.get());
          }
        });
    cl.setOut(out);
    cl.setErr(err);
    cl.setExitCodeExceptionMapper(e -> ExitCodes.FAILURE);
    return cl;
  }

  @Command(name = "run", description = "Run the daemon in the foreground.")
  final class Run extends WithConfig {
    @Option(
        names = "--exit-when-idle",
        description = "Exit 0 once no source has work and no job runs.")
    boolean exitWhenIdle;

    @Option(
        names = {"-d", "--detach"},
        description = "Run in the background, like 'jobhost start'.")
    boolean detach;

    @Mixin UserOption user = new UserOption();

    @Option(names = "--daemonized", hidden = true)
    boolean daemonized;

    @Override
    public Integer call() throws java.io.IOException {
      List<String> sets = user.addTo(overrides);
      if (detach) {
        return new ServiceCommands(loader, out, err)
            .startDaemon(config, sets, ServiceCommands.START_TIMEOUT);
      }
      return daemon.applyAsInt(new RunOptions(loader, config, sets, exitWhenIdle, daemonized));
    }
  }

  @Command(name = "version", description = "Print the version.")
  final class VersionCommand implements Callable<Integer> {
    @Override
    public Integer call() {
      out.println(RootCommand.versionLine());
      return ExitCodes.OK;
    }
  }
}
