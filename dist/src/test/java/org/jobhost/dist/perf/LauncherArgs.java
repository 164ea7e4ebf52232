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

/**
 * Runs the launcher script ({@code src/main/dist/bin/jobhost}) against a stand-in JDK 17 whose
 * {@code java} prints the arguments it was given, with an installation directory of the test's
 * choosing and no class-data archive, and returns the JVM's arguments before the main class.
 */
final class LauncherArgs {

  private final Path home;
  private final Path javaHome;

  private LauncherArgs(Path home, Path javaHome) {
    this.home = home;
    this.javaHome = javaHome;
  }

  /** A stand-in JDK in {@code dir/jdk}, for an installation in {@code home}. */
  static LauncherArgs in(Path dir, Path home) throws IOException {
    Path javaHome = dir.resolve("jdk");
    Files.createDirectories(javaHome.resolve("bin"));
    Path java = javaHome.resolve("bin/java");
    Files.writeString(java, "#!/bin/sh\nfor a in \"$@\"; do echo \"$a\"; done\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.writeString(javaHome.resolve("release"), "JAVA_VERSION=\"17.0.15\"\n");
    return new LauncherArgs(home, javaHome);
  }

  /** The JVM options the launcher gives for {@code args}. */
  List<String> of(String... args) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of("sh", Path.of("src/main/dist/bin/jobhost").toAbsolutePath().toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("JAVA_HOME", javaHome.toString());
    pb.environment().put("JOBHOST_HOME", home.toString());
    pb.environment().put("JOBHOST_CDS", "off");
    pb.environment().remove("JAVA_OPTS");
    Process p = pb.start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    List<String> all = out.lines().toList();
    return all.subList(0, all.indexOf("org.jobhost.host.Main"));
  }
}
