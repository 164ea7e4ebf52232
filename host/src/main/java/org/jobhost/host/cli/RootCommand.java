package org.jobhost.host.cli;

import org.jobhost.host.ExitCodes;
import org.jobhost.host.Version;
import org.jobhost.host.plugins.Plugins;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code jobhost} itself: the root of the command tree, its help footer and its version. Given no
 * command, it prints its usage and exits 2. The commands are added to it by {@link Cli}.
 */
@Command(
    name = "jobhost",
    versionProvider = RootCommand.VersionProvider.class,
    description = "A Unix job-host daemon whose job sources, runners and signal hooks are plugins.",
    footer = {
      "",
      "Plugins add commands of their own (jobhost <command> ...), listed above with their plugin.",
      "--config and --set are accepted before or after any command name.",
      "Exit codes: 0 ok, 1 failure, 2 usage error, 78 invalid configuration;"
          + " status: 0 running, 1 dead with PID file, 3 not running; 7 not running (control commands)."
    })
final class RootCommand extends WithConfig {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return ExitCodes.USAGE;
  }

  /** The version line: jobhost's, the plugin API's and the JVM's. */
  static String versionLine() {
    return "jobhost "
        + Version.get()
        + " (plugin API "
        + Plugins.API_VERSION
        + ", Java "
        + Runtime.version()
        + ")";
  }

  /** Gives picocli's {@code --version} the version line. */
  static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {versionLine()};
    }
  }
}
