package org.jobhost.dist.perf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher picks the JIT per process kind from the figures in bench/README.md: the daemon
 * ({@code run}) compiles with full tiered compilation, a command-line call with C1 only. Runs the
 * launcher script against a stand-in {@code java} that prints the arguments it was given ({@link
 * LauncherArgs}).
 */
class LauncherJitTest {

  private static final String C1_ONLY = "-XX:TieredStopAtLevel=1";

  @TempDir Path dir;
  private LauncherArgs launcher;

  @BeforeEach
  void fakeJdk() throws IOException {
    launcher = LauncherArgs.in(dir, dir);
  }

  private List<String> jvmArgs(String... args) throws Exception {
    return launcher.of(args);
  }

  @Test
  void theDaemonRunsWithFullTieredCompilation() throws Exception {
    assertThat(jvmArgs("run")).doesNotContain(C1_ONLY).contains("-XX:+UseSerialGC");
    assertThat(jvmArgs("--config", "/etc/jobhost/jobhost.toml", "run", "--exit-when-idle"))
        .doesNotContain(C1_ONLY);
  }

  @Test
  void aCommandLineCallRunsWithC1Only() throws Exception {
    assertThat(jvmArgs("status")).contains(C1_ONLY);
    assertThat(jvmArgs("--config", "run", "history", "--limit", "5"))
        .as("a configuration file named run is not the run command")
        .contains(C1_ONLY);
    assertThat(jvmArgs("--set", "x=1", "stop")).contains(C1_ONLY);
  }
}
