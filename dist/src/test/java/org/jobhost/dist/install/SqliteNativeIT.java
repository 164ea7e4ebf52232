package org.jobhost.dist.install;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jobhost.dist.support.SpoolFiles;
import org.jobhost.testsupport.Cli;
import org.jobhost.testsupport.HostConfig;
import org.jobhost.testsupport.Tree;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon loads SQLite's native library from the tree ({@code lib/sqlite-native}, unpacked when
 * the tree was built) and writes no copy of it into the temporary directory: the driver would
 * otherwise write 1.1 MB there at every start, and a killed daemon leaves it behind. The launcher
 * finds the library's directory without running {@code uname} or {@code getconf}.
 */
class SqliteNativeIT {

  private static final Path TREE = Tree.root();

  @TempDir Path tmp;

  @Test
  void theDaemonLoadsSqliteFromTheTreeAndWritesNoLibraryIntoTheTemporaryDirectory()
      throws Exception {
    Assumptions.assumeTrue(Shell.run("sh", "-c", "command -v strace").code() == 0, "no strace");
    Assumptions.assumeTrue(
        Shell.run("sh", "-c", "getconf GNU_LIBC_VERSION").code() == 0, "not a glibc system");
    HostConfig config = HostConfig.write(tmp, "", "");
    SpoolFiles.drop(
        config.spool(), "job.json", "{\"type\": \"command\", \"params\": {\"argv\": \"true\"}}");
    Path javaTmp = Files.createDirectories(tmp.resolve("java-tmp"));
    Path trace = tmp.resolve("trace");

    Cli run =
        Shell.run(
            Map.of("JAVA_OPTS", "-Djava.io.tmpdir=" + javaTmp),
            Shell.untilIdle(
                TREE,
                config.file(),
                "strace",
                "-f",
                "-qq",
                "-e",
                "trace=openat,execve",
                "-o",
                trace.toString()));

    assertThat(run.code()).as(run.all()).isZero();
    assertThat(config.spool().resolve("done/job.json")).as("the job ran").exists();
    List<String> opens;
    List<String> programs;
    try (Stream<String> lines = Files.lines(trace)) {
      List<String> all = lines.toList();
      opens = all.stream().filter(l -> l.contains("libsqlitejdbc")).toList();
      programs = all.stream().filter(l -> l.contains("execve(")).toList();
    }
    assertThat(programs)
        .as("the launcher reads the JVM's architecture and C library from its release file")
        .isNotEmpty()
        .noneMatch(l -> l.contains("/uname\"") || l.contains("/getconf\""));
    assertThat(opens)
        .as("SQLite's library opened from the tree")
        .anyMatch(l -> l.contains("/lib/sqlite-native/org/sqlite/native/Linux/"));
    assertThat(opens)
        .as("no copy of SQLite's library written into java.io.tmpdir")
        .noneMatch(l -> l.contains(javaTmp.toString()));
  }
}
