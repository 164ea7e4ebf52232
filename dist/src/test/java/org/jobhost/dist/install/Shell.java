package org.jobhost.dist.install;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jobhost.testsupport.Cli;

/**
 * Runs the package tests' commands ({@code dpkg}, the installed {@code jobhost}, systemd tools)
 * through {@link Cli}, as an operator's shell would: without the test JVM's jobhost and JVM
 * settings, and with dpkg non-interactive. Stateless.
 */
final class Shell {

  /** How long a command may take: a dpkg run on a loaded 2-core machine. */
  static final Duration TIMEOUT = Duration.ofSeconds(180);

  private Shell() {}

  /**
   * The command {@code prefix... <tree>/bin/jobhost run --exit-when-idle --config <config>}: a
   * daemon that exits once its sources are drained, behind a wrapper such as strace or runuser.
   */
  static String[] untilIdle(Path tree, Path config, String... prefix) {
    List<String> cmd = new ArrayList<>(List.of(prefix));
    cmd.addAll(
        List.of(
            tree.resolve("bin/jobhost").toString(),
            "run",
            "--exit-when-idle",
            "--config",
            config.toString()));
    return cmd.toArray(new String[0]);
  }

  static Cli run(String... cmd) {
    return run(Map.of(), cmd);
  }

  /** Runs {@code cmd} with {@code env} on top of this JVM's environment. */
  static Cli run(Map<String, String> env, String... cmd) {
    Map<String, String> all = new HashMap<>();
    all.put("JOBHOST_CDS_DIR", null);
    all.put("JAVA_OPTS", null);
    all.put("DEBIAN_FRONTEND", "noninteractive");
    all.putAll(env);
    return Cli.run(List.of(cmd), all, TIMEOUT);
  }
}
