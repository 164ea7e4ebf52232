package org.jobhost.api;

import java.util.List;

/**
 * A subcommand a plugin adds to the {@code jobhost} command line, such as {@code jobhost tasks}.
 *
 * <p>Runs in the command-line process, not in the daemon, whether or not a daemon runs: the plugin
 * is loaded and {@link #init} is called with the same settings, then {@link #run} once. The
 * daemon's {@link Host} is not available there; {@link PluginContext#host()} throws.
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
