package org.jobhost.host.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * A command that reads the configuration: the base of the built-in commands that do. Its options
 * are documented here for help; their values are taken from the whole command line by {@link
 * GlobalOptions}, before or after the name.
 */
abstract class WithConfig {
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
