package org.jobhost.reliability.support;

import java.nio.file.Path;

/**
 * The sizes of the bounded or full run (system properties set by the pom and its {@code
 * reliability-full} profile) and where the suite writes its figures. Stateless.
 */
public final class Suite {

  private Suite() {}

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
