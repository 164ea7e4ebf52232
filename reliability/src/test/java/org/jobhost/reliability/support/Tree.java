package org.jobhost.reliability.support;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The assembled tree under test ({@code jobhost.tree}, set by failsafe to dist's {@code
 * target/jobhost}) and the sizes of the bounded or full run (system properties set by the pom and
 * its {@code reliability-full} profile). Stateless.
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
              + "); build it with mvn package -pl dist -am, then mvn verify -pl reliability");
    }
    return Path.of(t);
  }

  /** An integer size of the run, such as {@code reliability.kill.jobs}. */
  public static int size(String name, int fallback) {
    String v = System.getProperty(name);
    return v == null || v.isBlank() ? fallback : Integer.parseInt(v.trim());
  }

  /** Where the suite writes its figures (samples, plots): {@code target/reliability}. */
  public static Path reportDir() {
    return Path.of(System.getProperty("reliability.report", "target/reliability"));
  }
}
