package org.jobhost.host.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code --user NAME} of {@code run} and {@code start}: the user the daemon runs as, which reaches
 * the configuration as the setting {@code user}. Mixed into each command; not thread-safe.
 */
final class UserOption {

  @Option(names = "--user", paramLabel = "NAME", description = "Run as this user (from root).")
  String name;

  /** {@code overrides}, followed by {@code user=NAME} when the option was given. */
  List<String> addTo(List<String> overrides) {
    List<String> all = new ArrayList<>(overrides);
    if (name != null) {
      all.add("user=" + name);
    }
    return all;
  }
}
