package org.jobhost.host.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessGroupsTest {

  @TempDir Path dir;

  private ProcessGroups groups(Path record) {
    return new ProcessGroups(Posix.load(), new ProcTable(), record);
  }

  @Test
  void theRecordStaysBoundedHoldingOnlyLiveGroupsAfterTwentyThousandJobs() throws Exception {
    Path record = dir.resolve("process-groups");
    ProcessGroups g = groups(record);
    g.cleanUpAfterCrash(Duration.ofSeconds(1));
    Process keep = g.start(new ProcessBuilder("sleep", "30"), "still-running");
    try {
      for (int i = 0; i < 20_000; i++) {
        // Ids far above pid_max: recorded and released like real groups, never signalled.
        long pgid = 10_000_000L + i;
        g.adopt(pgid, "job-" + i, 1);
        g.release(pgid);
      }

      assertThat(Files.size(record)).isLessThan(20_000);
      List<String> lines = Files.readAllLines(record);
      assertThat(lines).anyMatch(l -> l.startsWith("+ " + keep.pid() + " "));
      assertThat(lines.stream().filter(l -> l.startsWith("+ "))).hasSizeLessThan(300);
    } finally {
      keep.destroyForcibly();
    }
  }

  @Test
  void aHostKilledBetweenSpawnAndRecordLeavesNoChildBehind() throws Exception {
    Path record = dir.resolve("process-groups");
    Process host =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                CrashAfterSpawn.class.getName(),
                record.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    long child;
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(host.getInputStream(), StandardCharsets.UTF_8))) {
      String line = out.readLine();
      assertThat(line).startsWith("spawned ");
      child = Long.parseLong(line.substring("spawned ".length()));
    }
    new ProcessBuilder("kill", "-9", Long.toString(host.pid())).start().waitFor();
    assertThat(host.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(Files.readString(record)).doesNotContain("+ " + child);
    ProcTable proc = new ProcTable();
    assertThat(proc.groupAlive(child)).as("the child and its background sleep").isTrue();

    int found = groups(record).cleanUpAfterCrash(Duration.ofSeconds(2));

    assertThat(found).isEqualTo(1);
    assertThat(proc.groupAlive(child)).isFalse();
  }

  @Test
  void childrenGetNoNotifySocketOrWatchdogOfTheDaemon() throws Exception {
    ProcessGroups g = groups(null);
    ProcessBuilder b =
        new ProcessBuilder("sh", "-c", "echo \"${NOTIFY_SOCKET-none} ${WATCHDOG_USEC-none}\"");
    b.environment().put("NOTIFY_SOCKET", "/run/systemd/notify");
    b.environment().put("WATCHDOG_USEC", "30000000");

    Process p = g.start(b, "env-1");

    assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim())
        .isEqualTo("none none");
    p.waitFor(5, TimeUnit.SECONDS);
  }

  @Test
  void aRecordThatCannotBeWrittenStartsNoChild() throws Exception {
    Path notADirectory = Files.writeString(dir.resolve("state"), "x");
    ProcessGroups g = groups(notADirectory.resolve("process-groups"));

    assertThatThrownBy(() -> g.start(new ProcessBuilder("sleep", "30"), "j-1"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(notADirectory.resolve("process-groups").toString())
        .hasMessageContaining("was not started");
    assertThat(g.all()).isEmpty();
  }

  @Test
  void aStateDirectoryThatCannotBeWrittenIsReportedAtCleanUp() throws Exception {
    Path notADirectory = Files.writeString(dir.resolve("state"), "x");
    ProcessGroups g = groups(notADirectory.resolve("process-groups"));

    assertThatThrownBy(() -> g.cleanUpAfterCrash(Duration.ofSeconds(1)))
        .hasMessageContaining("cannot write " + notADirectory.resolve("process-groups"));
  }

  @Test
  void theMarkerIsNoConfigurationKeyForAJobhostStartedByAJob() throws Exception {
    Path file = Files.writeString(dir.resolve("jobhost.toml"), "");
    org.jobhost.host.config.Config cfg =
        new org.jobhost.host.config.ConfigLoader(
                dir, java.util.Map.of(ProcessGroups.MARKER, "run:1"))
            .load(file, List.of());

    assertThat(String.join("\n", cfg.describe())).doesNotContain("run:1");
  }

  @Test
  void aChildLeadsItsGroupWhenStartReturnsSoAnImmediateStopReachesIt() throws Exception {
    // Before start waited for setsid, a TERM sent right after the spawn could find no group yet:
    // the group looked dead, was released, and the child ran on (a flaky stop test under load).
    ProcessGroups g = groups(dir.resolve("process-groups"));
    for (int i = 0; i < 100; i++) {
      Process p = g.start(new ProcessBuilder("sleep", "600"), "job-" + i);
      try {
        long pgrp = new ProcTable().read(p.pid()).orElseThrow().pgrp();
        assertThat(pgrp).as("the group of child %d when start returned", i).isEqualTo(p.pid());
        g.terminate(List.of(p.pid()), Duration.ofSeconds(10));
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("ended by TERM").isEqualTo(128 + 15);
      } finally {
        p.destroyForcibly();
      }
    }
  }
}
