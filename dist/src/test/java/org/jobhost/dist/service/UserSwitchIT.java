package org.jobhost.dist.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Collectors;
import org.jobhost.testsupport.Cli;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Started as root with {@code user = "nobody"}, the daemon and its jobs run as nobody. */
class UserSwitchIT {

  @TempDir Path tmp;

  @Test
  void daemonAndItsCommandJobRunAsTheConfiguredUser() throws Exception {
    Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root");
    String nobodyUid = uidOf("nobody");
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path plugins = Sandbox.oneCommandPlugins(tmp);
    try (Sandbox box = new Sandbox(tmp)) {
      box.write("user = \"nobody\"\n", plugins);

      Cli start = box.jobhost("start");

      assertThat(start.code()).as(start.all()).isZero();
      long pid = box.pid().orElseThrow();
      assertThat(uidLine(pid)).startsWith("Uid:\t" + nobodyUid + "\t" + nobodyUid);
      Sandbox.awaitSleepingChild(pid);
      List<ProcessHandle> children =
          ProcessHandle.of(pid).orElseThrow().descendants().collect(Collectors.toList());
      for (ProcessHandle child : children) {
        assertThat(uidLine(child.pid())).startsWith("Uid:\t" + nobodyUid + "\t" + nobodyUid);
      }
      assertThat(Files.readString(box.log())).contains("running as user nobody (uid " + nobodyUid);
      assertThat(box.jobhost("status").out()).containsPattern("user +nobody");
      Cli stop = box.jobhost("stop");
      assertThat(stop.code()).as(stop.all()).isZero();
      assertThat(box.pidFile()).doesNotExist();
      assertThat(Files.readString(tmp.resolve("logs/jobhost.out"))).doesNotContain("WARNING:");
    }
  }

  private static String uidLine(long pid) throws IOException {
    return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
        .filter(l -> l.startsWith("Uid:"))
        .findFirst()
        .orElseThrow();
  }

  private static String uidOf(String user) throws Exception {
    Process p = new ProcessBuilder("id", "-u", user).start();
    p.waitFor();
    return new String(p.getInputStream().readAllBytes()).trim();
  }
}
