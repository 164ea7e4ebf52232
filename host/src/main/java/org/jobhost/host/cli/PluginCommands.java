package org.jobhost.host.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.jobhost.api.CliCommand;
import org.jobhost.api.PicocliCommand;
import org.jobhost.api.PluginContext;
import org.jobhost.binding.LoadHints;
import org.jobhost.host.ExitCodes;
import org.jobhost.host.plugins.Contribution;
import org.jobhost.host.plugins.FaultBoundary;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * The plugins' commands as picocli subcommands of {@code jobhost}: listed in {@code jobhost --help}
 * with their plugin id, helped by {@code jobhost help <name>}, parsed by picocli, and run between
 * the plugin's {@code init} (only once parsing succeeded) and {@code close}. Not thread-safe; one
 * instance per command line.
 */
final class PluginCommands {

  private static final String SECTION = "pluginCommands";

  private final Map<String, Contribution<CliCommand>> commands;
  private final Function<String, PluginContext> contexts;
  private final PrintWriter out;
  private final PrintWriter err;
  private final Map<String, CommandLine> lines = new LinkedHashMap<>();

  /**
   * @param commands the bound commands by name (clashes already refused by the bindings)
   * @param contexts the context each plugin's command gets in {@code init}
   */
  PluginCommands(
      Map<String, Contribution<CliCommand>> commands,
      Function<String, PluginContext> contexts,
      PrintWriter out,
      PrintWriter err) {
    this.commands = new LinkedHashMap<>(commands);
    this.contexts = contexts;
    this.out = out;
    this.err = err;
  }

  /**
   * Adds the command {@code only} (every command when {@code null}) to {@code root}, and the
   * "Plugin commands" section to its help. A call that names one plugin command needs the picocli
   * model of that one alone, and building the others' was a good part of a short call such as
   * {@code jobhost history}.
   */
  void addTo(CommandLine root, String only) {
    for (Map.Entry<String, Contribution<CliCommand>> e : commands.entrySet()) {
      String name = e.getKey();
      if (only != null && !only.equals(name)) {
        continue;
      }
      Contribution<CliCommand> c = e.getValue();
      CommandLine sub;
      try {
        Object picocli = c.extension() instanceof PicocliCommand p ? p.picocliCommand() : null;
        sub =
            picocli == null
                ? new CommandLine(raw(name, c))
                : picocli instanceof CommandLine l ? l : new CommandLine(picocli);
      } catch (RuntimeException | LinkageError ex) {
        err.println(
            "jobhost: the command "
                + name
                + " of plugin "
                + c.pluginId()
                + " cannot be set up and is left out: "
                + LoadHints.describe(ex));
        continue;
      }
      sub.getCommandSpec().usageMessage().hidden(true);
      root.addSubcommand(name, sub);
      CommandLine added = root.getSubcommands().get(name);
      added.setOut(out);
      added.setErr(err);
      lines.put(name, added);
    }
    addSection(root, this::listing);
  }

  /** Help of {@code root} when the plugins could not be read. */
  static void helpWithout(CommandLine root, String why) {
    addSection(
        root,
        help ->
            "%nPlugin commands:%n  (not listed: the configuration cannot be read: %s)%n"
                .formatted(why.replace("%", "%%")));
  }

  private static void addSection(CommandLine root, CommandLine.IHelpSectionRenderer renderer) {
    root.getHelpSectionMap().put(SECTION, renderer);
    List<String> keys = new ArrayList<>(root.getHelpSectionKeys());
    int at = keys.indexOf(CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST);
    keys.add(at < 0 ? keys.size() : at + 1, SECTION);
    root.setHelpSectionKeys(keys);
  }

