package org.jobhost.api;

import java.util.List;

/**
 * A subcommand a plugin adds to the {@code jobhost} command line, such as {@code jobhost tasks}.
 *
 * <p>Runs in the command-line process, not in the daemon, whether or not a daemon runs: the plugin
 * is loaded and {@link #init} is called with the same settings, then {@link #run} once. The
 * daemon's {@link Host} is not available there; {@link PluginContext#host()} throws.
 *
 * <p>A command implementing this interface directly parses its own arguments: {@link #run} gets the
 * words after its name (the host's {@code --config} and {@code --set} already taken out, wherever
 * they stood). A command whose arguments picocli should parse implements {@link PicocliCommand}
 * instead (recommended: help, usage errors and exit codes come for free).
 *
 * <p>A name used by a built-in command ({@code run}, {@code check}, {@code plugins}, ...) or by an
 * earlier plugin's command is refused: {@code jobhost check} fails on it, and {@code jobhost
 * plugins} reports it as a problem of the plugin. {@link #name} and {@link #summary} are called
 * before {@link #init}, also when the command does not run (to list it in {@code jobhost --help}).
 */
public interface CliCommand extends Managed {

  /** The subcommand's name: lowercase letters, digits and dashes. Must not shadow a built-in. */
  String name();

  /** One line for {@code jobhost --help}. */
  String summary();

  /**
   * Runs the subcommand.
   *
   * @param args the arguments after the subcommand's name
   * @param console where to write results ({@code out}) and errors ({@code err})
   * @return the process exit code: 0 for success, 2 for a usage error, 1 for other failures
   */
  int run(List<String> args, Console console) throws Exception;

  /** The command line's output streams. */
  interface Console {
    /** Standard output. */
    java.io.PrintWriter out();

    /** Standard error. */
    java.io.PrintWriter err();
  }
}
