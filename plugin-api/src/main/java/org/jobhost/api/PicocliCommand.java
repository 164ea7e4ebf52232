package org.jobhost.api;

import java.util.List;

/**
 * A plugin command whose arguments <a href="https://picocli.info">picocli</a> parses, the library
 * the host's own command line is built with. Register it like any command, in {@code
 * META-INF/services/org.jobhost.api.CliCommand}.
 *
 * <p>This API does not depend on picocli: the command crosses it typed {@link Object}. The plugin
 * compiles against {@code info.picocli:picocli} with scope {@code provided} and never bundles it:
 * the host's plugin class loader hands every {@code picocli.} class to the plugin from the host (as
 * it does for {@code org.jobhost.api.} and {@code org.slf4j.}), so the plugin's annotations and the
 * host's parser are the same classes. A copy shaded into the plugin jar is ignored.
 *
 * <p>What the host does with it:
 *
 * <ul>
 *   <li>lists it in {@code jobhost --help} with its {@link #summary()} and plugin id; {@code
 *       jobhost help <name>} and {@code jobhost <name> --help} print its usage (give the command
 *       {@code mixinStandardHelpOptions = true} for the latter);
 *   <li>parses the arguments; a usage error (an unknown option, a missing parameter, a {@code
 *       picocli.CommandLine.ParameterException} the command throws) prints {@code jobhost <name>:
 *       <message>} and the usage of the (sub)command on standard error, exit code 2, and {@link
 *       #init} is not called;
 *   <li>takes out its own options {@code --config FILE} ({@code -c}) and {@code --set KEY=VALUE}
 *       before or after the command name (up to {@code --}); they never reach the command, which
 *       must not declare them;
 *   <li>once parsing succeeded, calls {@link #init} with the plugin's settings, runs the command
 *       (or the subcommand named), then {@link #close}. The exit code is a {@code
 *       Callable<Integer>}'s value, 0 for a {@code Runnable}; an exception it throws prints {@code
 *       jobhost <name> (plugin <id>) failed: ...} and exits 1.
 * </ul>
 *
 * <p>The command writes to picocli's streams, {@code spec.commandLine().getOut()} and {@code
 * getErr()} of an injected {@code @Spec CommandSpec}; the host sets them to its standard output and
 * error. Subcommands ({@code jobhost queue stats}) are ordinary picocli subcommands.
 */
public interface PicocliCommand extends CliCommand {

  /**
   * The picocli form of this command: an object annotated with picocli's {@code @Command} (often
   * {@code this}), a {@code picocli.CommandLine.Model.CommandSpec}, or a {@code
   * picocli.CommandLine} (to add subcommands). Called once per process, before {@link #init}, also
   * when the command does not run (for help), so it must not need the settings.
   */
  Object picocliCommand();

  /** Not called for a picocli command: the host runs {@link #picocliCommand()} instead. */
  @Override
  default int run(List<String> args, Console console) throws Exception {
    throw new UnsupportedOperationException(
        name() + " is a picocli command; the host runs its picocliCommand()");
  }
}