  private String listing(CommandLine.Help help) {
    if (lines.isEmpty()) {
      return String.format("%nPlugin commands:%n  (none)%n");
    }
    int width = lines.keySet().stream().mapToInt(String::length).max().orElse(0);
    StringBuilder sb = new StringBuilder(String.format("%nPlugin commands:%n"));
    for (String name : lines.keySet()) {
      Contribution<CliCommand> c = commands.get(name);
      String summary =
          FaultBoundary.call(c.pluginId(), "CliCommand.summary", c.extension()::summary, "");
      sb.append(
          String.format(
              "  %-" + width + "s  %s [plugin %s]%n",
              name,
              summary == null ? "" : summary,
              c.pluginId()));
    }
    return sb.toString();
  }

  boolean has(String name) {
    return lines.containsKey(name);
  }

  /** Whether a plugin's extension binds the command {@code name}, set up or not. */
  boolean bound(String name) {
    return commands.containsKey(name);
  }

  TreeSet<String> names() {
    return new TreeSet<>(lines.keySet());
  }

  /** Whether the parsed command line runs a plugin command. */
  boolean owns(CommandLine.ParseResult parsed) {
    return parsed.subcommand() != null && owns(parsed.subcommand().commandSpec().commandLine());
  }

  /** Whether {@code c} is a plugin command or one of its subcommands. */
  boolean owns(CommandLine c) {
    return topName(c) != null;
  }

  private String topName(CommandLine c) {
    for (CommandLine at = c; at != null; at = at.getParent()) {
      for (Map.Entry<String, CommandLine> e : lines.entrySet()) {
        if (e.getValue() == at) {
          return e.getKey();
        }
      }
    }
    return null;
  }

  /** Runs the parsed plugin command: init, the command, close. */
  int execute(CommandLine.ParseResult parsed) {
    String name = topName(parsed.subcommand().commandSpec().commandLine());
    Contribution<CliCommand> c = commands.get(name);
    try {
      c.extension().init(contexts.apply(c.pluginId()));
      return new CommandLine.RunLast().execute(parsed);
    } catch (CommandLine.ExecutionException | CommandLine.ParameterException e) {
      throw e;
    } catch (Exception | LinkageError e) {
      return failed(name, c, e);
    } finally {
      out.flush();
      FaultBoundary.run(c.pluginId(), "CliCommand.close", c.extension()::close);
    }
  }

  /** A usage error in a plugin command: its message and its usage, exit 2. */
  int usageError(CommandLine.ParameterException ex) {
    err.println("jobhost " + topName(ex.getCommandLine()) + ": " + ex.getMessage());
    ex.getCommandLine().usage(err);
    err.flush();
    return ExitCodes.USAGE;
  }

  /** An exception the plugin command threw: one line naming the command and plugin, exit 1. */
  int failed(CommandLine c, Exception ex) {
    String name = topName(c);
    return failed(name, commands.get(name), ex);
  }

  private int failed(String name, Contribution<CliCommand> c, Throwable e) {
    err.println(
        "jobhost " + name + " (plugin " + c.pluginId() + ") failed: " + LoadHints.describe(e));
    err.flush();
    return ExitCodes.FAILURE;
  }

  /** A command that parses its own arguments, as a picocli command taking every word. */
  private CommandSpec raw(String name, Contribution<CliCommand> c) {
    PositionalParamSpec words =
        PositionalParamSpec.builder()
            .index("0..*")
            .arity("0..*")
            .type(String[].class)
            .paramLabel("ARGS")
            .description("the command's own arguments")
            .build();
    Callable<Integer> run =
        () -> {
          String[] given = words.getValue();
          CliCommand.Console console =
              new CliCommand.Console() {
                @Override
                public PrintWriter out() {
                  return out;
                }

                @Override
                public PrintWriter err() {
                  return err;
                }
              };
          return c.extension().run(given == null ? List.of() : List.of(given), console);
        };
    CommandSpec spec = CommandSpec.wrapWithoutInspection(run);
    spec.name(name);
    spec.usageMessage().description(c.extension().summary());
    spec.addPositional(words);
    spec.parser().unmatchedOptionsArePositionalParams(true);
    return spec;
  }
}
