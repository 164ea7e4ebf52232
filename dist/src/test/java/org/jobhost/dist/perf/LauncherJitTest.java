package org.jobhost.dist.perf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher picks the JIT per process kind from the figures in bench/README.md: the daemon
 * ({@code run}) compiles with full tiered compilation, a command-line call with C1 only. Runs the
 * launcher script against a stand-in {@code java} that prints the arguments it was given.
 */
class LauncherJitTest {

  private static final String C1_ONLY = "-XX:TieredStopAtLevel=1";

  @TempDir Path dir;
  private Path javaHome;

  @BeforeEach
  void fakeJdk() throws IOException {
    javaHome = dir.resolve("jdk");
    Files.createDirectories(javaHome.resolve("bin"));
    Path java = javaHome.resolve("bin/java");
    Files.writeString(java, "#!/bin/sh\nfor a in \"$@\"; do echo \"$a\"; done\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.writeString(javaHome.resolve("release"), "JAVA_VERSION=\"17.0.15\"\n");
  }

  private List<String> jvmArgs(String... args) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of("sh", Path.of("src/main/dist/bin/jobhost").toAbsolutePath().toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("JAVA_HOME", javaHome.toString());
    pb.environment().put("JOBHOST_HOME", dir.toString());
    pb.environment().put("JOBHOST_CDS", "off");
    pb.environment().remove("JAVA_OPTS");
    Process p = pb.start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    List<String> all = out.lines().toList();
    return all.subList(0, all.indexOf("org.jobhost.host.Main"));
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
