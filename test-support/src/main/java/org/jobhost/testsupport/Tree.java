package org.jobhost.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The assembled tree under test: the directory named by the system property {@code jobhost.tree}
 * (failsafe sets it to dist's {@code target/jobhost}). Stateless.
 */
public final class Tree {

  private Tree() {}

  /** The tree's root, with {@code bin/jobhost}; fails naming the property when there is none. */
  public static Path root() {
    String t = System.getProperty("jobhost.tree");
    if (t == null || !Files.isExecutable(Path.of(t, "bin", "jobhost"))) {
      throw new IllegalStateException(
          "system property jobhost.tree must name an assembled tree with bin/jobhost (was "
              + t
              + "); run the tests through failsafe (mvn verify), which assembles dist/ first");
    }
    return Path.of(t);
  }

  /** The launcher, {@code bin/jobhost}. */
  public static Path launcher() {
    return root().resolve("bin").resolve("jobhost");
  }

  /** The tree's {@code lib/}: the host, the plugin API and their libraries. */
  public static Path lib() {
    return root().resolve("lib");
  }
}
