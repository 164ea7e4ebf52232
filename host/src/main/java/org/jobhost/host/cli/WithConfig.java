package org.jobhost.host.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A command that reads the configuration: the base of the built-in commands that do, each with
 * {@code --help} and {@code --version}, and run for its exit code. Its options are documented here
 * for help; their values are taken from the whole command line by {@link GlobalOptions}, before or
 * after the name.
 */
@Command(mixinStandardHelpOptions = true)
abstract class WithConfig implements Callable<Integer> {
  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description =
          "The configuration file (default: $JOBHOST_CONFIG, else conf/jobhost.toml of the installation).")
  Path config;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description = "Override a top-level setting, such as --set max_workers=4.")
  List<String> overrides = new ArrayList<>();
}
